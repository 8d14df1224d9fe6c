// The simulator is reproducible for a seed and start time, and every tick honours the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSimulator, quoteProblem, instrumentFor, DEFAULT_UNIVERSE, universeSymbols, Quote,
} from '../../tools/quotefeed/src/index';
import { encodeQuote, QUOTE_FIELDS, QuoteCodec, TimestampFormat } from '@quotedeck/core';

const START = Date.parse('2025-03-03T14:30:00Z');

function onTick(x: number, tick: number): boolean {
  const k = x / tick;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

test('same seed and start time give the same ticks, timestamps included', () => {
  const a = createSimulator({ seed: 42, startTime: START }).take(2000);
  const b = createSimulator({ seed: 42, startTime: START }).take(2000);
  assert.deepEqual(a, b);
  assert.deepEqual(a.map((q) => encodeQuote(q, TimestampFormat.EPOCH_MS)), b.map((q) => encodeQuote(q, TimestampFormat.EPOCH_MS)));
  const c = createSimulator({ seed: 43, startTime: START }).take(2000);
  assert.notDeepEqual(a.map((q) => q.price), c.map((q) => q.price));
});

test('every tick honours the contract (seq rising, bid <= ask, volume non-decreasing, prices on tick size)', () => {
  const sim = createSimulator({ seed: 7, startTime: START, profile: 'normal' });
  const ticks = sim.take(5000);
  const last = new Map<string, Quote>();
  let prevTs = -Infinity;
  for (const q of ticks) {
    const text = encodeQuote(q, TimestampFormat.EPOCH_MS);
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes >= 80 && bytes <= 260, `payload size ${bytes}: ${text}`);
    const parsed = JSON.parse(text);
    assert.equal(quoteProblem(parsed, q.symbol), null, text);
    for (const { key } of QUOTE_FIELDS) {
      assert.ok(key in parsed, `${key} missing in ${text}`);
    }
    const inst = instrumentFor(q.symbol, 7);
    for (const f of ['price', 'bid', 'ask', 'open', 'high', 'low', 'prevClose'] as const) {
      assert.ok(onTick(q[f] as number, inst.tickSize), `${q.symbol} ${f}=${q[f]} not on tick ${inst.tickSize}`);
    }
    assert.ok((q.bid as number) <= (q.ask as number));
    assert.ok((q.bid as number) <= q.price && q.price <= (q.ask as number), `${q.bid} ${q.price} ${q.ask}`);
    assert.ok((q.low as number) <= q.price && q.price <= (q.high as number));
    assert.ok(q.price > 0 && Number.isInteger(q.seq) && q.seq >= 0);
    assert.equal(typeof q.timestamp, 'number');
    assert.ok((q.timestamp as number) >= prevTs, 'timestamps follow the schedule');
    prevTs = q.timestamp as number;
    const p = last.get(q.symbol);
    if (p) {
      assert.equal(q.seq, p.seq + 1, `${q.symbol} seq`);
      assert.ok((q.volume as number) > (p.volume as number), `${q.symbol} volume`);
      assert.ok((q.high as number) >= (p.high as number) && (q.low as number) <= (p.low as number));
      assert.equal(q.open, p.open);
      assert.equal(q.prevClose, p.prevClose);
    } else {
      assert.equal(q.seq, 0);
    }
    last.set(q.symbol, q);
  }
  assert.equal(last.size, 50, 'all 50 symbols of the normal profile ticked');
});

test('timestamps come from the start time and the profile rate', () => {
  const sim = createSimulator({ seed: 1, startTime: START, profile: 'active' });
  assert.equal(sim.symbols.length, 200);
  assert.ok(Math.abs(sim.totalRate - 2000) < 1e-6);
  const ticks = sim.take(20_000);
  const span = (ticks[ticks.length - 1].timestamp as number) - START;
  // 20,000 ticks at 2,000/s: about 10 s of simulated time.
  assert.ok(span > 9000 && span < 11000, `span ${span} ms`);
  assert.ok((ticks[0].timestamp as number) >= START);
});

