// `quotefeed bridge` end to end, per source: local stand-in of the source (bridge-fakes.ts) → the
// real CLI → an aedes broker on loopback → `quotefeed watch --json` (the app's engine) shows exactly
// the source's last values per symbol. Along the way: a refused symbol while the others stream,
// malformed messages counted and not published, a dropped source reconnected and resubscribed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker } from '../../tools/quotefeed/src/index';
import type { WatchResult } from '../../tools/quotefeed/src/index';
import type { BridgeResult } from '../../tools/quotefeed/src/bridge/status';
import { FakeBinance, FakeCoinbase, FakeFinnhub, FakeKraken } from './bridge-fakes';
import { waitFor } from '../../tools/testkit';
import { lines, runCli, startCli, subscribe } from './helpers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function bridgeCli(args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof startCli> {
  return startCli(['bridge', '--json', '--status-every', '1', ...args], { timeoutMs: 60_000, env });
}

async function stopBridge(b: ReturnType<typeof startCli>): Promise<BridgeResult> {
  b.child.kill('SIGINT');
  const r = await b.done;
  assert.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(out.length, 1, `--json prints one line, got:\n${r.stdout}`);
  return JSON.parse(out[0]) as BridgeResult;
}

async function watch(brokerUrl: string, prefix: string, symbols: string[]): Promise<WatchResult> {
  const w = await runCli(['watch', '--broker', brokerUrl, '--prefix', prefix, '--symbols', symbols.join(','), '--json', '--duration', '1.5'], { timeoutMs: 20_000 });
  assert.equal(w.code, 0, w.stderr);
  return JSON.parse(lines(w.stdout)[0]) as WatchResult;
}

/** What the app shows for a symbol equals these values. */
function assertShown(r: WatchResult, symbol: string, expected: Record<string, unknown>): void {
  const s = r.symbols[symbol] as unknown as Record<string, unknown>;
  assert.ok(s, `${symbol} shown`);
  const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, s[k]]));
  assert.deepEqual(actual, expected, `${symbol} as the app shows it`);
}

test('the bridge on coinbase reports a refused product, streams the others, skips malformed input, reconnects and resubscribes, and watch shows the last ticker', { timeout: 90_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const fake = await new FakeCoinbase(['BTC-USD', 'ETH-USD'], 200).start();
  const prefix = 'e2e/coinbase';
  const b = bridgeCli(['--source', 'coinbase', '--symbols', 'BTC-USD,ETH-USD,FOO-USD', '--broker', broker.url, '--prefix', prefix,
    '--source-url', fake.url, '--max-rate', '50']);
  try {
    await waitFor(() => fake.current?.subscribed.size === 2, 15_000, 'BTC-USD and ETH-USD subscribed');
    await waitFor(() => b.stderrLines().some((l) => l.includes('FOO-USD: refused by coinbase: Failed to subscribe: FOO-USD is not a valid product')), 5000, 'FOO-USD refused');
    assert.deepEqual(fake.current!.received.map((m) => (m.product_ids as string[])[0]), ['BTC-USD', 'ETH-USD', 'FOO-USD'], 'one subscribe per product');

    const t0 = Date.now() - 60_000;
    const send = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        fake.send('BTC-USD', fake.ticker('BTC-USD', { price: 60_000 + i, seq: 1000 + i, time: t0 + i * 100, volume: 500 + i }));
        fake.send('ETH-USD', fake.ticker('ETH-USD', { price: 3000 + i / 4, seq: 5000 + i, time: t0 + i * 100 }));
        await sleep(30);
      }
    };
    await send(0, 8);
    // Broken messages: not JSON, a negative price, a ticker without time. None may be published.
    fake.send('BTC-USD', 'not json at all');
    fake.send('BTC-USD', { ...fake.ticker('BTC-USD', { price: 1, seq: 2000, time: t0 + 9000 }), price: '-5' });
    const { time: _drop, ...noTime } = fake.ticker('ETH-USD', { price: 1, seq: 6000, time: t0 });
    fake.send('ETH-USD', noTime);
    await sleep(300);

    fake.dropAll();
    await waitFor(() => fake.connections.length === 2 && fake.current?.subscribed.size === 2, 15_000, 'reconnected and resubscribed');
    assert.deepEqual(fake.connections[1].received.map((m) => (m.product_ids as string[])[0]), ['BTC-USD', 'ETH-USD'], 'the refused product is not asked for again');
    await send(8, 14);
    await sleep(500);

    const result = await stopBridge(b);
    assert.equal(result.link.reconnects, 1);
    assert.equal(result.stats.malformed, 3, 'three broken messages counted');
    assert.equal(result.stats.invalid, 0);
    assert.equal(result.symbols['FOO-USD'].state, 'rejected');
    assert.match(result.symbols['FOO-USD'].error, /FOO-USD is not a valid product/);
    assert.equal(result.symbols['BTC-USD'].updates, 14);
    assert.equal(result.changeBasis, 'rolling24h');

    const last = 13;
    const w = await watch(broker.url, prefix, ['BTC-USD', 'ETH-USD']);
    assertShown(w, 'BTC-USD', {
      price: 60_013, bid: 60_012.99, ask: 60_013.01, volume: 513, open: 60_013 * 1.01, prevClose: 60_013 * 1.01, high: 60_013 * 1.02,
      low: 60_013 * 0.98, timestamp: t0 + last * 100, currency: 'USD', ticks: 1, hasGap: false,
    });
    assertShown(w, 'ETH-USD', { price: 3000 + last / 4, timestamp: t0 + last * 100, prevClose: (3000 + last / 4) * 1.01 });
    assert.equal(w.stats.rejected, 0, 'the app accepted every retained quote');
  } finally {
    b.child.kill('SIGKILL');
    await fake.close();
    await broker.close();
  }
});

