// R6 (fast, aedes): ≥ 100,000 hostile payloads into FeedEngine.ingest, then a slice through aedes
// and the whole app path (1 MB payloads included). The mosquitto slice is in
// r6-hostile-input-mosquitto.test.ts (@slow). Scenario and checks: scenarios/r6-hostile.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAedes, withBroker } from '../../tools/testkit';
import { runBrokerSlice, runBulkIngest } from './scenarios/r6-hostile';

test('R6: 120,000 hostile payloads mixed into a valid feed through FeedEngine.ingest are counted by reason, the good ones stay exact, the heap bounded and the prototypes clean', { timeout: 60000 }, (t) => {
  const r = runBulkIngest(120_000, 5, 0x5eed);
  assert.ok(r.heapGrowthMb < 8, `heap grew ${r.heapGrowthMb} MB`);
  t.diagnostic(`R6 bulk: ${JSON.stringify(r)}`);
});

test('R6: 3,000 hostile payloads (1 MB ones included) through aedes are counted by reason and the final state stays exact', { timeout: 60000 }, async (t) => {
  const r = await withBroker(() => startAedes(), (broker) => runBrokerSlice(broker, 3000, 3, 4, 0xbad));
  t.diagnostic(`R6 aedes slice: ${JSON.stringify(r)}`);
});