test('the normal, active and burst profiles set their rates and the burst has one hot symbol at 1k/s', () => {
  const normal = createSimulator({ seed: 3 });
  assert.equal(normal.symbols.length, 50);
  assert.ok(normal.totalRate >= 50 && normal.totalRate <= 100, `normal ${normal.totalRate}`);
  for (const s of normal.symbols) {
    const r = normal.rateOf(s)!;
    assert.ok(r >= 1 && r <= 2);
  }
  const burst = createSimulator({ seed: 3, profile: 'burst', startTime: START });
  assert.ok(Math.abs(burst.totalRate - 10_000) < 1e-6);
  assert.equal(burst.rateOf('AAPL'), 1000);
  const ticks = burst.take(50_000);
  const aapl = ticks.filter((q) => q.symbol === 'AAPL').length;
  assert.ok(aapl > 4500 && aapl < 5500, `AAPL ticks ${aapl} of 50,000`);
  assert.ok(Math.abs((ticks[ticks.length - 1].timestamp as number) - START - 5000) < 100);
  const scaled = createSimulator({ seed: 3, profile: 'active', rate: 500 });
  assert.ok(Math.abs(scaled.totalRate - 500) < 1e-6);
});

test('the universe holds the usual named instruments and generates valid further symbols', () => {
  const named = DEFAULT_UNIVERSE.map((i) => i.symbol);
  for (const s of ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', '0700.HK', '9988.HK', '600519.SS', '000001.SZ', 'BTC-USD', 'ETH-USD', 'EURUSD', '^GSPC']) {
    assert.ok(named.includes(s), s);
  }
  const u = universeSymbols(200);
  assert.equal(new Set(u).size, 200);
  assert.equal(u[named.length], 'SYM001');
  assert.equal(u[199], `SYM${String(200 - named.length).padStart(3, '0')}`);
  const gen = instrumentFor('SYM001', 5);
  assert.equal(gen.name, 'Simulated Co. 001');
  assert.deepEqual(gen, instrumentFor('SYM001', 5));
  const q = createSimulator({ seed: 5, symbols: ['0700.HK', 'EURUSD', 'XYZ'], startTime: START }).take(30);
  assert.ok(q.every((x) => quoteProblem(JSON.parse(encodeQuote(x, TimestampFormat.EPOCH_MS))) === null));
  assert.equal(q.find((x) => x.symbol === '0700.HK')?.currency, 'HKD');
});

test("a symbol's path depends on the seed, not on which other symbols run", () => {
  const alone = createSimulator({ seed: 9, symbols: ['NVDA'], startTime: START }).take(200);
  const mixed = createSimulator({ seed: 9, symbols: ['AAPL', 'NVDA', 'BTC-USD'], startTime: START }).take(2000).filter((q) => q.symbol === 'NVDA');
  assert.deepEqual(mixed.slice(0, 200), alone);
});

test('prices do not depend on the timestamps the caller supplies and the day rolls over at UTC midnight', () => {
  const a = createSimulator({ seed: 11, symbols: ['AAPL', 'MSFT'] });
  const b = createSimulator({ seed: 11, symbols: ['AAPL', 'MSFT'] });
  const pa = Array.from({ length: 300 }, () => a.next(START).price);
  const pb = Array.from({ length: 300 }, (_, i) => b.next(START + i * 997).price);
  assert.deepEqual(pa, pb);
  const sim = createSimulator({ seed: 11, symbols: ['AAPL'] });
  let before = sim.next(Date.parse('2025-03-03T23:59:00Z'));
  for (let i = 0; i < 20; i++) before = sim.next(Date.parse('2025-03-03T23:59:59Z'));
  const after = sim.next(Date.parse('2025-03-04T00:00:01Z'));
  assert.equal(after.prevClose, before.price);
  assert.equal(after.open, after.price);
  assert.equal(after.high, after.price);
  assert.ok((after.volume as number) < (before.volume as number), 'volume restarts with the day');
  assert.equal(after.seq, before.seq + 1);
});

test('seqStart offsets every symbol and stays reproducible', () => {
  const q = createSimulator({ seed: 2, symbols: ['AAPL', 'MSFT'], startTime: START, seqStart: 1_700_000_000_000 }).take(10);
  const first = new Map<string, number>();
  for (const x of q) if (!first.has(x.symbol)) first.set(x.symbol, x.seq);
  assert.deepEqual([...first.values()], [1_700_000_000_000, 1_700_000_000_000]);
});

test("every simulated tick, in either timestamp format, is accepted by the app's QuoteCodec and decodes to itself", () => {
  const codec = new QuoteCodec();
  const ticks = createSimulator({ seed: 21, profile: 'active', startTime: START }).take(4000);
  const te = new TextEncoder();
  for (const q of ticks) {
    for (const format of [TimestampFormat.EPOCH_MS, TimestampFormat.ISO]) {
      const text = encodeQuote(q, format);
      const r = codec.decode(`finance/${q.symbol}/quotes`, te.encode(text).buffer as ArrayBuffer, START + 60_000);
      assert.ok(r.ok, `${text}: rejected ${r.reason} ${r.field}`);
      assert.deepEqual(r.quote, q, text);
    }
  }
});