test('the bridge on binance answers pings, learns from REST which symbol is invalid, reconnects on serverShutdown and with --seq source carries the last trade id', { timeout: 90_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const fake = await new FakeBinance(['BTCUSDT', 'ETHUSDT'], 300, 1000).start();
  const prefix = 'e2e/binance';
  const b = bridgeCli(['--source', 'binance', '--symbols', 'BTC-USD,ETH-USD,FOO-USD', '--broker', broker.url, '--prefix', prefix,
    '--source-url', fake.url, '--rest-url', fake.restUrl, '--seq', 'source', '--max-rate', '50']);
  try {
    await waitFor(() => fake.current?.subscribed.size === 3, 15_000, 'SUBSCRIBE received');
    assert.equal(fake.path, '/stream', 'combined streams');
    assert.deepEqual(fake.current!.received[0], { method: 'SUBSCRIBE', params: ['btcusdt@ticker', 'ethusdt@ticker', 'foousdt@ticker'], id: 1 });
    await waitFor(() => b.stderrLines().some((l) => l.includes('FOO-USD: refused by binance: Binance: Invalid symbol. (-1121)')), 5000, 'FOO-USD refused by REST');
    await sleep(1500);
    assert.ok(fake.connections[0].pongs >= 3, `answered the pings (${fake.connections[0].pongs} pongs)`);
    assert.equal(fake.connections.length, 1, 'no drop for missing pongs');

    const t0 = Date.now() - 30_000;
    for (let i = 0; i < 5; i++) {
      fake.send('btcusdt@ticker', fake.ticker('BTCUSDT', { price: 70_000 + i, lastTradeId: 900 + i * 3, time: t0 + i * 1000 }));
      fake.send('ethusdt@ticker', fake.ticker('ETHUSDT', { price: 3500 + i, lastTradeId: 400 + i, time: t0 + i * 1000 }));
      await sleep(30);
    }
    fake.broadcast({ e: 'serverShutdown', E: Date.now() });
    await waitFor(() => fake.connections.length === 2 && fake.current?.subscribed.size === 2, 15_000, 'reconnected after serverShutdown');
    assert.deepEqual(fake.current!.received[0].params, ['btcusdt@ticker', 'ethusdt@ticker'], 'resubscribed without the invalid symbol');
    fake.send('btcusdt@ticker', fake.ticker('BTCUSDT', { price: 70_100, lastTradeId: 990, time: t0 + 9000, open: 69_000, volume: 777.5 }));
    // The same trade id again (no trade, a moved window): published without seq, ordered by time.
    fake.send('ethusdt@ticker', fake.ticker('ETHUSDT', { price: 3510, lastTradeId: 404, time: t0 + 9000 }));
    await sleep(500);
    const result = await stopBridge(b);
    assert.equal(result.link.reconnects, 1);
    assert.equal(result.symbols['FOO-USD'].state, 'rejected');

    const w = await watch(broker.url, prefix, ['BTC-USD', 'ETH-USD']);
    assertShown(w, 'BTC-USD', { price: 70_100, seq: 990, open: 69_000, prevClose: 69_000, volume: 777.5, timestamp: t0 + 9000, currency: 'USDT' });
    assertShown(w, 'ETH-USD', { price: 3510, timestamp: t0 + 9000, currency: 'USDT' });
  } finally {
    b.child.kill('SIGKILL');
    await fake.close();
    await broker.close();
  }
});

