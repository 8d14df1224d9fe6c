// The pieces of `watch` and `demo` that need no broker: sparkline, status and counter text, the
// frame layout, the failure mapping, option checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionState, ConnectionStatus, EngineStats, RejectReason, SessionErrorKind } from '@quotedeck/core';
import { QuoteItem } from '@quotedeck/ui';
import {
  BrokerError, UsageError, createRegistry, cut, failureOf, formatHelp, marksOf, parseArgs, prefixOfFilter, renderFrame,
  sparkline, statsResult, statsText, statusText, visibleLength, generatedClientId, LiveScreen,
} from '../../tools/quotefeed/src/index';
import { symbolListFrom } from '../../tools/quotefeed/src/commands/common';
import { watchConfigFrom } from '../../tools/quotefeed/src/commands/watch';

function status(state: ConnectionState, extra: Partial<ConnectionStatus> = {}): ConnectionStatus {
  const s = new ConnectionStatus();
  s.state = state;
  Object.assign(s, extra);
  return s;
}

test('sparkline draws the last `width` finite values on eight levels from min to max, and a flat series in the middle', () => {
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([10, 0, 10], 8), '█▁█');
  assert.equal(sparkline([5, 5, 5], 8), '▄▄▄');
  assert.equal(sparkline([7], 8), '▄');
  assert.equal(sparkline([], 8), '');
  assert.equal(sparkline([1, NaN, 2, 3, 4], 3), '▁▅█', 'NaN skipped, only the last 3');
  assert.equal(sparkline([1, 2], 0), '');
});

test('the status text follows the app banner (live, waiting, connecting, countdown, offline, error)', () => {
  const now = 1_700_000_000_000;
  assert.equal(statusText(status(ConnectionState.CONNECTED), now - 500, now), 'connected · live');
  assert.equal(statusText(status(ConnectionState.CONNECTED), NaN, now), 'connected · waiting for quotes');
  assert.equal(statusText(status(ConnectionState.CONNECTED), now - 60_000, now), 'connected · quiet: newest quote 60s ago');
  assert.equal(statusText(status(ConnectionState.CONNECTING, { attempt: 1 }), NaN, now), 'connecting…');
  assert.equal(
    statusText(status(ConnectionState.RECONNECTING, { attempt: 3, nextAttemptAt: now + 3200, lastError: SessionErrorKind.UNREACHABLE }), NaN, now),
    'reconnecting in 4s (attempt 3) · last error: broker unreachable',
  );
  assert.equal(statusText(status(ConnectionState.RECONNECTING, { attempt: 2, lastError: SessionErrorKind.LINK_LOST }), NaN, now), 'reconnecting… (attempt 2) · last error: link lost');
  assert.equal(statusText(status(ConnectionState.OFFLINE), NaN, now), 'offline: waiting for the network');
  assert.equal(
    statusText(status(ConnectionState.ERROR, { lastError: SessionErrorKind.BAD_CREDENTIALS, detail: 'code 4' }), NaN, now),
    'error: bad user name or password (code 4)',
  );
  assert.equal(statusText(status(ConnectionState.STOPPED), NaN, now), 'stopped');
});

test('the counters text lists rejections by name and the JSON form names every reason', () => {
  const s = new EngineStats();
  s.received = 1234;
  s.accepted = 1000;
  s.rejected = 3;
  s.rejectedByReason[RejectReason.NOT_JSON] = 2;
  s.rejectedByReason[RejectReason.BAD_PRICE] = 1;
  s.droppedUnwatched = 231;
  assert.equal(statsText(s), 'received 1,234 · accepted 1,000 · rejected 3 (NOT_JSON 2, BAD_PRICE 1) · duplicates 0 · gaps 0 · unwatched 231 · reconnects 0');
  const j = statsResult(s);
  assert.equal(j.rejectedByReason.NOT_JSON, 2);
  assert.equal(j.rejectedByReason.BAD_PRICE, 1);
  assert.equal(j.rejectedByReason.BAD_TOPIC, 0);
  assert.equal('NONE' in j.rejectedByReason, false);
  assert.deepEqual(j.latencyMs, { mean: null, max: null, p50: null, p99: null });
});

