// Smoke test: the app's ArkTS code from `common` runs on Node through the bundler and doubles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, SeededRandom } from '@quotedeck/testing';

test('common loads on Node: clocks and seeded random are deterministic', () => {
  const clock = new ManualClock(5);
  clock.advance(10);
  assert.equal(clock.now(), 15);
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const xs = [a.next(), a.next(), a.next()];
  assert.deepEqual(xs, [b.next(), b.next(), b.next()]);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});