test('the bridge on kraken reads per-pair acks (an unsupported pair is refused), takes the snapshot then the updates, and reconnects after silence', { timeout: 90_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  // Heartbeats only every 10 s: with --silence 1 the bridge must notice the quiet link by itself.
  const fake = await new FakeKraken(['BTC/USD', 'ETH/USD'], 10_000).start();
  const t0 = Date.now() - 20_000;
  fake.snapshots.set('BTC/USD', fake.entry('BTC/USD', { last: 65_000, change: 500, time: t0 }));
  const prefix = 'e2e/kraken';
  const b = bridgeCli(['--source', 'kraken', '--symbols', 'BTC-USD,ETH-USD,FOO-USD', '--broker', broker.url, '--prefix', prefix,
    '--source-url', fake.url, '--silence', '1', '--max-rate', '50']);
  try {
    await waitFor(() => b.stderrLines().some((l) => l.includes('FOO-USD: refused by kraken: Kraken: Currency pair not supported FOO/USD')), 15_000, 'FOO-USD refused');
    await waitFor(() => fake.connections.length >= 2, 10_000, 'reconnect after a second of silence');
    await waitFor(() => fake.current?.subscribed.size === 2, 10_000, 'resubscribed');
    assert.deepEqual((fake.current!.received[0].params as { symbol: string[] }).symbol, ['BTC/USD', 'ETH/USD']);
    fake.send(fake.entry('BTC/USD', { last: 65_100, change: 600, time: t0 + 5000, volume: 12.25 }));
    fake.send(fake.entry('ETH/USD', { last: 3300, change: -20, time: t0 + 5000 }));
    await sleep(500);
    const result = await stopBridge(b);
    assert.ok(result.link.silences >= 1, `silences counted (${result.link.silences})`);
    const w = await watch(broker.url, prefix, ['BTC-USD', 'ETH-USD']);
    assertShown(w, 'BTC-USD', { price: 65_100, bid: 65_099.5, ask: 65_100.5, volume: 12.25, prevClose: 64_500, open: 64_500, high: 65_110, low: 65_090, timestamp: t0 + 5000 });
    assertShown(w, 'ETH-USD', { price: 3300, prevClose: 3320, change: -20 });
  } finally {
    b.child.kill('SIGKILL');
    await fake.close();
    await broker.close();
  }
});

