// R6 — hostile input mixed into a valid feed (generator: harness/hostile.ts; every bad payload
// is bad by construction and carries the reason the payload schema gives for it).
//  - bulk: ≥ 100,000 bad payloads straight into FeedEngine.ingest (the engine's hot path, no broker);
//  - broker slice: a few thousand through a real broker and the whole app path (OhosMqttTransport →
//    MqttSession → FeedEngine → FeedClient → QuoteStore), 1 MB payloads included.
// Expected: no crash; every bad one counted under its reason (and the sum of rejectedByReason equals
// the bad ones sent); every good one applied (final state exact); heap bounded after gc; the
// built-in prototypes untouched.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  ConnectionState, ConnectionStatus, EngineStats, FeedEngine, FeedEngineOptions, QuoteBatch, REJECT_REASON_COUNT,
  RejectReason, rejectReasonName, SystemClock, SystemTimers
} from '@quotedeck/core';
import { EngineUnderTest } from '../harness/engine';
import { HostileFeed, HostileMessage, prototypeFingerprint, prototypesPolluted } from '../harness/hostile';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher } from '../harness/ticks';
import { Broker, waitFor } from '../../../tools/testkit';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Compares the engine's counters with what the generator sent, reason by reason. */
export function checkRejections(stats: EngineStats, feed: HostileFeed): Record<string, number> {
  const byName: Record<string, number> = {};
  let sum = 0;
  for (let r = 1; r < REJECT_REASON_COUNT; r++) {
    const expected = feed.badByReason.get(r as RejectReason) ?? 0;
    assert.equal(stats.rejectedByReason[r], expected, `${rejectReasonName(r as RejectReason)}: counted ${stats.rejectedByReason[r]}, sent ${expected}`);
    sum += stats.rejectedByReason[r];
    if (expected > 0) byName[rejectReasonName(r as RejectReason)] = expected;
  }
  assert.equal(stats.rejectedByReason[RejectReason.NONE], 0);
  assert.equal(sum, feed.badCount, 'sum of rejectedByReason == bad ones sent');
  assert.equal(stats.rejected, feed.badCount);
  return byName;
}

export interface BulkResult {
  bad: number;
  good: number;
  kinds: number;
  ms: number;
  perSecond: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  heapGrowthMb: number;
  heapPeakMb: number;
  byReason: Record<string, number>;
}

