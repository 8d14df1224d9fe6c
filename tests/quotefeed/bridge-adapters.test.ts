// The four adapters against their documentation: the documented example messages map to the
// documented fields, symbols map to each source's own form and back, answers and errors are
// recognised, and malformed input is a counted event, never a quote. Plus the throttle, on a
// manual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, ManualTimers } from '@quotedeck/testing';
import { ADAPTERS } from '../../tools/quotefeed/src/bridge/adapters';
import type { SourceEvent } from '../../tools/quotefeed/src/bridge/source';
import { MappingError } from '../../tools/quotefeed/src/bridge/source';
import { Throttle } from '../../tools/quotefeed/src/bridge/throttle';
import { BINANCE_TICKER_EXAMPLE, COINBASE_TICKER_EXAMPLE, FINNHUB_TRADE_EXAMPLE, KRAKEN_TICKER_EXAMPLE } from './bridge-fakes';

const { coinbase, binance, kraken, finnhub } = ADAPTERS;
const NOW = Date.parse('2024-06-03T13:30:00Z');

function parse(adapter: keyof typeof ADAPTERS, symbols: string[], msg: unknown): SourceEvent[] {
  const session = ADAPTERS[adapter].newSession(symbols);
  session.subscribeMessages();
  return session.parse(typeof msg === 'string' ? msg : JSON.stringify(msg), NOW);
}

test('every source maps the app\'s symbol names to its own and names the currency quoted', () => {
  assert.equal(coinbase.toSource('BTC-USD'), 'BTC-USD');
  assert.equal(binance.toSource('BTC-USD'), 'BTCUSDT');
  assert.equal(binance.currencyOf('BTC-USD'), 'USDT');
  assert.equal(binance.toSource('ETH-BTC'), 'ETHBTC');
  assert.equal(binance.currencyOf('ETH-BTC'), 'BTC');
  assert.equal(kraken.toSource('BTC-USD'), 'BTC/USD');
  assert.equal(kraken.toSource('ALGO-USD'), 'ALGO/USD');
  assert.equal(finnhub.toSource('AAPL'), 'AAPL');
  assert.equal(finnhub.toSource('BRK.B'), 'BRK.B');
  for (const [a, sym] of [[coinbase, 'AAPL'], [binance, 'AAPL'], [kraken, '0700.HK'], [finnhub, 'BTC-USD']] as const) {
    assert.throws(() => a.toSource(sym), MappingError, `${a.name} refuses ${sym}`);
  }
  assert.equal(binance.connectUrl('wss://stream.binance.com:9443', ['BTCUSDT']), 'wss://stream.binance.com:9443/stream');
  assert.equal(finnhub.connectUrl('wss://ws.finnhub.io', ['AAPL'], 'k3y'), 'wss://ws.finnhub.io/?token=k3y');
});

test('the coinbase adapter subscribes once per product (ticker + heartbeat) and maps the documented ticker field by field', () => {
  const s = coinbase.newSession(['ETH-USD', 'BTC-USD']);
  assert.deepEqual(s.subscribeMessages().map((m) => JSON.parse(m)), [
    { type: 'subscribe', product_ids: ['ETH-USD'], channels: ['ticker', 'heartbeat'] },
    { type: 'subscribe', product_ids: ['BTC-USD'], channels: ['ticker', 'heartbeat'] },
  ]);
  assert.deepEqual(s.parse(JSON.stringify(COINBASE_TICKER_EXAMPLE), NOW), [{
    kind: 'quote', symbol: 'ETH-USD',
    fields: {
      price: 1285.22, timestamp: Date.parse('2022-10-19T23:28:22.061Z'), seq: 37475248783, bid: 1285.04, ask: 1285.27,
      volume: 245532.79269678, open: 1310.79, high: 1313.8, low: 1280.52, prevClose: 1310.79,
    },
  }]);
  assert.deepEqual(s.parse('{"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD","time":"2014-11-07T08:19:28.464459Z"}', NOW), [{ kind: 'alive' }]);
});

test('the coinbase adapter confirms subscriptions and lets "Failed to subscribe" refuse the product it names or the oldest unanswered one', () => {
  const s = coinbase.newSession(['BTC-USD', 'FOO-USD', 'ETH-USD']);
  s.subscribeMessages();
  assert.deepEqual(s.parse(JSON.stringify({ type: 'subscriptions', channels: [{ name: 'ticker', product_ids: ['BTC-USD'] }, { name: 'heartbeat', product_ids: ['BTC-USD'] }] }), NOW),
    [{ kind: 'subscribed', symbols: ['BTC-USD'] }]);
  assert.deepEqual(s.parse(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'FOO-USD is not a valid product' }), NOW),
    [{ kind: 'rejected', symbol: 'FOO-USD', reason: 'Failed to subscribe: FOO-USD is not a valid product' }]);
  assert.deepEqual(s.parse(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: ' is not a valid product' }), NOW),
    [{ kind: 'rejected', symbol: 'ETH-USD', reason: 'Failed to subscribe:  is not a valid product' }]);
  assert.deepEqual(s.parse(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'No channels provided' }), NOW),
    [{ kind: 'error', reason: 'Failed to subscribe: No channels provided' }]);
});

