// @slow R6 through mosquitto (max_packet_size raised so that 1 MB payloads reach the engine, whose
// codec refuses anything over 4 KB before decoding). Scenario and checks: scenarios/r6-hostile.ts.
import { test } from 'node:test';
import { startMosquitto, withBroker } from '../../tools/testkit';
import { runBrokerSlice } from './scenarios/r6-hostile';

test('R6: 5,000 hostile payloads (1 MB ones included) through mosquitto are counted by reason and the final state stays exact', { timeout: 120000 }, async (t) => {
  const r = await withBroker(() => startMosquitto({ maxPacketSize: 4 * 1024 * 1024 }), (broker) => runBrokerSlice(broker, 5000, 3, 8, 0xfeed));
  t.diagnostic(`R6 mosquitto slice: ${JSON.stringify(r)}`);
});
