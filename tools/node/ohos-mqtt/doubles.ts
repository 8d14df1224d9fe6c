// The @ohos/mqtt doubles the app's adapter can run on under Node, and which one a run uses:
// $QUOTEDECK_OHOS_MQTT names it (default "mqttjs"). tools/test/node-tests.mjs runs the tests marked
// @each-double once per double listed in $QUOTEDECK_OHOS_MQTT_DOUBLES (or --doubles=a,b).
//
// Adding a double: a folder beside this one whose index exports MqttAsync, MqttClient and
// MQTT_SSL_VERSION with the package's API (tools/types/ohos-mqtt.d.ts), registered below. Every
// double is bundled into every test, so importing one must not load native code or touch the
// network: load such things on first use, and fail there with a clear message when missing.
import * as mqttjs from './mqttjs/index';

export interface OhosMqttModule {
  MqttAsync: typeof mqttjs.MqttAsync;
  MqttClient: typeof mqttjs.MqttClient;
  MQTT_SSL_VERSION: typeof mqttjs.MQTT_SSL_VERSION;
}

/** name → module, the default first. */
export const DOUBLES: Record<string, OhosMqttModule> = {
  /** The emulation over mqtt.js (mqttjs/). */
  mqttjs,
};

export const DEFAULT_DOUBLE = 'mqttjs';

/** The double named by $QUOTEDECK_OHOS_MQTT; an unknown name is an error that lists the known ones. */
export function selectedDouble(env: NodeJS.ProcessEnv = process.env): { name: string; module: OhosMqttModule } {
  const name = env.QUOTEDECK_OHOS_MQTT || DEFAULT_DOUBLE;
  const module = DOUBLES[name];
  if (module === undefined) {
    throw new Error(`QUOTEDECK_OHOS_MQTT=${name}: no such @ohos/mqtt double (known: ${Object.keys(DOUBLES).join(', ')})`);
  }
  return { name, module };
}
