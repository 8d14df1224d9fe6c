// R5 (fast variant, aedes): two engines with the same clientId. The mosquitto run is
// r5-takeover-mosquitto.test.ts (@slow). Scenario and checks: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import { runTakeover } from './scenarios/r5-takeover';
import { startAedes } from './scenarios/brokers';

test('R5 clientId takeover (aedes): reported as ERROR/TAKEOVER, no ping-pong afterwards, a survivor (if any) keeps its data', { timeout: 90000 }, async (t) => {
  const broker = await startAedes();
  try {
    const r = await runTakeover(broker, 'qd-r5-same-id', 4000, (l) => t.diagnostic(l));
    t.diagnostic(`R5 aedes: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
  }
});
