// @slow @each-double R4: mosquitto is killed under a connected engine and started again 60 s later;
// the real jitter is recorded and checked. Scenario and checks: scenarios/r4-broker-down.ts.
import { test } from 'node:test';
import { startMosquitto, withBroker } from '../../tools/testkit';
import { runBrokerDown } from './scenarios/r4-broker-down';

test('R4: while mosquitto is down for 60 s the engine makes at most 10 attempts a minute with full jitter and its status says when the next attempt is', { timeout: 180000 }, async (t) => {
  const r = await withBroker(() => startMosquitto({ persistence: true }), (broker) => runBrokerDown(broker));
  t.diagnostic(`R4: ${JSON.stringify(r)}`);
});
