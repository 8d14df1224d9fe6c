// @slow @each-double R5 against mosquitto: two engines with the same clientId.
// Scenario and checks: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import { startMosquitto, withBroker } from '../../tools/testkit';
import { runTakeover } from './scenarios/r5-takeover';

test('R5: two engines with one client id on mosquitto are reported as ERROR/TAKEOVER and the ping-pong stops for the next 10 s', { timeout: 120000 }, async (t) => {
  const r = await withBroker(() => startMosquitto(), (broker) => runTakeover(broker, 'qd-r5-same-id', 10000, (l) => t.diagnostic(l)));
  t.diagnostic(`R5 mosquitto: ${JSON.stringify(r)}`);
});
