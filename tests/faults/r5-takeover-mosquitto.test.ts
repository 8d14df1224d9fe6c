// @slow @each-double R5 against mosquitto: two engines with the same clientId, with every core kept
// busy by other processes (the detector and the stop must not depend on an idle machine).
// Scenario and checks: scenarios/r5-takeover.ts.
import { test } from 'node:test';
import { describeLoad, startMosquitto, withBroker, withCpuLoad } from '../../tools/testkit';
import { runTakeover } from './scenarios/r5-takeover';

test('R5: on a busy machine, two engines with one client id on mosquitto are reported as ERROR/TAKEOVER and the ping-pong stops for the next 10 s', { timeout: 180000 }, async (t) => {
  const { result: r, load } = await withCpuLoad(() => withBroker(() => startMosquitto(), (broker) => runTakeover(broker, 'qd-r5-same-id', 10000, (l) => t.diagnostic(l))));
  t.diagnostic(`R5 mosquitto: ${JSON.stringify(r)}`);
  t.diagnostic(`R5 mosquitto load: ${describeLoad(load)}`);
});