test('the binance adapter subscribes with lower-case stream names, takes {"result":null} as confirmation and maps the documented 24hrTicker', () => {
  const s = binance.newSession(['BTCUSDT', 'BNBBTC']);
  const [sub] = s.subscribeMessages();
  assert.deepEqual(JSON.parse(sub), { method: 'SUBSCRIBE', params: ['btcusdt@ticker', 'bnbbtc@ticker'], id: 1 });
  assert.deepEqual(s.parse('{"result":null,"id":1}', NOW), [{ kind: 'subscribed', symbols: ['BTCUSDT', 'BNBBTC'] }]);
  const wrapped = { stream: 'bnbbtc@ticker', data: BINANCE_TICKER_EXAMPLE };
  assert.deepEqual(s.parse(JSON.stringify(wrapped), NOW), [{
    kind: 'quote', symbol: 'BNBBTC',
    fields: { price: 0.0025, timestamp: 1672515782136, seq: 18150, bid: 0.0024, ask: 0.0026, volume: 10000, open: 0.001, high: 0.0025, low: 0.001, prevClose: 0.001 },
  }]);
  assert.deepEqual(s.parse('{"error":{"code":2,"msg":"Invalid request: too many parameters"},"id":7}', NOW),
    [{ kind: 'error', reason: 'Binance refused request 7: Invalid request: too many parameters' }]);
  assert.deepEqual(s.parse('{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}', NOW),
    [{ kind: 'error', reason: 'Binance error 3: Invalid JSON: expected value at line 1 column 1' }]);
  for (const shutdown of ['{"e":"serverShutdown","E":1770123456789}', '{"event":{"e":"serverShutdown","E":1770123456789}}']) {
    assert.equal(s.parse(shutdown, NOW)[0].kind, 'reconnect');
  }
});

test('the kraken adapter subscribes once for all pairs, reads acks per pair and maps the documented ticker (24 h reference = last - change)', () => {
  const s = kraken.newSession(['ALGO/USD', 'FOO/USD']);
  assert.deepEqual(JSON.parse(s.subscribeMessages()[0]), { method: 'subscribe', params: { channel: 'ticker', symbol: ['ALGO/USD', 'FOO/USD'] }, req_id: 1 });
  assert.deepEqual(JSON.parse(s.keepaliveMessage!()), { method: 'ping', req_id: 2 });
  assert.deepEqual(s.parse(JSON.stringify({ method: 'subscribe', req_id: 1, result: { channel: 'ticker', snapshot: true, symbol: 'ALGO/USD' }, success: true }), NOW),
    [{ kind: 'subscribed', symbols: ['ALGO/USD'] }]);
  assert.deepEqual(s.parse(JSON.stringify({ error: 'Currency pair not supported FOO/USD', method: 'subscribe', req_id: 1, success: false, symbol: 'FOO/USD' }), NOW),
    [{ kind: 'rejected', symbol: 'FOO/USD', reason: 'Kraken: Currency pair not supported FOO/USD' }]);
  const [e] = s.parse(JSON.stringify({ channel: 'ticker', type: 'snapshot', data: [KRAKEN_TICKER_EXAMPLE] }), NOW);
  assert.equal(e.kind, 'quote');
  if (e.kind !== 'quote') return;
  assert.equal(e.symbol, 'ALGO/USD');
  const ref = 0.10035 + 0.00017;
  assert.deepEqual(e.fields, {
    price: 0.10035, timestamp: Date.parse('2023-09-25T09:04:31.742Z'), bid: 0.10025, ask: 0.10036, volume: 997038.98383185,
    high: 0.10285, low: 0.09979, open: ref, prevClose: ref,
  });
  const { timestamp: _t, ...withoutTime } = KRAKEN_TICKER_EXAMPLE;
  const [e2] = s.parse(JSON.stringify({ channel: 'ticker', type: 'update', data: [withoutTime] }), NOW);
  assert.equal(e2.kind === 'quote' && e2.fields.timestamp, NOW, 'no timestamp: the receive time');
  assert.deepEqual(s.parse('{"channel":"heartbeat"}', NOW), [{ kind: 'alive' }]);
  assert.deepEqual(s.parse('{"method":"pong","req_id":2}', NOW), [{ kind: 'alive' }]);
});

