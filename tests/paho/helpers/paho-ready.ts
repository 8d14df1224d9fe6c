// Whether the double over the real paho.mqtt.c can run here: a test that needs it is skipped where
// it cannot, and fails in CI (.ci/run installs libpaho-mqtt-dev).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import * as pahoModule from '../../../tools/node/ohos-mqtt-paho';

const unavailable = pahoModule.pahoUnavailableReason();

/** False (and the test skipped, or failed in CI) when paho.mqtt.c cannot be used here. */
export function pahoReady(t: TestContext): boolean {
  if (unavailable === undefined) return true;
  if (process.env.CI) assert.fail(`paho.mqtt.c is required in CI (.ci/run installs libpaho-mqtt-dev): ${unavailable}`);
  t.skip(`paho.mqtt.c is not usable here: ${unavailable}`);
  return false;
}
