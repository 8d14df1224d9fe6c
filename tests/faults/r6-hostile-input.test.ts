// R6 (fast, aedes): ≥ 100,000 hostile payloads into FeedEngine.ingest, then a slice through aedes
// and the whole app path (1 MB payloads included). The mosquitto slice is in
// r6-hostile-input-mosquitto.test.ts (@slow). Scenario and checks: scenarios/r6-hostile.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBrokerSlice, runBulkIngest } from './scenarios/r6-hostile';
import { startAedes } from './scenarios/brokers';

test('R6 hostile input, bulk: 120,000 bad payloads mixed into a valid feed through FeedEngine.ingest: counted by reason, good ones exact, heap bounded, prototypes clean', { timeout: 60000 }, (t) => {
  const r = runBulkIngest(120_000, 5, 0x5eed);
  assert.ok(r.heapGrowthMb < 8, `heap grew ${r.heapGrowthMb} MB`);
  t.diagnostic(`R6 bulk: ${JSON.stringify(r)}`);
});

test('R6 hostile input through aedes: 3,000 bad (1 MB ones included) + valid feed, counted by reason, final state exact', { timeout: 60000 }, async (t) => {
  const broker = await startAedes();
  try {
    const r = await runBrokerSlice(broker, 3000, 3, 4, 0xbad);
    t.diagnostic(`R6 aedes slice: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
  }
});
