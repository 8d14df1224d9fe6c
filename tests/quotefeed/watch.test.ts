// `quotefeed watch` end to end: publish (the real CLI) → embedded broker → watch (the real CLI, the
// app's engine) --json reproduces exactly the state the seeded simulator produced; error paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WATCHLIST } from '@quotedeck/core';
import { createSimulator, startBroker, toEpochMs } from '../../tools/quotefeed/src/index';
import type { Quote, WatchResult } from '../../tools/quotefeed/src/index';
import { freePort, silentServer, waitFor } from '../../tools/testkit';
import { lines, runCli, startCli } from './helpers';

const START = '2024-06-03T13:30:00.000Z';

function oneLine(stderr: string): string {
  const ls = lines(stderr);
  assert.equal(ls.length, 1, `expected one line on stderr, got:\n${stderr}`);
  return ls[0];
}

function parseResult(stdout: string): WatchResult {
  const ls = lines(stdout);
  assert.equal(ls.length, 1, `--json prints exactly one line, got:\n${stdout}`);
  return JSON.parse(ls[0]) as WatchResult;
}

/** What the publisher sends for these options: the simulator, run the same way. */
function simulate(seed: number, symbols: string[], rate: number, count: number): Quote[] {
  const start = toEpochMs(START);
  const sim = createSimulator({ seed, profile: 'normal', symbols, rate, startTime: start, seqStart: start });
  return sim.take(count);
}

function lastBySymbol(quotes: Quote[]): Map<string, Quote> {
  const m = new Map<string, Quote>();
  for (const q of quotes) m.set(q.symbol, q);
  return m;
}

function assertQuote(r: WatchResult, q: Quote): void {
  const s = r.symbols[q.symbol];
  assert.ok(s, `${q.symbol} in the result`);
  const expected = {
    price: q.price, seq: q.seq, timestamp: q.timestamp, bid: q.bid, ask: q.ask, volume: q.volume, open: q.open,
    high: q.high, low: q.low, prevClose: q.prevClose, name: q.name, currency: q.currency,
    change: q.price - (q.prevClose as number), changePct: ((q.price - (q.prevClose as number)) / (q.prevClose as number)) * 100,
  };
  const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, (s as unknown as Record<string, unknown>)[k]]));
  assert.deepEqual(actual, expected, `${q.symbol}: last quote`);
}

test('watch --json after a publish shows exactly the last simulated quote of every symbol from the retained snapshot', { timeout: 60_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const symbols = [...DEFAULT_WATCHLIST, 'GOOGL', 'ETH-USD'];
    const count = 500;
    const pub = await runCli(['publish', '--broker', broker.url, '--symbols', symbols.join(','), '--seed', '42', '--start', START,
      '--count', String(count), '--rate', '5000', '--qos', '1', '--quiet']);
    assert.equal(pub.code, 0, pub.stderr);
    const last = lastBySymbol(simulate(42, symbols, 5000, count));
    assert.equal(last.size, symbols.length, 'every symbol ticked');

    const w = await runCli(['watch', '--broker', broker.url, '--json', '--duration', '2'], { timeoutMs: 20_000 });
    assert.equal(w.code, 0, w.stderr);
    const r = parseResult(w.stdout);
    assert.deepEqual(Object.keys(r.symbols), DEFAULT_WATCHLIST, 'the default watchlist, in order');
    for (const sym of DEFAULT_WATCHLIST) {
      assertQuote(r, last.get(sym)!);
      const s = r.symbols[sym];
      assert.deepEqual([s.ticks, s.duplicates, s.gaps, s.hasGap, s.stale], [1, 0, 0, false, false], `${sym}: one retained quote`);
    }
    assert.equal(r.stats.received, symbols.length, 'one retained quote per symbol');
    assert.equal(r.stats.accepted, DEFAULT_WATCHLIST.length);
    assert.equal(r.stats.droppedUnwatched, 2, 'GOOGL and ETH-USD are not watched');
    assert.equal(r.stats.rejected, 0);
    assert.equal(r.stats.duplicates, 0);
    assert.equal(r.connection.everConnected, true);
    assert.equal(r.connection.state, 'connected');
    assert.match(r.clientId, /^qf-watch-\d+-[0-9a-f]+$/);
  } finally {
    await broker.close();
  }
});