/** ≥ 100k bad payloads through FeedEngine.ingest, mixed into a valid feed. */
export function runBulkIngest(badTarget: number, goodEvery: number, seed: number): BulkResult {
  const symbols = Array.from({ length: 20 }, (_v, i) => `HX${i}`);
  const protoBefore = prototypeFingerprint();
  const feed = new HostileFeed(symbols, seed, { maxBig: 200 });
  // The newest tick count each symbol reached in any batch (batches go out during the loop too,
  // whenever the pacer allows, so the last one holds only what changed after the one before).
  const ticksSeen = new Map<string, number>();
  const options = new FeedEngineOptions();
  options.flushIntervalMs = 100;
  const engine = new FeedEngine(options, new SystemClock(), new SystemTimers(), {
    onBatch: (b: QuoteBatch) => {
      for (const snap of b.snapshots) ticksSeen.set(snap.quote.symbol, snap.ticks);
    },
    onStatus: (_s: ConnectionStatus) => undefined,
  });
  engine.setSymbols(symbols);
  const heapBefore = heapAfterGc();
  let peak = heapBefore;
  const started = performance.now();
  let n = 0;
  while (feed.badCount < badTarget) {
    const m: HostileMessage = n % goodEvery === 0 ? feed.nextGood() : feed.nextBad();
    n++;
    const bytes = m.payload;
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    engine.ingest(m.topic, ab, Date.now());
    if ((n & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const ms = performance.now() - started;
  engine.flushNow();
  const processor = engine.processorForTest();
  const stats = processor.statsSnapshot();
  const byReason = checkRejections(stats, feed);
  assert.equal(stats.accepted, feed.goodCount, 'every good one applied');
  assert.equal(stats.duplicates, 0);
  assert.equal(stats.received, feed.goodCount + feed.badCount);
  assert.ok(processor.stateCount() <= symbols.length, 'state only for watched symbols');
  for (const s of symbols) {
    const last = feed.last.get(s);
    const q = processor.latest(s);
    if (last === undefined) continue;
    assert.ok(q !== undefined);
    assert.equal(q.seq, last.seq, `${s}: last good seq`);
    assert.equal(q.price, last.price, `${s}: last good price`);
    assert.equal(ticksSeen.get(s), feed.good.get(s), `${s}: every good tick applied once`);
  }
  assert.deepEqual(prototypesPolluted(), [], 'Object.prototype not polluted');
  assert.equal(prototypeFingerprint(), protoBefore, 'built-in prototypes unchanged');
  const heapAfter = heapAfterGc();
  return {
    bad: feed.badCount,
    good: feed.goodCount,
    kinds: feed.badByKind.size,
    ms: Math.round(ms),
    perSecond: Math.round(((feed.badCount + feed.goodCount) * 1000) / ms),
    heapBeforeMb: +(heapBefore / 1048576).toFixed(1),
    heapAfterMb: +(heapAfter / 1048576).toFixed(1),
    heapGrowthMb: +((heapAfter - heapBefore) / 1048576).toFixed(2),
    heapPeakMb: +(peak / 1048576).toFixed(1),
    byReason,
  };
}

export interface SliceResult {
  broker: string;
  bad: number;
  good: number;
  oneMegabyte: number;
  ms: number;
  heapGrowthMb: number;
  byReason: Record<string, number>;
}

/** Bad and good payloads through a real broker and the whole app path. */
export async function runBrokerSlice(broker: Broker, bad: number, goodEvery: number, maxBig: number, seed: number): Promise<SliceResult> {
  const symbols = Array.from({ length: 10 }, (_v, i) => `HX${i}`);
  const protoBefore = prototypeFingerprint();
  const feed = new HostileFeed(symbols, seed, { allowBadTopics: false, maxBig });
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({ url: broker.url, clientId: `qd-r6-${broker.kind}`, symbols, userName: 'quotes', password: PASSWORD });
  let pub: FeedPublisher | undefined;
  try {
    engine.start();
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'connect');
    const heapBefore = heapAfterGc();
    pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: false, window: 200 });
    const started = Date.now();
    let n = 0;
    while (feed.badCount < bad) {
      const m = n % goodEvery === 0 ? feed.nextGood() : feed.nextBad();
      n++;
      pub.publishRaw(m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength), 1, false);
      if (pub.pending >= 200) await waitFor(() => pub!.pending < 100, 30000, 'publisher window');
    }
    await pub.flush(60000);
    const total = feed.badCount + feed.goodCount;
    await waitFor(() => (engine.engineStats()?.received ?? 0) >= total, 60000, `all ${total} messages through the engine`);
    await waitFor(() => symbols.every((s) => feed.last.get(s) === undefined || engine.item(s).price === feed.last.get(s)!.price), 5000, 'the final state in the store');
    const ms = Date.now() - started;
    const stats = engine.engineStats()!;
    assert.equal(stats.received, total, 'nothing lost, nothing extra');
    const byReason = checkRejections(stats, feed);
    assert.equal(stats.accepted, feed.goodCount, 'every good one applied');
    for (const s of symbols) {
      const last = feed.last.get(s);
      if (last === undefined) continue;
      const item = engine.item(s);
      assert.equal(item.price, last.price, `${s}: final price`);
      assert.equal(item.timestamp, last.timestamp, `${s}: final timestamp`);
      assert.equal(item.ticks, feed.good.get(s), `${s}: every good tick applied once`);
    }
    assert.equal(engine.store.stats.rejected, feed.badCount, 'the UI got the counters');
    assert.deepEqual(prototypesPolluted(), []);
    assert.equal(prototypeFingerprint(), protoBefore);
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    const heapAfter = heapAfterGc();
    return {
      broker: broker.kind, bad: feed.badCount, good: feed.goodCount, oneMegabyte: feed.bigSent, ms,
      heapGrowthMb: +((heapAfter - heapBefore) / 1048576).toFixed(2), byReason,
    };
  } finally {
    await engine.stop();
    watch.uninstall();
    await pub?.close();
  }
}
