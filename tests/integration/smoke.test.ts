// Smoke test: the app's ArkTS code from `common` runs on Node through the bundler and doubles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, SeededRandom } from '@quotedeck/testing';

test("the app's code loads on Node, with deterministic clocks and seeded random", () => {
  const clock = new ManualClock(5);
  clock.advance(10);
  assert.equal(clock.now(), 15);
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const xs = [a.next(), a.next(), a.next()];
  assert.deepEqual(xs, [b.next(), b.next(), b.next()]);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});