test('watch applies every quote published while it runs, counts a replay of them as duplicates and exits 0 on Ctrl-C', { timeout: 60_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const watched = ['AAPL', 'MSFT', 'BTC-USD', '0700.HK'];
  const watch = startCli(['watch', '--broker', broker.url, '--json', '--symbols', watched.join(','), '--flush-ms', '50'], { timeoutMs: 40_000 });
  try {
    await waitFor(() => watch.stderrLines().some((l) => l.includes(`connected to ${broker.url}`)), 15_000, 'watch connected');
    assert.match(watch.stderrLines()[0], /^\d\d:\d\d:\d\d connected to mqtt:\/\/127\.0\.0\.1:\d+ as qf-watch-\S+, watching 4 symbols on finance\/\+\/quotes$/);
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'BTC-USD', '0700.HK', 'ETH-USD'];
    const count = 300;
    const argv = ['publish', '--broker', broker.url, '--symbols', symbols.join(','), '--seed', '7', '--start', START,
      '--count', String(count), '--rate', '3000', '--qos', '1', '--no-retain', '--quiet'];
    for (let run = 0; run < 2; run++) {
      const pub = await runCli(argv);
      assert.equal(pub.code, 0, pub.stderr);
    }
    await new Promise((r) => setTimeout(r, 1000)); // the last quotes cross the broker
    watch.child.kill('SIGINT');
    const w = await watch.done;
    assert.equal(w.code, 0, w.stderr);
    const r = parseResult(w.stdout);

    const quotes = simulate(7, symbols, 3000, count);
    const last = lastBySymbol(quotes);
    let watchedTicks = 0;
    for (const sym of watched) {
      const n = quotes.filter((q) => q.symbol === sym).length;
      assert.ok(n > 10, `${sym} ticked ${n} times`);
      watchedTicks += n;
      assertQuote(r, last.get(sym)!);
      const s = r.symbols[sym];
      assert.equal(s.ticks, n, `${sym}: every quote of the first run applied once`);
      assert.equal(s.duplicates, n, `${sym}: every quote of the second run is a duplicate`);
      assert.equal(s.gaps, 0, `${sym}: no gap`);
    }
    assert.equal(r.stats.received, 2 * count);
    assert.equal(r.stats.accepted, watchedTicks);
    assert.equal(r.stats.duplicates, watchedTicks);
    assert.equal(r.stats.droppedUnwatched, 2 * (count - watchedTicks));
    assert.equal(r.stats.rejected, 0);
    assert.equal(r.stats.gaps, 0);
    assert.equal(r.stats.reconnects, 0);
  } finally {
    watch.child.kill('SIGKILL');
    await broker.close();
  }
});

