// R7 (fast variant, aedes in its own process): a 20k msg/s QoS 1 flood for 5 s into a UI side that
// needs 250 ms per batch (2.5× the flush interval). The 30 s run against mosquitto is
// r7-flood-full.test.ts (@slow). Scenario and checks: scenarios/r7-flood.ts.
import { test } from 'node:test';
import { runFlood } from './scenarios/r7-flood';
import { startAedesProcess } from './scenarios/brokers';

test('R7 flood (aedes, 20k msg/s offered for 5 s, UI 250 ms per batch): batches bounded, heap bounded, exact final state', { timeout: 90000 }, async (t) => {
  const broker = await startAedesProcess();
  try {
    const r = await runFlood({ broker, ratePerSec: 20000, durationMs: 5000, uiDelayMs: 250, symbols: 50, log: (l) => t.diagnostic(l) });
    t.diagnostic(`R7 fast: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
  }
});
