// @slow R3: mosquitto's default per-client queue (1000, newest dropped) while the engine is offline.
// Scenario and checks: scenarios/r3-queue-limit.ts.
import { test } from 'node:test';
import { startMosquitto, withBroker } from '../../tools/testkit';
import { QUEUE_LIMIT, runQueueLimit } from './scenarios/r3-queue-limit';

test("R3: past mosquitto's queue limit (1000, newest dropped) the engine flags the gaps and recovers the latest state from the retained snapshot", { timeout: 120000 }, async (t) => {
  const r = await withBroker(() => startMosquitto({ maxQueuedMessages: QUEUE_LIMIT }), (broker) => runQueueLimit(broker));
  t.diagnostic(`R3: ${JSON.stringify(r)}`);
});
