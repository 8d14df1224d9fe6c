// The hilog double (tools/node/kits/@kit.PerformanceAnalysisKit.ts) formats like the platform's
// NAPI formatter (OpenHarmony 5.0, API 12): what a line shows on a phone is what a test sees here,
// so a value of the wrong type or a secret logged without {public} cannot pass on Node only.
import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';

const D = 0x5101;

/** The text of the last line (after "L domain/tag: "). */
function last(): string {
  const line = hilog.lines[hilog.lines.length - 1];
  return line.substring(line.indexOf(': ') + 2);
}

function shown(format: string, ...args: Object[]): string {
  hilog.info(D, 'Fmt', format, ...args);
  return last();
}

beforeEach(() => {
  hilog.privacyMode = false;
  hilog.mismatches.length = 0;
});

after(() => {
  // the mismatches here are on purpose (a test run fails a process that leaves any behind)
  hilog.mismatches.length = 0;
});

test('%d prints numbers only, and another type prints nothing but still takes its argument', () => {
  assert.equal(shown('n=%{public}d m=%{public}i', 42, -1.5), 'n=42 m=-1.5');
  assert.equal(shown('n=%{public}d then %{public}s', '42', 'next'), 'n= then next');
  assert.equal(shown('n=%{public}d', true), 'n=');
  assert.equal(hilog.mismatches.length, 2);
  assert.match(hilog.mismatches[0], /Fmt: .*argument 1 has type string.*%d/);
});

test('%s prints strings, booleans, null and undefined only, and a number prints nothing', () => {
  assert.equal(shown('%{public}s %{public}s %{public}s %{public}s', 'a', false, null as unknown as Object,
    undefined as unknown as Object), 'a false null undefined');
  assert.deepEqual(hilog.mismatches, []);
  assert.equal(shown('code %{public}s.', 7), 'code .');
  assert.equal(shown('obj %{public}s.', { a: 1 }), 'obj .');
  assert.equal(hilog.mismatches.length, 2);
});

test('%o prints objects only', () => {
  assert.equal(shown('%{public}o|%{public}o', { a: 1 }, 'text'), '[object Object]|');
  assert.equal(hilog.mismatches.length, 1);
});

test('other letters print as written and take no argument, and %% is one %', () => {
  assert.equal(shown('%f %{public}s', 'x'), '%f x');
  assert.equal(shown('100%% of %{public}d', 3), '100% of 3');
  // %x takes nothing, so 5 goes to %s (wrong type) and nothing is left for %d
  assert.equal(shown('%x %{public}s %{public}d', 5), '%x  %{public}d');
  assert.ok(hilog.mismatches.length >= 2, hilog.mismatches.join('\n'));
});

test('without arguments the format is printed verbatim', () => {
  assert.equal(shown('100%% done'), '100%% done');
  assert.deepEqual(hilog.mismatches, []);
  assert.equal(shown('value %{public}s'), 'value %{public}s');
  assert.equal(hilog.mismatches.length, 1, 'a specifier without its argument is a mismatch');
});

test('once the arguments run out the rest is verbatim, and extra arguments are not printed', () => {
  assert.equal(shown('%{public}d and %{public}d', 1), '1 and %{public}d');
  assert.equal(shown('%{public}d', 1, 2), '1');
  assert.equal(hilog.mismatches.length, 2);
});

test('an array as the only argument holds the arguments, and with more arguments hilog throws', () => {
  assert.equal(shown('%{public}s-%{public}d', ['a', 1] as unknown as Object), 'a-1');
  assert.throws(() => hilog.info(D, 'Fmt', '%{public}s', ['a'], 'b'));
});

test('with privacy mode off (a developer phone) private values print in clear', () => {
  assert.equal(shown('user %s pw %{private}s id %{public}s', 'alice', 'hunter2', 'qd-1'), 'user alice pw hunter2 id qd-1');
});

test('with privacy mode on everything but {public} is masked', () => {
  hilog.privacyMode = true;
  assert.equal(shown('user %s pw %{private}s id %{public}s n %d', 'alice', 'hunter2', 'qd-1', 5),
    'user <private> pw <private> id qd-1 n <private>');
  // a wrong type prints nothing, masked or not
  assert.equal(shown('n %d', 'x'), 'n ');
});

test('a domain outside 0x0–0xFFFF prints nothing', () => {
  const before = hilog.lines.length;
  hilog.info(0x10000, 'Fmt', 'lost');
  assert.equal(hilog.lines.length, before);
  assert.equal(hilog.mismatches.length, 1);
});

test('lines carry level, domain and tag', () => {
  hilog.warn(0x5102, 'Tag', 'x %{public}d', 1);
  assert.equal(hilog.lines[hilog.lines.length - 1], 'W 5102/Tag: x 1');
});
