// @each-double R9: failover between two mosquitto nodes bridged on finance/#: node A, where the engine
// is, is killed during a QoS 1 feed published into node B; the engine moves to B within the policy's
// delays, subscribes again and ends on the exact final state with every missed tick flagged as a
// gap. Scenario and checks: scenarios/r9-failover.ts. About 4 s per double, so it runs in `npm test`.
// Needs mosquitto (aedes has no bridge): in CI it always runs (a missing mosquitto fails it);
// elsewhere without mosquitto it is reported as skipped, with the reason.
import { test } from 'node:test';
import { findMosquitto } from '../../tools/testkit';
import { runFailover } from './scenarios/r9-failover';

const skip = findMosquitto() === undefined && !process.env.CI ?
  'mosquitto is not installed (apt-get install mosquitto): R9 needs two bridged mosquitto nodes' : false;

test('R9: when the cluster node the engine is on dies during a QoS 1 feed, the engine moves to the other node within the policy\'s delays, subscribes again and ends on the exact final state with every missed tick flagged', { timeout: 60000, skip }, async (t) => {
  const r = await runFailover({
    symbols: 20, before: 10, ratePerSec: 400, after: 40, clientId: 'qd-r9-failover', log: (l) => t.diagnostic(l),
  });
  t.diagnostic(`R9: ${JSON.stringify(r)}`);
});
