// @slow R6 through mosquitto (max_packet_size raised so that 1 MB payloads reach the engine, whose
// codec refuses anything over 4 KB before decoding). Scenario and checks: scenarios/r6-hostile.ts.
import { test } from 'node:test';
import { runBrokerSlice } from './scenarios/r6-hostile';
import { startMosquittoBroker } from './scenarios/brokers';

test('R6 hostile input through mosquitto: 5,000 bad (1 MB ones included) + valid feed, counted by reason, final state exact', { timeout: 120000 }, async (t) => {
  const broker = await startMosquittoBroker({ maxPacketSize: 4 * 1024 * 1024 });
  try {
    const r = await runBrokerSlice(broker, 5000, 3, 8, 0xfeed);
    t.diagnostic(`R6 mosquitto slice: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
  }
});
