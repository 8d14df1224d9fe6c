// @each-double R5 (fast variant, aedes): two engines with the same clientId. The mosquitto run is
// r5-takeover-mosquitto.test.ts (@slow). Scenario and checks: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import { startAedes, withBroker } from '../../tools/testkit';
import { runTakeover } from './scenarios/r5-takeover';

test('R5: two engines with one client id on aedes are reported as ERROR/TAKEOVER, the ping-pong stops and a survivor (if any) keeps its data', { timeout: 90000 }, async (t) => {
  const r = await withBroker(() => startAedes(), (broker) => runTakeover(broker, 'qd-r5-same-id', 4000, (l) => t.diagnostic(l)));
  t.diagnostic(`R5 aedes: ${JSON.stringify(r)}`);
});