test('the bridge on finnhub takes the key from the environment only, the previous close from REST, refuses an unknown symbol and streams trades; a wrong key exits 1 unprinted', { timeout: 90_000 }, async () => {
  const key = 'fh-SECRET-key-123';
  const broker = await startBroker({ port: 0 });
  const fake = await new FakeFinnhub(key, 500).start();
  const t0 = Date.now() - 10_000;
  fake.quotes.set('AAPL', { c: 190, d: 2, dp: 1.06, h: 191, l: 186, o: 187, pc: 188, t: Math.floor(t0 / 1000) });
  fake.quotes.set('MSFT', { c: 420, d: -1, dp: -0.24, h: 425, l: 418, o: 421, pc: 421, t: Math.floor(t0 / 1000) });
  const prefix = 'e2e/finnhub';
  const args = ['--source', 'finnhub', '--symbols', 'AAPL,MSFT,FOOBAR', '--broker', broker.url, '--prefix', prefix,
    '--source-url', fake.url, '--rest-url', fake.restUrl, '--max-rate', '50'];
  const b = bridgeCli(args, { FINNHUB_API_KEY: key });
  try {
    // a deadline, not a timing check: the previous closes come from REST first, slow on a loaded machine
    await waitFor(() => fake.current?.subscribed.size === 3, 30_000, 'subscribed');
    await waitFor(() => b.stderrLines().some((l) => l.includes('FOOBAR: refused by finnhub: Finnhub has no quote for FOOBAR')), 5000, 'FOOBAR refused');
    fake.trades([{ s: 'AAPL', p: 191.5, t: t0 + 2000 }, { s: 'MSFT', p: 419, t: t0 + 2000 }, { s: 'AAPL', p: 192.25, t: t0 + 2500 }]);
    await sleep(500);
    const result = await stopBridge(b);
    assert.equal(result.symbols.FOOBAR.state, 'rejected');
    assert.equal(result.changeBasis, 'session');
    const r = await b.done;
    assert.equal(`${r.stdout}${r.stderr}`.includes(key), false, 'the key is never printed');
    assert.equal(fake.badTokens, 0);

    const w = await watch(broker.url, prefix, ['AAPL', 'MSFT']);
    assertShown(w, 'AAPL', { price: 192.25, prevClose: 188, open: 187, high: 192.25, low: 186, timestamp: t0 + 2500, currency: 'USD' });
    assertShown(w, 'MSFT', { price: 419, prevClose: 421, high: 425, timestamp: t0 + 2000 });

    const noKey = await runCli(['bridge', ...args], { env: { FINNHUB_API_KEY: '' } });
    assert.equal(noKey.code, 2, noKey.stderr);
    assert.match(noKey.stderr, /needs your API key in the environment variable FINNHUB_API_KEY/);
    const wrong = 'fh-WRONG-key-456';
    const bad = await runCli(['bridge', ...args, '--duration', '10'], { env: { FINNHUB_API_KEY: wrong }, timeoutMs: 30_000 });
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /quotefeed bridge: the source answered the WebSocket handshake with HTTP 401 \(the key was refused\)/);
    assert.equal(`${bad.stdout}${bad.stderr}`.includes(wrong), false, 'the wrong key is not printed either');
  } finally {
    b.child.kill('SIGKILL');
    await fake.close();
    await broker.close();
  }
});

test('the bridge publishes at most --max-rate quotes a second per symbol and the final value arrives', { timeout: 60_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const fake = await new FakeCoinbase(['BTC-USD'], 200).start();
  const prefix = 'e2e/throttle';
  const sub = await subscribe(broker.url, `${prefix}/+/quotes`, 1);
  const b = bridgeCli(['--source', 'coinbase', '--symbols', 'BTC-USD', '--broker', broker.url, '--prefix', prefix, '--source-url', fake.url]);
  try {
    await waitFor(() => fake.current?.subscribed.size === 1, 15_000, 'subscribed');
    const t0 = Date.now() - 10_000;
    const n = 60;
    const feedStart = Date.now();
    for (let i = 0; i < n; i++) {
      fake.send('BTC-USD', fake.ticker('BTC-USD', { price: 50_000 + i, seq: i + 1, time: t0 + i * 10 }));
      await sleep(40);
    }
    // The feed takes as long as the machine lets it (nominally 2.4 s): the bound follows what it took.
    const fedMs = Date.now() - feedStart;
    await sleep(1200);
    const result = await stopBridge(b);
    const got = sub.messages;
    assert.equal(result.stats.updates, n);
    assert.equal(got.length, result.stats.published);
    assert.ok(got.length >= 4 && got.length <= Math.ceil(fedMs / 500) + 2, `${got.length} publishes for ${n} updates over ${fedMs} ms`);
    // The bridge spaces publishes 500 ms apart (exactly so in the throttle's unit test, on a manual
    // clock); seen from a subscriber, delivery jitter on a busy machine blurs that a little.
    for (let i = 1; i < got.length; i++) assert.ok(got[i].at - got[i - 1].at >= 250, `publishes ${i - 1} and ${i} are ${Math.round(got[i].at - got[i - 1].at)} ms apart`);
    for (const m of got) {
      const inWindow = got.filter((x) => x.at >= m.at && x.at < m.at + 1000).length;
      assert.ok(inWindow <= 3, `${inWindow} publishes within one second`);
    }
    const meanGap = (got[got.length - 1].at - got[0].at) / (got.length - 1);
    assert.ok(meanGap >= 480, `mean gap ${Math.round(meanGap)} ms`);
    assert.equal(got[got.length - 1].payload.price, 50_000 + n - 1, 'the final value is delivered');
    assert.equal(got[got.length - 1].retain, false, 'live delivery (retained flag is set only for late subscribers)');
    assert.equal(got[0].payload.changeBasis, 'rolling24h');
  } finally {
    b.child.kill('SIGKILL');
    await sub.close();
    await fake.close();
    await broker.close();
  }
});

