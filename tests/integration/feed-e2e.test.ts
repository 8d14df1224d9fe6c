// @each-double End to end on loopback: a real publisher → aedes → the app's engine (OhosMqttTransport
// over a double of @ohos/mqtt, MqttSession, codec, processor, coalescer) → FeedClient → QuoteStore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import {
  ConnectionOptions, ConnectionState, FeedStartConfig, InProcessFeedChannel, MathRandom, MemoryKeyValueStore, Quote,
  QuoteBatch, QuoteCache, QuoteSnapshot, RejectReason, SystemClock, SystemTimers
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { ManualClock } from '@quotedeck/testing';
import { startAedes, startCuttingProxy, waitFor } from '../../tools/testkit';
import { testStartConfig, connectPublisher } from '../../tools/testkit/feed';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', '0700.HK', 'BTC-USD'];

function payload(symbol: string, seq: number, price: number, ts: number): string {
  return JSON.stringify({ symbol, price, timestamp: ts, seq, volume: seq * 100, prevClose: 100 });
}

function startConfig(url: string, clientId: string): FeedStartConfig {
  return testStartConfig(url, clientId, SYMBOLS);
}

function publishAll(pub: mqtt.MqttClient, messages: Array<[string, string]>, qos: 0 | 1): Promise<void> {
  return Promise.all(messages.map(([topic, body]) => pub.publishAsync(topic, body, { qos }))).then(() => undefined);
}

test('quotes go from a publisher through the broker and the engine to the store at QoS 1 with an exact final state, bad input counted and at most 10 batches a second', async () => {
  const broker = await startAedes();
  const store = new QuoteStore();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock());
  const pub = await connectPublisher(broker.url);
  try {
    client.start(startConfig(broker.url, 'quotedeck-e2e-1'));
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    await new Promise((r) => setTimeout(r, 200)); // the subscription follows the CONNACK
    const started = Date.now();
    const last = new Map<string, number>();
    const messages: Array<[string, string]> = [];
    const now = Date.now();
    for (let seq = 1; seq <= 200; seq++) {
      for (const s of SYMBOLS) {
        const price = 100 + seq / 100 + SYMBOLS.indexOf(s);
        last.set(s, price);
        messages.push([`finance/${s}/quotes`, payload(s, seq, price, now + seq)]);
      }
    }
    // Hostile and irrelevant traffic mixed in: none of it may change any state.
    messages.push(['finance/AAPL/quotes', '{"symbol":"AAPL","price":-5,"timestamp":1}']);
    messages.push(['finance/AAPL/quotes', 'not json']);
    messages.push(['finance/MSFT/quotes', payload('AAPL', 999, 1, now)]);
    messages.push(['finance/ZZZZ/quotes', payload('ZZZZ', 1, 5, now)]);
    await publishAll(pub, messages, 1);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === last.get(s)), 10000, 'final prices');
    const elapsed = Date.now() - started;
    await new Promise((r) => setTimeout(r, 300));
    for (const s of SYMBOLS) {
      const item = store.item(s)!;
      assert.equal(item.price, last.get(s), `${s} final price`);
      assert.equal(item.ticks, 200, `${s} each tick applied once`);
      assert.equal(item.gaps, 0);
      assert.equal(item.stale, false);
      assert.equal(item.change, last.get(s)! - 100);
    }
    const stats = store.stats;
    assert.equal(stats.accepted, 1000);
    assert.equal(stats.droppedUnwatched, 1, 'unknown symbol counted and dropped');
    assert.equal(stats.rejectedByReason[RejectReason.BAD_PRICE], 1);
    assert.equal(stats.rejectedByReason[RejectReason.NOT_JSON], 1);
    assert.equal(stats.rejectedByReason[RejectReason.SYMBOL_MISMATCH], 1);
    assert.equal(store.lostBatches, 0);
    // Coalescing: far fewer batches than ticks, and no more than one per 100 ms interval (+ slack).
    assert.ok(client.batchesApplied <= Math.ceil((elapsed + 300) / 100) + 3, `${client.batchesApplied} batches in ${elapsed} ms`);
    assert.ok(client.batchesApplied < 200);
  } finally {
    await client.stop();
    await pub.endAsync();
    await broker.close();
  }
});

test('QoS 1 quotes published while the engine is offline arrive through its persistent session after it reconnects', async () => {
  const broker = await startAedes();
  const proxy = await startCuttingProxy(broker.port);
  const store = new QuoteStore();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock());
  const pub = await connectPublisher(broker.url);
  try {
    client.start(startConfig(proxy.url, 'quotedeck-e2e-persist'));
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    await new Promise((r) => setTimeout(r, 200));
    const now = Date.now();
    await publishAll(pub, SYMBOLS.map((s) => [`finance/${s}/quotes`, payload(s, 1, 10, now)] as [string, string]), 1);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.ticks === 1), 5000, 'first ticks');
    proxy.setDown(true);
    proxy.cut();
    await waitFor(() => store.status.state !== ConnectionState.CONNECTED, 5000, 'engine sees the drop');
    await new Promise((r) => setTimeout(r, 200)); // the broker notices the closed socket
    const offline: Array<[string, string]> = [];
    for (let seq = 2; seq <= 51; seq++) {
      for (const s of SYMBOLS) offline.push([`finance/${s}/quotes`, payload(s, seq, 10 + seq, now + seq)]);
    }
    await publishAll(pub, offline, 1);
    proxy.setDown(false);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === 61), 40000, 'queued quotes delivered');
    for (const s of SYMBOLS) {
      assert.equal(store.item(s)!.ticks, 51, `${s}: every queued quote applied exactly once`);
      assert.equal(store.item(s)!.gaps, 0, `${s}: nothing lost`);
    }
    assert.ok(store.stats.reconnects >= 1);
  } finally {
    await client.stop();
    await pub.endAsync();
    await proxy.close();
    await broker.close();
  }
});

test('on a cold start the last quotes come back from the cache, marked stale until fresh data arrives', async () => {
  const kv = new MemoryKeyValueStore();
  const clock = new ManualClock(1_700_000_000_000);
  const store = new QuoteStore();
  store.setWatchlist(['AAPL']);
  const q = new Quote('AAPL', 190.25, clock.now() - 2000);
  q.prevClose = 189;
  const s = new QuoteSnapshot(q);
  s.receivedAt = clock.now() - 1000;
  store.apply(new QuoteBatch(1, [s], [], store.stats));
  const cache = new QuoteCache(kv, clock, 5000);
  assert.equal(await cache.maybeSave(store.snapshots()), true);
  assert.equal(await cache.maybeSave(store.snapshots()), false, 'throttled: at most every 5 s');
  clock.advance(5000);
  assert.equal(await cache.maybeSave(store.snapshots()), true);
  const next = new QuoteStore();
  next.setWatchlist(['AAPL', 'MSFT']);
  next.restore(await new QuoteCache(kv, clock).load());
  const item = next.item('AAPL')!;
  assert.equal(item.price, 190.25);
  assert.equal(item.change, 1.25);
  assert.equal(item.receivedAt, clock.now() - 6000);
  assert.equal(item.stale, true);
  assert.equal(item.restored, true);
  assert.ok(Number.isNaN(next.item('MSFT')!.price));
});
