// @each-double R5 over MQTT 5 (issue 13): two engines with one client id on mosquitto, both with
// MQTTVersion 5. mosquitto ends the older link with DISCONNECT 0x8E "session taken over", but the
// library passes no reason with connectLost (tests/paho/conformance.test.ts, "MQTT 5 on mosquitto"):
// the takeover detector's short links must still stop the ping-pong. Scenario: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MQTT_VERSION_5 } from '@quotedeck/core';
import { findMosquitto, Mosquitto, startMosquitto, withBroker } from '../../tools/testkit';
import { runTakeover } from './scenarios/r5-takeover';

test('R5 over MQTT 5: two engines with one client id on mosquitto are reported as ERROR/TAKEOVER and the ping-pong stops', { timeout: 90000 }, async (t) => {
  if (findMosquitto() === undefined && !process.env.CI) {
    t.skip('mosquitto is not installed');
    return;
  }
  let levels: number[] = [];
  const r = await withBroker(() => startMosquitto(), async (broker) => {
    const result = await runTakeover(broker, 'qd-r5-v5-same-id', 3000, (l) => t.diagnostic(l), MQTT_VERSION_5);
    levels = (broker as Mosquitto).connectsOf('qd-r5-v5-same-id').map((c) => c.version);
    return result;
  });
  t.diagnostic(`R5 mosquitto MQTT 5: ${JSON.stringify(r)}`);
  assert.ok(levels.length > 0 && levels.every((v) => v === 5), `every CONNECT at level 5: ${levels.join(',')}`);
});
