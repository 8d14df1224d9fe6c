// @slow @each-double R2 against mosquitto: (a) with persistence, stopped (SIGTERM: it saves its
// database) and started again — the engine's session survives; (b) without persistence, killed
// (SIGKILL) and started again — a fresh broker. Scenario and checks: scenarios/r2-broker-restart.ts.
import { test } from 'node:test';
import { runBrokerRestart } from './scenarios/r2-broker-restart';

test('R2: across a mosquitto restart with persistence the session survives, the snapshot comes from the session queue and the gaps are flagged exactly', { timeout: 120000 }, async (t) => {
  const r = await runBrokerRestart({
    kind: 'mosquitto-persistent', symbols: 20, before: 20, skipped: 7, after: 5, downMs: 2000, clientId: 'qd-r2-persist', log: (l) => t.diagnostic(l),
  });
  t.diagnostic(`R2 mosquitto persistent: ${JSON.stringify(r)}`);
});

test('R2: after mosquitto is killed and restarted without persistence the engine subscribes again, restores every symbol from its retained snapshot and flags the gaps exactly', { timeout: 120000 }, async (t) => {
  const r = await runBrokerRestart({
    kind: 'mosquitto-fresh', symbols: 20, before: 20, skipped: 7, after: 5, downMs: 2000, clientId: 'qd-r2-fresh', log: (l) => t.diagnostic(l),
  });
  t.diagnostic(`R2 mosquitto fresh: ${JSON.stringify(r)}`);
});
