// What a tick re-renders. ArkUI V2 re-renders the nodes bound to a @Trace property when a write
// changes it (`!==`); on Node the decorators are no-ops, so this test puts the same rule on a
// QuoteItem's own properties and records which ones a batch changes: a field a tick leaves alone
// must never be written, so nothing bound to it re-renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineStats, Quote, QuoteBatch, QuoteSnapshot } from '@quotedeck/core';
import { QuoteItem, QuoteStore } from '@quotedeck/ui';

const T0 = 1_714_564_800_000;

/** Records, per write, each property whose value changed by V2's rule. */
function observe(item: QuoteItem): Set<string> {
  const fired = new Set<string>();
  for (const key of Object.keys(item)) {
    let value = (item as unknown as Record<string, unknown>)[key];
    Object.defineProperty(item, key, {
      get: () => value,
      set: (next: unknown) => {
        if (next !== value) fired.add(key);
        value = next;
      },
    });
  }
  return fired;
}

function tick(seq: number, price: number): QuoteSnapshot {
  const q = new Quote('AAPL', price, T0 + seq * 1000);
  q.seq = seq;
  q.bid = price - 0.01;
  q.ask = price + 0.01;
  q.volume = 1000 + seq;
  q.open = 188;
  q.high = 192;
  q.low = 187;
  q.prevClose = 189;
  q.name = 'Apple Inc.';
  q.currency = 'USD';
  const s = new QuoteSnapshot(q);
  s.ticks = seq;
  s.receivedAt = T0 + seq * 1000 + 20;
  s.latencyMs = 20;
  return s;
}

function apply(store: QuoteStore, seq: number, snapshots: QuoteSnapshot[]): void {
  store.apply(new QuoteBatch(seq, snapshots, [], new EngineStats()));
}

test('a tick writes only the fields it changed; name, currency, open, high, low and prevClose stay untouched', () => {
  const store = new QuoteStore();
  store.setWatchlist(['AAPL']);
  const item = store.item('AAPL')!;
  apply(store, 1, [tick(1, 190)]);
  const fired = observe(item);
  apply(store, 2, [tick(2, 190.5)]);
  assert.deepEqual([...fired].sort(), [
    'ask', 'bid', 'change', 'changePct', 'flashSeq', 'move', 'price', 'receivedAt', 'snapshot', 'spark', 'ticks', 'timestamp', 'volume',
  ]);
  fired.clear();
  // The same price again: no flash, no sparkline point, no change.
  apply(store, 3, [tick(3, 190.5)]);
  assert.deepEqual([...fired].sort(), ['receivedAt', 'snapshot', 'ticks', 'timestamp', 'volume']);
});

test('a snapshot that only counts a duplicate or flips the stale flag writes nothing else', () => {
  const store = new QuoteStore();
  store.setWatchlist(['AAPL']);
  const item = store.item('AAPL')!;
  const s = tick(1, 190);
  apply(store, 1, [s]);
  const fired = observe(item);
  const duplicate = new QuoteSnapshot(s.quote);
  Object.assign(duplicate, { ticks: s.ticks, receivedAt: s.receivedAt, latencyMs: s.latencyMs, duplicates: 1 });
  apply(store, 2, [duplicate]);
  assert.deepEqual([...fired], ['snapshot']);
  fired.clear();
  const stale = new QuoteSnapshot(s.quote);
  Object.assign(stale, { ticks: s.ticks, receivedAt: s.receivedAt, latencyMs: s.latencyMs, duplicates: 1, stale: true });
  apply(store, 3, [stale]);
  assert.deepEqual([...fired].sort(), ['snapshot', 'stale']);
});

test('absent values (NaN) are not rewritten by every tick', () => {
  const store = new QuoteStore();
  store.setWatchlist(['BTC-USD']);
  const item = store.item('BTC-USD')!;
  const bare = (seq: number): QuoteSnapshot => {
    const s = new QuoteSnapshot(new Quote('BTC-USD', 65000 + seq, T0 + seq));
    s.ticks = seq;
    return s;
  };
  apply(store, 1, [bare(1)]);
  const fired = observe(item);
  apply(store, 2, [bare(2)]);
  // NaN !== NaN: writing an absent bid again would re-render everything bound to it.
  assert.deepEqual([...fired].sort(), ['flashSeq', 'move', 'price', 'snapshot', 'spark', 'ticks', 'timestamp']);
});