test('watch exits 2 on a bad URL and 3 on an unreachable broker, refused credentials (without printing the password) or a failed TLS handshake', { timeout: 60_000 }, async () => {
  const bad = await runCli(['watch', '--broker', 'http://127.0.0.1:1883']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(oneLine(bad.stderr), /^quotefeed watch: bad broker URL: .+ \(see quotefeed watch --help\)$/);
  assert.equal(bad.stdout, '');

  const port = await freePort();
  for (const extra of [[], ['--json']]) {
    const r = await runCli(['watch', '--broker', `mqtt://127.0.0.1:${port}`, ...extra]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(oneLine(r.stderr), new RegExp(`^quotefeed watch: cannot connect to mqtt://127\\.0\\.0\\.1:${port}: broker unreachable`));
    assert.equal(r.stdout, '', 'nothing on stdout');
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  }

  const password = 'hunter2-SECRET-pw';
  const broker = await startBroker({ port: 0, credentials: { username: 'quote', password: 'right-one' } });
  try {
    const viaOption = await runCli(['watch', '--broker', broker.url, '--username', 'quote', '--password', password, '--json']);
    const viaEnv = await runCli(['watch', '--broker', broker.url, '--username', 'quote'], { env: { QUOTEFEED_PASSWORD: password } });
    for (const r of [viaOption, viaEnv]) {
      assert.equal(r.code, 3, r.stderr);
      assert.equal(oneLine(r.stderr), `quotefeed watch: ${broker.url} rejected the credentials: bad user name or password`);
      assert.equal(`${r.stdout}${r.stderr}`.includes(password), false, 'the password is never echoed');
      assert.equal(r.stdout, '');
    }
    const ok = await runCli(['watch', '--broker', broker.url, '--username', 'quote', '--password', 'right-one', '--duration', '0.5', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(parseResult(ok.stdout).connection.everConnected, true);

    // mqtts:// to a plain MQTT port: the TLS handshake fails on a reachable port.
    const tls = await runCli(['watch', '--broker', `mqtts://127.0.0.1:${broker.port}`]);
    assert.equal(tls.code, 3, tls.stderr);
    assert.match(oneLine(tls.stderr), new RegExp(`^quotefeed watch: TLS handshake with mqtts://127\\.0\\.0\\.1:${broker.port} failed`));
  } finally {
    await broker.close();
  }
});

test('watch exits 3 after the connect timeout when the broker never answers CONNECT, and 2 on usage errors', { timeout: 40_000 }, async () => {
  const silent = await silentServer();
  try {
    const r = await runCli(['watch', '--broker', `mqtt://127.0.0.1:${silent.port}`, '--connect-timeout', '1']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(oneLine(r.stderr), `quotefeed watch: no answer from mqtt://127.0.0.1:${silent.port} within 1 s`);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  } finally {
    await silent.close();
  }
  const usage: [string[], RegExp][] = [
    [['watch'], /--broker URL is required/],
    [['watch', '--broker', 'mqtt://h', '--topic', 'finance/#'], /--topic must be PREFIX\/\+\/quotes/],
    [['watch', '--broker', 'mqtt://h', '--client-id', 'x'.repeat(30)], /--client-id: the client id is longer than 23 characters/],
    [['watch', '--broker', 'mqtt://h', '--symbols', 'AAPL,AA/PL'], /bad symbol "AA\/PL"/],
    [['watch', '--broker', 'mqtt://h', '--password', 'p'], /--password needs --username/],
  ];
  const results = await Promise.all(usage.map(([argv]) => runCli(argv)));
  usage.forEach(([argv, re], i) => {
    assert.equal(results[i].code, 2, `${argv.join(' ')}: ${results[i].stderr}`);
    assert.match(oneLine(results[i].stderr), re);
  });
});

test('watch --failover moves to the next node when the first cannot be reached, names it in --json, and exits 3 only once every node failed', { timeout: 60_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const pub = await runCli(['publish', '--broker', broker.url, '--symbols', 'AAPL,MSFT', '--seed', '7', '--start', START,
      '--count', '50', '--rate', '5000', '--qos', '1', '--quiet']);
    assert.equal(pub.code, 0, pub.stderr);
    const last = lastBySymbol(simulate(7, ['AAPL', 'MSFT'], 5000, 50));
    const dead = await freePort();
    const live = new URL(broker.url).port;
    const w = await runCli(['watch', '--broker', `mqtt://127.0.0.1:${dead}`, '--failover', broker.url, '--symbols', 'AAPL,MSFT',
      '--json', '--duration', '3'], { timeoutMs: 20_000 });
    assert.equal(w.code, 0, w.stderr);
    const r = parseResult(w.stdout);
    assert.equal(r.connection.node, `127.0.0.1:${live}`, 'on the live node');
    assert.equal(r.connection.everConnected, true);
    assertQuote(r, last.get('AAPL')!);
    assertQuote(r, last.get('MSFT')!);

    const otherDead = await freePort();
    const none = await runCli(['watch', '--broker', `mqtt://127.0.0.1:${dead}`, '--failover', `mqtt://127.0.0.1:${otherDead}`, '--json']);
    assert.equal(none.code, 3, none.stderr);
    assert.match(oneLine(none.stderr), /broker unreachable/);

    const mixed = await runCli(['watch', '--broker', broker.url, '--failover', `mqtts://127.0.0.1:${otherDead}`]);
    assert.equal(mixed.code, 2, mixed.stderr);
    assert.match(oneLine(mixed.stderr), /--failover mqtts:\/\/127\.0\.0\.1:\d+: the main address does not use TLS/);
    const same = await runCli(['watch', '--broker', broker.url, '--failover', broker.url]);
    assert.equal(same.code, 2, same.stderr);
  } finally {
    await broker.close();
  }
});