test('after a broker restart the bridge reconnects with backoff and the latest quote of every symbol reaches the broker', { timeout: 90_000 }, async () => {
  let broker = await startBroker({ port: 0 });
  const port = broker.port;
  const fake = await new FakeCoinbase(['BTC-USD', 'ETH-USD'], 200).start();
  const prefix = 'e2e/restart';
  const b = bridgeCli(['--source', 'coinbase', '--symbols', 'BTC-USD,ETH-USD', '--broker', broker.url, '--prefix', prefix, '--source-url', fake.url]);
  try {
    await waitFor(() => fake.current?.subscribed.size === 2, 15_000, 'subscribed');
    const t0 = Date.now() - 10_000;
    fake.send('BTC-USD', fake.ticker('BTC-USD', { price: 61_000, seq: 1, time: t0 }));
    await sleep(300);
    await broker.close();
    await waitFor(() => b.stderrLines().some((l) => l.includes('broker link down')), 10_000, 'broker loss noticed');
    // While the broker is away the source keeps talking; only the latest values matter.
    fake.send('BTC-USD', fake.ticker('BTC-USD', { price: 61_500, seq: 2, time: t0 + 1000 }));
    fake.send('ETH-USD', fake.ticker('ETH-USD', { price: 3100, seq: 7, time: t0 + 1000 }));
    await sleep(600);
    fake.send('BTC-USD', fake.ticker('BTC-USD', { price: 61_777, seq: 3, time: t0 + 2000 }));
    broker = await startBroker({ port });
    await waitFor(() => b.stderrLines().some((l) => l.includes('broker link back')), 20_000, 'broker link back');
    const result = await stopBridge(b);
    assert.ok(result.brokerLink.reconnects >= 1);
    const w = await watch(broker.url, prefix, ['BTC-USD', 'ETH-USD']);
    assertShown(w, 'BTC-USD', { price: 61_777, timestamp: t0 + 2000 });
    assertShown(w, 'ETH-USD', { price: 3100, timestamp: t0 + 1000 });
  } finally {
    b.child.kill('SIGKILL');
    await fake.close();
    await broker.close();
  }
});

test('bridge usage errors exit 2 with one line, before any connection', { timeout: 60_000 }, async () => {
  const cases: [string[], RegExp][] = [
    [['bridge', '--symbols', 'BTC-USD', '--broker', 'mqtt://127.0.0.1:1'], /--source is required \(coinbase, binance, kraken, finnhub\)/],
    [['bridge', '--source', 'bitstamp', '--symbols', 'BTC-USD', '--broker', 'mqtt://127.0.0.1:1'], /--source must be one of coinbase, binance, kraken, finnhub/],
    [['bridge', '--source', 'coinbase', '--broker', 'mqtt://127.0.0.1:1'], /--symbols is required/],
    [['bridge', '--source', 'coinbase', '--symbols', 'AAPL,MSFT', '--broker', 'mqtt://127.0.0.1:1'], /AAPL is not a Coinbase product id .*; MSFT is not a Coinbase product id/],
    [['bridge', '--source', 'kraken', '--symbols', 'BTC-USD', '--broker', 'mqtt://127.0.0.1:1', '--source-url', 'http://x'], /--source-url must start with ws:\/\/ or wss:\/\//],
    [['bridge', '--source', 'kraken', '--symbols', 'BTC-USD', '--broker', 'mqtt://127.0.0.1:1', '--max-rate', '0'], /--max-rate must be greater than 0/],
    [['bridge', '--source', 'finnhub', '--symbols', 'AAPL', '--broker', 'mqtt://127.0.0.1:1', '--token', 'x'], /unknown option --token/],
  ];
  const results = await Promise.all(cases.map(([argv]) => runCli(argv, { env: { FINNHUB_API_KEY: '' } })));
  cases.forEach(([argv, re], i) => {
    assert.equal(results[i].code, 2, `${argv.join(' ')}: ${results[i].stderr}`);
    assert.equal(lines(results[i].stderr).length, 1, results[i].stderr);
    assert.match(results[i].stderr, re);
  });
});
