// Node double of the ohpm package @ohos/mqtt built on the REAL paho.mqtt.c (Debian's
// libpaho-mqtt3as), the C library the wrapper ships on the phone. FOR TESTS ONLY. Same surface as
// the mqtt.js emulation in ../ohos-mqtt (the exports of the 2.0.24 package: MqttAsync, MqttClient,
// MQTT_SSL_VERSION, and the types of tools/types/ohos-mqtt.d.ts). `QUOTEDECK_OHOS_MQTT=paho` makes
// tools/node/bundle.mjs resolve '@ohos/mqtt' here instead. README.md says which wrapper behaviours
// are re-done in client.ts and where each comes from.
import type {
  MqttClientOptions, MqttConnectOptions, MqttMessage, MqttPersistenceType, MqttPublishOptions, MqttQos, MqttResponse,
  MqttSubscribeOptions
} from '../../types/ohos-mqtt';
import { MqttClient } from './client';

export type {
  MqttClientOptions, MqttConnectOptions, MqttMessage, MqttPersistenceType, MqttPublishOptions, MqttQos, MqttResponse,
  MqttSubscribeOptions
};
export type { Properties } from './client';
export { MqttClient };
export { paho, pahoUnavailableReason, PahoUnavailable } from './native';

export enum MQTT_SSL_VERSION {
  MQTT_SSL_VERSION_DEFAULT = 0,
  MQTT_SSL_VERSION_TLS_1_0,
  MQTT_SSL_VERSION_TLS_1_1,
  MQTT_SSL_VERSION_TLS_1_2,
}

export class MqttAsync {
  /** Synchronous; undefined when the native client cannot be created (the demo checks for a falsy value). */
  static createMqtt(options: MqttClientOptions): MqttClient {
    const client = new MqttClient(options);
    return (client.__created ? client : undefined) as MqttClient;
  }
}

export default MqttAsync;
