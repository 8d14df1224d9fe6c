// @slow @each-double R4: mosquitto is killed under a connected engine and started again 60 s later;
// the real jitter is recorded and checked. Every core is kept busy by other processes throughout:
// the guarantees must hold on a busy machine. Scenario and checks: scenarios/r4-broker-down.ts.
import { test } from 'node:test';
import { describeLoad, startMosquitto, withBroker, withCpuLoad } from '../../tools/testkit';
import { runBrokerDown } from './scenarios/r4-broker-down';

test('R4: on a busy machine, while mosquitto is down for 60 s the engine makes at most 10 attempts a minute with full jitter and its status says when the next attempt is', { timeout: 240000 }, async (t) => {
  const { result: r, load } = await withCpuLoad(() => withBroker(() => startMosquitto({ persistence: true }), (broker) => runBrokerDown(broker)));
  t.diagnostic(`R4: ${JSON.stringify(r)}`);
  t.diagnostic(`R4 load: ${describeLoad(load)}`);
});
