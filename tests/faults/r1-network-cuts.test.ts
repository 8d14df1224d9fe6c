// @each-double R1 (fast variant, aedes): 2 cuts of the engine's connection during a 2k msg/s QoS 1
// retained feed with a persistent session. The full run (20 cuts, short and long links, mosquitto,
// exact counts) is r1-network-cuts-full.test.ts (@slow). Scenario and checks: scenarios/r1-network-cuts.ts.
// Both links here live > 5 s: aedes 1.2 itself drops a reconnected persistent session now and then
// ("no such packet"), and a short cut plus two such drops in a row is what the takeover detector
// reads as a takeover (RELIABILITY.md, findings 2 and 4).
import { test } from 'node:test';
import { startAedes, withBroker } from '../../tools/testkit';
import { runNetworkCuts } from './scenarios/r1-network-cuts';

test('R1: through 2 network cuts on aedes (2k msg/s QoS 1) the engine ends on the exact final state, applies no tick twice, loses none and keeps the backoff policy', { timeout: 60000 }, async (t) => {
  const r = await withBroker(() => startAedes(), (broker) => runNetworkCuts({
    broker, cuts: 2, ratePerSec: 2000, symbols: 50, clientId: 'qd-r1-fast', jitterScale: 1, strict: false, pattern: 'll',
    log: (l) => t.diagnostic(l),
  }));
  t.diagnostic(`R1 fast: ${JSON.stringify(r)}`);
});
