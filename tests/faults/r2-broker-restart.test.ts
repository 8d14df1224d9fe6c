// @each-double R2 (fast variant, aedes): the broker restarts fresh (in-memory: sessions and retained
// messages gone). The mosquitto variants (session kept by persistence; fresh after SIGKILL) are in
// r2-broker-restart-mosquitto.test.ts (@slow). Scenario and checks: scenarios/r2-broker-restart.ts.
import { test } from 'node:test';
import { runBrokerRestart } from './scenarios/r2-broker-restart';

test('R2: after a fresh aedes restart the engine retries with jitter, subscribes again, restores every symbol from its retained snapshot and flags the gaps exactly', { timeout: 60000 }, async (t) => {
  const r = await runBrokerRestart({
    kind: 'aedes-fresh', symbols: 20, before: 20, skipped: 7, after: 5, downMs: 1500, clientId: 'qd-r2-fast', log: (l) => t.diagnostic(l),
  });
  t.diagnostic(`R2 aedes fresh: ${JSON.stringify(r)}`);
});
