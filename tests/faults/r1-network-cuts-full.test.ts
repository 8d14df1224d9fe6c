// @slow @each-double R1 (full): 20 cuts of the engine's connection during a 2k msg/s QoS 1 retained
// feed with a persistent session, against mosquitto (unlimited session queue, so nothing may be
// lost): every tick applied exactly once, every retry on the policy, the 10-a-minute window reached.
// Jitter is compressed ×0.1 (the recorded draws are checked exactly against the formula) so that
// 20 reconnects fit in about two minutes; R4 checks the real distribution. Every core is kept busy by
// other processes throughout: the guarantees must hold on a busy machine.
import { test } from 'node:test';
import { describeLoad, startMosquitto, withBroker, withCpuLoad } from '../../tools/testkit';
import { runNetworkCuts } from './scenarios/r1-network-cuts';

test('R1: on a busy machine, through 20 network cuts on mosquitto (2k msg/s QoS 1) the engine applies every tick exactly once and keeps the backoff policy and the 10-a-minute window', { timeout: 600000 }, async (t) => {
  const { result: r, load } = await withCpuLoad(() => withBroker(() => startMosquitto({ maxQueuedMessages: 0 }), (broker) => runNetworkCuts({
    broker, cuts: 20, ratePerSec: 2000, symbols: 50, clientId: 'qd-r1-full', jitterScale: 0.1, strict: true, pattern: 'ssl',
    log: (l) => t.diagnostic(l),
  })));
  t.diagnostic(`R1 full: ${JSON.stringify(r)}`);
  t.diagnostic(`R1 full load: ${describeLoad(load)}`);
});