test("a frame has one row per item with the app's formatting and marks, is cut to the width and has no ANSI without colour", () => {
  const a = new QuoteItem('AAPL');
  Object.assign(a, { price: 190.5, change: 1.25, changePct: 0.66, ticks: 12, stale: false, spark: [189, 190, 190.5] });
  const b = new QuoteItem('BTC-USD');
  Object.assign(b, { price: 65120, change: -20, changePct: -0.03, ticks: 3, stale: true, hasGap: true, gaps: 2, spark: [65140, 65120] });
  const c = new QuoteItem('0700.HK');
  const input = {
    title: 'quotefeed watch', items: [a, b, c], status: status(ConnectionState.CONNECTED), stats: new EngineStats(),
    newestQuoteAt: 1000, nowMs: 1500, rate: 75.4,
  };
  const lines = renderFrame(input, { width: 120 });
  assert.equal(lines[1], '● connected · live · 75 msg/s');
  assert.match(lines[2], /^SYMBOL\s+LAST\s+CHG\s+CHG%\s+TREND\s+TICKS$/);
  assert.match(lines[3], /^AAPL\s+190\.50\s+\+1\.25\s+\+0\.66%\s+▁▆█\s+12$/);
  assert.match(lines[4], /^BTC-USD\s+65,120\.00\s+-20\.00\s+-0\.03%\s+█▁\s+3\s+stale gap 2$/);
  assert.match(lines[5], /^0700\.HK\s+--\s+--\s+--\s+waiting$/);
  assert.match(lines[6], /^received 0 · /);
  for (const l of lines) assert.equal(l.includes('\u001b'), false);
  const narrow = renderFrame(input, { width: 50 });
  for (const l of narrow) assert.ok(visibleLength(l) <= 50, l);
  assert.equal(narrow[2].includes('TREND'), false, 'no sparkline on narrow terminals');
  const coloured = renderFrame(input, { width: 200, color: true });
  assert.ok(coloured.some((l) => /\u001b\[32m\s*\+1\.25/.test(l)), 'a rise is green');
  assert.equal(marksOf(c), 'waiting');
  const many = Array.from({ length: 40 }, (_v, i) => new QuoteItem(`S${i}`));
  const short = renderFrame({ ...input, items: many }, { width: 120, height: 12, hint: 'Ctrl-C to stop' });
  assert.ok(short.length <= 11, `${short.length} lines fit a 12-row terminal`);
  assert.match(short[short.length - 3], /^… \d+ more symbols \(a taller terminal shows them\)$/);
  assert.equal(renderFrame({ ...input, items: many }, { width: 120 }).length, 40 + 4, 'off a terminal every row is printed');
});

test('a frame prints a change with the decimals of its price, as the app\'s watchlist row does', () => {
  const fx = new QuoteItem('EURUSD');
  Object.assign(fx, { price: 0.5432, change: -0.0123, changePct: -2.21, ticks: 1, stale: false, spark: [0.5555, 0.5432] });
  const big = new QuoteItem('BRK.A');
  Object.assign(big, { price: 612345.5, change: 1234.5, changePct: 0.2, ticks: 1, stale: false, spark: [611111, 612345.5] });
  const input = {
    title: 't', items: [fx, big], status: status(ConnectionState.CONNECTED), stats: new EngineStats(),
    newestQuoteAt: 1000, nowMs: 1500, rate: 0,
  };
  const lines = renderFrame(input, { width: 120 });
  assert.match(lines[3], /^EURUSD\s+0\.5432\s+-0\.0123\s+-2\.21%\s/);
  assert.match(lines[4], /^BRK\.A\s+612,345\.50\s+\+1,234\.50\s+\+0\.20%\s/);
});

test('cut keeps ANSI sequences and counts visible characters only', () => {
  const s = '\u001b[32mabcdef\u001b[0m';
  assert.equal(visibleLength(s), 6);
  assert.equal(cut(s, 10), s);
  const c = cut(s, 4);
  assert.equal(visibleLength(c), 4);
  assert.ok(c.endsWith('…\u001b[0m'));
});

test('LiveScreen writes plain frames off a terminal and redraws in place on one', () => {
  const chunks: string[] = [];
  const sink = { write: (s: string) => (chunks.push(s), true), isTTY: false } as never;
  const plain = new LiveScreen(sink);
  plain.draw(['a', 'b']);
  plain.draw(['c']);
  plain.end();
  assert.equal(chunks.join(''), 'a\nb\n\nc\n\n');
  chunks.length = 0;
  const tty = new LiveScreen({ write: (s: string) => (chunks.push(s), true), isTTY: true, columns: 80 } as never);
  tty.draw(['a', 'b']);
  tty.draw(['c']);
  tty.end();
  const out = chunks.join('');
  assert.ok(out.includes('\u001b[2A'), 'second frame moves up over the first');
  assert.ok(out.endsWith('\u001b[?25h'), 'cursor restored');
});

test('watch fails on fatal kinds always and on other kinds only before the first connect and without --retry', () => {
  const d = 'mqtt://h:1883';
  const bad = failureOf(status(ConnectionState.ERROR, { lastError: SessionErrorKind.BAD_CREDENTIALS }), d, false, false, 5);
  assert.ok(bad instanceof BrokerError && bad.kind === 'badCredentials' && bad.exitCode === 3);
  assert.equal(bad.message, 'mqtt://h:1883 rejected the credentials: bad user name or password');
  const tls = failureOf(status(ConnectionState.ERROR, { lastError: SessionErrorKind.TLS, detail: 'connect to ssl://h:8883 failed: TCP/TLS connect failure (code -1)' }), d, true, true, 5);
  assert.equal(tls?.message, 'TLS handshake with mqtt://h:1883 failed (TCP/TLS connect failure, code -1)');
  const unreachable = status(ConnectionState.RECONNECTING, { lastError: SessionErrorKind.UNREACHABLE, attempt: 2 });
  assert.equal((failureOf(unreachable, d, false, false, 5) as BrokerError).kind, 'unreachable');
  assert.equal(failureOf(unreachable, d, false, true, 5), undefined, '--retry keeps trying');
  assert.equal(failureOf(unreachable, d, true, false, 5), undefined, 'after a connect the app reconnects');
  assert.equal((failureOf(status(ConnectionState.RECONNECTING, { lastError: SessionErrorKind.TIMEOUT, attempt: 2 }), d, false, false, 2) as BrokerError).message, 'no answer from mqtt://h:1883 within 2 s');
  // with --failover nodes the run goes on until every node has failed once (attempt is the upcoming one)
  const cluster = (attempt: number) => status(ConnectionState.RECONNECTING, { lastError: SessionErrorKind.UNREACHABLE, attempt, nodeCount: 2 });
  assert.equal(failureOf(cluster(2), d, false, false, 5), undefined, 'the second node is still to be tried');
  assert.equal((failureOf(cluster(3), d, false, false, 5) as BrokerError).kind, 'unreachable');
  assert.ok(failureOf(status(ConnectionState.ERROR, { lastError: SessionErrorKind.BAD_CONFIG, detail: 'x' }), d, false, false, 5) instanceof UsageError);
  assert.equal(failureOf(status(ConnectionState.CONNECTED), d, true, false, 5), undefined);
  assert.equal(failureOf(status(ConnectionState.CONNECTING, { attempt: 1 }), d, false, false, 5), undefined);
});

test("watch options check the topic filter form, the client id and the symbols by the app's rules, and have defaults", () => {
  assert.equal(prefixOfFilter('finance/+/quotes'), 'finance');
  assert.equal(prefixOfFilter('/a/b/+/quotes'), 'a/b');
  assert.equal(prefixOfFilter('finance/#'), undefined);
  assert.equal(prefixOfFilter('+/+/quotes'), undefined);
  assert.equal(prefixOfFilter('finance/AAPL/quotes'), undefined);
  assert.equal(prefixOfFilter('a//b/+/quotes'), undefined, 'an empty level');
  assert.equal(prefixOfFilter('a\u0000b/+/quotes'), undefined, 'NUL');
  assert.equal(prefixOfFilter('//+/quotes'), undefined, 'an empty prefix');
  assert.equal(prefixOfFilter(' finance//+/quotes '), 'finance', 'surrounding blanks and \'/\' trimmed as the app does');
  assert.deepEqual(symbolListFrom('aapl, msft,0700.hk', 'watch'), ['AAPL', 'MSFT', '0700.HK']);
  assert.throws(() => symbolListFrom('AAPL,aapl', 'watch'), /lists AAPL twice/);
  assert.throws(() => symbolListFrom('AA/PL', 'watch'), /bad symbol/);
  assert.throws(() => symbolListFrom(' , ', 'watch'), /empty/);
  assert.ok(generatedClientId('watch').length <= 23);
  const cmd = createRegistry().get('watch')!;
  const ctx = { env: {}, cwd: '/tmp' } as never;
  const parse = (argv: string[]) => watchConfigFrom(parseArgs(cmd.spec, argv), ctx, 'watch');
  const c = parse(['--broker', 'mqtt://127.0.0.1', '--topic', 'md/+/quotes']);
  assert.equal(c.prefix, 'md');
  assert.deepEqual(c.symbols, ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', '0700.HK', '600519.SS', 'BTC-USD']);
  assert.equal(c.flushMs, 100);
  assert.equal(c.staleAfterMs, 30_000);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--topic', 'md/#']), /--topic must be PREFIX\/\+\/quotes/);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--topic', 'a/+/quotes', '--prefix', 'b']), /cannot be used together/);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--client-id', 'x'.repeat(24)]), /longer than 23/);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--client-id', 'a b']), /may only contain/);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--ca', 'ca.pem']), /--ca needs a TLS broker URL/);
  assert.throws(() => parse(['--broker', 'mqtt://h', '--flush-ms', '5']), /--flush-ms/);
  assert.match(formatHelp(cmd.spec), /--json/);
});
