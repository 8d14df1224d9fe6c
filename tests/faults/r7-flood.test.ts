// R7 (fast variant, aedes in its own process): a 20k msg/s QoS 1 flood for 5 s into a UI side that
// needs 250 ms per batch (2.5× the flush interval). The 30 s run against mosquitto is
// r7-flood-full.test.ts (@slow). Scenario and checks: scenarios/r7-flood.ts.
import { test } from 'node:test';
import { startAedesProcess, withBroker } from '../../tools/testkit';
import { runFlood } from './scenarios/r7-flood';

test('R7: a 20k msg/s QoS 1 flood for 5 s through an aedes process into a UI needing 250 ms per batch keeps batches and heap bounded and ends on the exact final state', { timeout: 90000 }, async (t) => {
  const r = await withBroker(() => startAedesProcess(), (broker) => runFlood({
    broker, ratePerSec: 20000, durationMs: 5000, uiDelayMs: 250, symbols: 50, log: (l) => t.diagnostic(l),
  }));
  t.diagnostic(`R7 fast: ${JSON.stringify(r)}`);
});
