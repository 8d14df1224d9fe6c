// @slow R7 (full): 20k msg/s QoS 1 for 30 s through mosquitto (session queue unlimited, so the
// broker drops nothing) into a slow UI side: 250 ms per batch, then 50 ms per batch.
// Scenario and checks: scenarios/r7-flood.ts.
import { test } from 'node:test';
import { runFlood } from './scenarios/r7-flood';
import { startMosquittoBroker } from './scenarios/brokers';

for (const uiDelayMs of [250, 50]) {
  test(`R7 flood (mosquitto, 20k msg/s for 30 s, UI ${uiDelayMs} ms per batch): batches bounded, heap bounded, exact final state`, { timeout: 240000 }, async (t) => {
    const broker = await startMosquittoBroker({ maxQueuedMessages: 0 });
    try {
      const r = await runFlood({ broker, ratePerSec: 20000, durationMs: 30000, uiDelayMs, symbols: 50, log: (l) => t.diagnostic(l) });
      t.diagnostic(`R7 full: ${JSON.stringify(r)}`);
    } finally {
      await broker.close();
    }
  });
}