test('the finnhub adapter subscribes per symbol, maps the price and time of trades, takes a ping as a sign of life and errors as errors', () => {
  const s = finnhub.newSession(['AAPL', 'MSFT']);
  assert.deepEqual(s.subscribeMessages().map((m) => JSON.parse(m)), [{ type: 'subscribe', symbol: 'AAPL' }, { type: 'subscribe', symbol: 'MSFT' }]);
  assert.deepEqual(s.parse(JSON.stringify(FINNHUB_TRADE_EXAMPLE), NOW), [{ kind: 'quote', symbol: 'BINANCE:BTCUSDT', fields: { price: 7296.89, timestamp: 1575526691134 } }]);
  assert.deepEqual(s.parse('{"type":"ping"}', NOW), [{ kind: 'alive' }]);
  assert.deepEqual(s.parse('{"type":"error","msg":"Subscribing to too many symbols"}', NOW), [{ kind: 'error', reason: 'Finnhub: Subscribing to too many symbols' }]);
});

test('malformed input is a counted event for every adapter, never a quote', () => {
  const bad: [keyof typeof ADAPTERS, string[], unknown][] = [
    ['coinbase', ['ETH-USD'], 'not json'],
    ['coinbase', ['ETH-USD'], [1, 2]],
    ['coinbase', ['ETH-USD'], { ...COINBASE_TICKER_EXAMPLE, price: 'abc' }],
    ['coinbase', ['ETH-USD'], { ...COINBASE_TICKER_EXAMPLE, price: '-1' }],
    ['coinbase', ['ETH-USD'], { ...COINBASE_TICKER_EXAMPLE, time: '2022-10-19 23:28:22' }],
    ['binance', ['BNBBTC'], { stream: 'bnbbtc@ticker', data: { ...BINANCE_TICKER_EXAMPLE, c: null } }],
    ['binance', ['BNBBTC'], { stream: 'bnbbtc@ticker', data: { ...BINANCE_TICKER_EXAMPLE, E: '1672515782136' } }],
    ['binance', ['BNBBTC'], { stream: 'bnbbtc@ticker', data: 'x' }],
    ['kraken', ['ALGO/USD'], { channel: 'ticker', type: 'update', data: [{ ...KRAKEN_TICKER_EXAMPLE, last: 'NaN' }] }],
    ['kraken', ['ALGO/USD'], { channel: 'ticker', type: 'update', data: [{ ...KRAKEN_TICKER_EXAMPLE, timestamp: 'yesterday' }] }],
    ['kraken', ['ALGO/USD'], { channel: 'ticker', type: 'update', data: {} }],
    ['finnhub', ['AAPL'], { type: 'trade', data: [{ s: 'AAPL', p: 0, t: 1575526691134 }] }],
    ['finnhub', ['AAPL'], { type: 'trade', data: [{ s: 'AAPL', p: 1, t: 1.5 }] }],
    ['finnhub', ['AAPL'], { data: [] }],
  ];
  for (const [a, syms, msg] of bad) {
    const events = parse(a, syms, msg);
    assert.ok(events.length > 0 && events.every((e) => e.kind === 'malformed'), `${a} ${JSON.stringify(msg).slice(0, 80)}: ${JSON.stringify(events)}`);
  }
});

test('the throttle lets at most one value per interval per symbol through and the latest one always goes out', () => {
  const clock = new ManualClock(NOW);
  const timers = new ManualTimers(clock);
  const sent: [string, number, number][] = [];
  const t = new Throttle<number>(2, (k, v) => sent.push([k, v, clock.now()]), timers, () => clock.now());
  t.offer('A', 1);
  t.offer('B', 1);
  t.offer('A', 2);
  t.offer('A', 3);
  assert.deepEqual(sent, [['A', 1, NOW], ['B', 1, NOW]], 'the first value of each symbol goes at once');
  timers.advance(499);
  assert.equal(sent.length, 2);
  timers.advance(1);
  assert.deepEqual(sent[2], ['A', 3, NOW + 500], 'the latest waiting value, one interval later');
  assert.equal(t.superseded, 1);
  for (let i = 0; i < 100; i++) {
    t.offer('A', 100 + i);
    timers.advance(10);
  }
  timers.advance(1000);
  const a = sent.filter(([k]) => k === 'A');
  for (let i = 1; i < a.length; i++) assert.ok(a[i][2] - a[i - 1][2] >= 500, 'never two within 500 ms');
  assert.equal(a[a.length - 1][1], 199, 'the final value is delivered');
  assert.equal(t.waiting, 0);
});
