// @slow R5 against mosquitto: two engines with the same clientId. Scenario: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import { runTakeover } from './scenarios/r5-takeover';
import { startMosquittoBroker } from './scenarios/brokers';

test('R5 clientId takeover (mosquitto): reported as ERROR/TAKEOVER, no ping-pong over 10 s afterwards', { timeout: 120000 }, async (t) => {
  const broker = await startMosquittoBroker();
  try {
    const r = await runTakeover(broker, 'qd-r5-same-id', 10000, (l) => t.diagnostic(l));
    t.diagnostic(`R5 mosquitto: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
  }
});
