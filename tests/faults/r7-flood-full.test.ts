// @slow R7 (full): 20k msg/s QoS 1 for 30 s through mosquitto (session queue unlimited, so the
// broker drops nothing) into a slow UI side: 250 ms per batch, then 50 ms per batch.
// Scenario and checks: scenarios/r7-flood.ts.
import { test } from 'node:test';
import { startMosquitto, withBroker } from '../../tools/testkit';
import { runFlood } from './scenarios/r7-flood';

for (const uiDelayMs of [250, 50]) {
  test(`R7: a 20k msg/s QoS 1 flood for 30 s through mosquitto into a UI needing ${uiDelayMs} ms per batch keeps batches and heap bounded and ends on the exact final state`, { timeout: 240000 }, async (t) => {
    const r = await withBroker(() => startMosquitto({ maxQueuedMessages: 0 }), (broker) => runFlood({
      broker, ratePerSec: 20000, durationMs: 30000, uiDelayMs, symbols: 50, log: (l) => t.diagnostic(l),
    }));
    t.diagnostic(`R7 full: ${JSON.stringify(r)}`);
  });
}
