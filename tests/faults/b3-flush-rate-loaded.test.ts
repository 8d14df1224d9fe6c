// @slow B3 on a busy machine: the bench's flush-rate check (tools/bench/src/flush-rate.ts: the app's
// FeedEngine on the real clock and real timers, fed 1 to 20,000 msg/s by a paced loop) with every
// core kept busy by other processes. At every rate: at most 10 batches in any second (on the
// engine's clock, as it posted them: the receiver's stamps can come late on a busy machine),
// every batch exactly the symbols changed since the one before with their latest tick, and the
// store ends on every symbol's last tick. How many batches a rate gets, or how fast the loop feeds,
// is the machine's business; the limits are the engine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLUSH_RATE_INPUTS, runFlushRatePhase } from '../../tools/bench/src/flush-rate';
import { describeLoad, withCpuLoad } from '../../tools/testkit';

test('B3: on a busy machine, the engine posts at most 10 batches in any second at every input rate, each with exactly the changed symbols, and ends on the exact final state', { timeout: 180000 }, async (t) => {
  const { result: phases, load } = await withCpuLoad(async () => {
    const out = [];
    for (const rate of FLUSH_RATE_INPUTS) out.push(await runFlushRatePhase(rate, 2.5));
    return out;
  });
  for (const ph of phases) {
    t.diagnostic(`${ph.rate} msg/s: fed ${ph.fed} (${Math.round(ph.achievedRate)} msg/s), ${ph.flushes} batches, most ${ph.maxFlushesInAnySecond} in any 1 s, ` +
      `smallest gap ${ph.minGapMs} ms (as received: most ${ph.receivedMaxInAnySecond}, smallest gap ${ph.receivedMinGapMs.toFixed(1)} ms), ` +
      `${ph.immediate} handed over at once, content errors ${ph.contentErrors}, final-state errors ${ph.finalErrors}`);
  }
  t.diagnostic(`B3 load: ${describeLoad(load)}`);
  for (const ph of phases) {
    assert.ok(ph.fed > 0 && ph.flushes > 0, `${ph.rate} msg/s: something was fed and posted`);
    assert.ok(ph.maxFlushesInAnySecond <= 10, `${ph.rate} msg/s: ${ph.maxFlushesInAnySecond} batches in one second`);
    // A lone tick may go a quarter interval early (BatchPacer); nothing closer.
    assert.ok(ph.minGapMs >= 75, `${ph.rate} msg/s: two batches ${ph.minGapMs} ms apart`);
    assert.equal(ph.contentErrors, 0, `${ph.rate} msg/s: ${ph.examples.join('; ')}`);
    assert.equal(ph.finalErrors, 0, `${ph.rate} msg/s: ${ph.examples.join('; ')}`);
  }
});
