// In-process benches (no network): B2 engine throughput, B3 flush rate and content, B5 memory,
// B6 store apply. Run by tools/bench/run.mjs as `node inproc.mjs <mode> [json options]`; prints one
// JSON line `RESULT {...}` on stdout.
import { performance } from 'node:perf_hooks';
import {
  AcceptOutcome, ChartBarFeed, ConnectionStatus, EngineStats, FeedEngine, FeedEngineOptions, FeedEngineSink,
  MemoryAlertHistory, Quote, QuoteBatch, QuoteCodec, QuoteCodecOptions, QuoteProcessor, QuoteSnapshot, SystemClock, SystemTimers
} from '@quotedeck/core';
import { QuoteItem, QuoteStore, SPARK_POINTS } from '@quotedeck/ui';
import { ManualClock } from '@quotedeck/testing';
import { universeSymbols } from '../../quotefeed/src/index';
import { FLUSH_RATE_INPUTS, FlushRatePhase, runFlushRatePhase } from './flush-rate';
import {
  SYMBOLS, SYMBOL_COUNT, PayloadStream, FakeTimers, attachBenchAlerts, batchAlerts, median, mainThreadTimes, BenchAlerts,
} from './shared';

const mode = process.argv[2];
const opts: Record<string, number> = process.argv[3] ? JSON.parse(process.argv[3]) : {};

function result(r: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

class CountingSink implements FeedEngineSink {
  batches = 0;
  snapshots = 0;
  alerts = 0;
  maxAlertsPerBatch = 0;
  last: QuoteBatch | undefined;
  /** The UI side's alert history, fed from the batches (bounded ring). */
  readonly history = new MemoryAlertHistory();
  constructor(private readonly store?: QuoteStore) {}
  onBatch(batch: QuoteBatch): void {
    this.batches++;
    this.snapshots += batch.snapshots.length;
    const alerts = batchAlerts(batch);
    this.alerts += alerts.length;
    this.maxAlertsPerBatch = Math.max(this.maxAlertsPerBatch, alerts.length);
    for (const a of alerts) void this.history.add(a);
    this.last = batch;
    if (this.store !== undefined) this.store.apply(batch);
  }
  onStatus(_s: ConnectionStatus): void {}
}

const T0 = 1_714_564_800_000; // 2024-05-01T12:00:00Z

/** The engine as the worker builds it (50 symbols), with the 50 bench alert rules. */
function buildEngine(clock: ManualClock, timers: FakeTimers, sink: FeedEngineSink, withAlerts = true) {
  const options = new FeedEngineOptions();
  options.flushIntervalMs = 100;
  const engine = new FeedEngine(options, clock, timers, sink);
  engine.setSymbols(SYMBOLS);
  const alerts: BenchAlerts | undefined = withAlerts ? attachBenchAlerts(engine, clock.now() - 1000) : undefined;
  return { engine, alerts };
}

/** Alerts fired: from the batches (engine's own stage) plus the fallback observer's count. */
function alertsFired(sink: CountingSink, alerts: BenchAlerts | undefined): number {
  return sink.alerts + (alerts !== undefined ? alerts.observerFired() : 0);
}

/**
 * Drives `n` messages through the engine, B2 style: quotes restamped in place, simulated arrival time
 * moving `msPerMessage` per message (timestamp = arrival − 1 ms), and the fake flush timer run every
 * `flushEvery` messages. Returns elapsed wall ms.
 */
function drive(engine: FeedEngine, clock: ManualClock, timers: FakeTimers, stream: PayloadStream, n: number,
  msPerMessage: number, flushEvery: number, onChunk?: (done: number) => void): number {
  let simMs = clock.now();
  const start = performance.now();
  for (let i = 1; i <= n; i++) {
    simMs += msPerMessage;
    const arrival = Math.floor(simMs);
    const p = stream.next(arrival - 1);
    clock.set(arrival);
    engine.ingest(p.topic, p.buffer, arrival);
    if (i % flushEvery === 0) {
      if (onChunk !== undefined) onChunk(i);
      timers.runDue();
    }
  }
  return performance.now() - start;
}

/** The driver alone (restamping, clock), to show how little of B2's time is the harness. */
function driveNothing(stream: PayloadStream, n: number, msPerMessage: number): number {
  let simMs = T0;
  let sink = 0;
  const start = performance.now();
  for (let i = 1; i <= n; i++) {
    simMs += msPerMessage;
    const arrival = Math.floor(simMs);
    const p = stream.next(arrival - 1);
    sink += p.bytes[3];
  }
  const t = performance.now() - start;
  if (sink === -1) console.log('');
  return t;
}

/** Runs `f` and returns its wall time and the main thread's CPU and run-queue wait time, in ms. */
function timed(f: () => void): { wallMs: number; cpuMs: number; waitMs: number } {
  const t0 = mainThreadTimes();
  const w0 = performance.now();
  f();
  const wallMs = performance.now() - w0;
  const t1 = mainThreadTimes();
  return { wallMs, cpuMs: (t1.cpuNs - t0.cpuNs) / 1e6, waitMs: (t1.waitNs - t0.waitNs) / 1e6 };
}

function b2(): void {
  const runs = opts.runs ?? 5;
  const n = opts.messages ?? 2_000_000;
  const withAlerts = (opts.alerts ?? 1) === 1;
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  let waitMs = 0;
  // One engine for all runs (as in the app: a long-lived worker); the warm-up also gets the JIT going.
  const clock = new ManualClock(T0);
  const timers = new FakeTimers(clock);
  const sink = new CountingSink();
  const { engine, alerts } = buildEngine(clock, timers, sink, withAlerts);
  const stream = new PayloadStream();
  const warm = 300_000;
  drive(engine, clock, timers, stream, warm, 0.001, 20_000);
  for (let r = 0; r < runs; r++) {
    const t = timed(() => drive(engine, clock, timers, stream, n, 0.001, 20_000));
    cpuRates.push(n / (t.cpuMs / 1000));
    wallRates.push(n / (t.wallMs / 1000));
    waitMs += t.waitMs;
  }
  engine.flushNow();
  const stats = sink.last!.stats;
  const driverStream = new PayloadStream();
  driveNothing(driverStream, warm, 0.001);
  const d = timed(() => driveNothing(driverStream, n, 0.001));
  result({
    mode: 'b2', alerts: withAlerts, alertsVia: alerts?.via, messages: n, cpuRates, wallRates, cpuMedian: median(cpuRates), wallMedian: median(wallRates),
    waitMs, batches: sink.batches, alertsFired: alertsFired(sink, alerts), accepted: stats.accepted, expectedAccepted: warm + runs * n,
    rejected: stats.rejected, duplicates: stats.duplicates, driverNsPerMsg: (d.cpuMs * 1e6) / n,
  });
}

/** Cold start: CPU ns per message of each successive chunk from a fresh engine (JIT warm-up). */
function warmup(): void {
  const clock = new ManualClock(T0);
  const timers = new FakeTimers(clock);
  const { engine } = buildEngine(clock, timers, new CountingSink(), true);
  const stream = new PayloadStream();
  const chunk = opts.chunk ?? 5000;
  const chunks: number[] = [];
  for (let c = 0; c < (opts.chunks ?? 20); c++) {
    const t = timed(() => drive(engine, clock, timers, stream, chunk, 0.001, 1000));
    chunks.push(Math.round((t.cpuMs * 1e6) / chunk));
  }
  result({ mode: 'warmup', chunk, nsPerMsg: chunks });
}

/**
 * Where B2's time goes: CPU ns per message of cumulative stages over the same stream — the driver
 * alone, + QuoteCodec.decode (also with its fast scanner off, for comparison), + QuoteProcessor.accept, the whole FeedEngine.ingest without
 * observers, and with the 50-rule alert stage. Each stage runs warm, median of `runs`.
 */
function b2parts(): void {
  const n = opts.messages ?? 1_000_000;
  const runs = opts.runs ?? 3;
  const stages: Record<string, number[]> = { driver: [], codecGeneral: [], codec: [], processor: [], engine: [], engineAlerts: [] };
  const measure = (name: string, f: (count: number) => void): void => {
    f(200_000);
    for (let r = 0; r < runs; r++) {
      const t = timed(() => f(n));
      stages[name].push((t.cpuMs * 1e6) / n);
    }
  };
  measure('driver', (count) => { driveNothing(new PayloadStream(), count, 0.001); });
  if (opts.general !== 1) {
    const codec = new QuoteCodec();
    const stream = new PayloadStream();
    let simMs = T0;
    measure('codec', (count) => {
      for (let i = 0; i < count; i++) {
        simMs += 0.001;
        const arrival = Math.floor(simMs);
        const p = stream.next(arrival - 1);
        codec.decode(p.topic, p.buffer, arrival);
      }
    });
  }
  if (opts.general !== 1) {
    const codec = new QuoteCodec();
    const processor = new QuoteProcessor();
    processor.setWatched(SYMBOLS);
    const stream = new PayloadStream();
    let simMs = T0;
    measure('processor', (count) => {
      for (let i = 0; i < count; i++) {
        simMs += 0.001;
        const arrival = Math.floor(simMs);
        const p = stream.next(arrival - 1);
        const r = codec.decode(p.topic, p.buffer, arrival);
        if (r.quote !== undefined) processor.accept(r.quote, arrival);
      }
    });
  }
  for (const [name, alerts] of (opts.general === 1 ? [] : [['engine', false], ['engineAlerts', true]]) as Array<[string, boolean]>) {
    const clock = new ManualClock(T0);
    const timers = new FakeTimers(clock);
    const { engine } = buildEngine(clock, timers, new CountingSink(), alerts);
    const stream = new PayloadStream();
    measure(name, (count) => { drive(engine, clock, timers, stream, count, 0.001, 20_000); });
  }
  if (opts.general === 1) {
    // The same codec with its fast scanner switched off: TextDecoder + JSON.parse, as before issue 7.
    // In a process of its own (opts.general), so that the other stages never run the general path.
    const options = new QuoteCodecOptions();
    options.fastScan = false;
    const codec = new QuoteCodec(options);
    const stream = new PayloadStream();
    let simMs = T0;
    measure('codecGeneral', (count) => {
      for (let i = 0; i < count; i++) {
        simMs += 0.001;
        const arrival = Math.floor(simMs);
        const p = stream.next(arrival - 1);
        codec.decode(p.topic, p.buffer, arrival);
      }
    });
  }
  const med: Record<string, number> = {};
  for (const k of Object.keys(stages)) if (stages[k].length > 0) med[k] = median(stages[k]);
  result({ mode: 'b2parts', messages: n, nsPerMsg: med, runs: stages });
}

// ---- B3: flush rate and content (flush-rate.ts) -------------------------------------------------

async function b3(): Promise<void> {
  const seconds = opts.seconds ?? 2.5;
  const phases: FlushRatePhase[] = [];
  for (const rate of FLUSH_RATE_INPUTS) phases.push(await runFlushRatePhase(rate, seconds));
  result({ mode: 'b3', flushIntervalMs: 100, phases });
}

// ---- B5: memory over 10 million messages --------------------------------------------------------

function heapMB(): number {
  const g = (globalThis as unknown as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run with --expose-gc');
  g();
  g();
  return process.memoryUsage().heapUsed / 1048576;
}

/**
 * B2's driver for `messages` messages with every per-tick stage that keeps history attached — the 50
 * alert rules with a MemoryAlertHistory, a ChartBarFeed on one symbol (1-minute bars) — and every
 * batch applied to a QuoteStore (sparklines). Simulated time moves 10 ms per message (about 28 hours
 * over 10 M), so bar history and day boundaries are exercised. Heap after GC is sampled every million.
 */
function b5(): void {
  const total = opts.messages ?? 10_000_000;
  const warmup = opts.warmup ?? 1_000_000;
  const every = 1_000_000;
  const clock = new ManualClock(T0);
  const timers = new FakeTimers(clock);
  const store = new QuoteStore();
  store.setWatchlist(SYMBOLS);
  const sink = new CountingSink(store);
  const { engine, alerts } = buildEngine(clock, timers, sink, true);
  // 1-minute bars of one symbol: the engine's own chart feed when it has one, else a ChartBarFeed observer.
  const internals = engine as unknown as {
    setChartSymbol?: (s: string) => void; chartFeed?: ChartBarFeed; alerts?: { pending?: unknown[] };
    coalescer: { pendingCount(): number };
  };
  let chart: ChartBarFeed;
  let ownChart = false;
  if (typeof internals.setChartSymbol === 'function' && internals.chartFeed !== undefined) {
    internals.setChartSymbol(SYMBOLS[0]);
    chart = internals.chartFeed;
  } else {
    chart = new ChartBarFeed();
    chart.setSymbol(SYMBOLS[0]);
    engine.addObserver(chart);
    ownChart = true;
  }
  const stream = new PayloadStream();
  const samples: Array<{ messages: number; heapMB: number }> = [];
  let maxPending = 0;
  let maxTimers = 0;
  let maxPendingAlerts = 0;
  const onChunk = (_done: number): void => {
    if (ownChart) chart.drain();
    maxPending = Math.max(maxPending, internals.coalescer.pendingCount());
    maxTimers = Math.max(maxTimers, timers.pending());
    maxPendingAlerts = Math.max(maxPendingAlerts, internals.alerts?.pending?.length ?? 0);
  };
  const start = performance.now();
  drive(engine, clock, timers, stream, warmup, 10, 20_000, onChunk);
  const base = heapMB();
  samples.push({ messages: warmup, heapMB: base });
  let done = warmup;
  while (done < total) {
    const n = Math.min(every, total - done);
    drive(engine, clock, timers, stream, n, 10, 20_000, onChunk);
    done += n;
    samples.push({ messages: done, heapMB: heapMB() });
  }
  engine.flushNow();
  const seconds = (performance.now() - start) / 1000;
  let maxSpark = 0;
  for (const item of store.items) maxSpark = Math.max(maxSpark, item.spark.length);
  const processor = engine.processorForTest();
  const historySize = (sink.history as unknown as { ring: unknown[] }).ring.length;
  const last = samples[samples.length - 1].heapMB;
  result({
    mode: 'b5', messages: total, seconds, simulatedHours: (total * 10) / 3.6e6, baseHeapMB: base, finalHeapMB: last,
    growthMB: last - base, maxHeapMB: Math.max(...samples.map((x) => x.heapMB)), samples,
    accepted: sink.last!.stats.accepted, batches: sink.batches, alertsFired: alertsFired(sink, alerts), alertsVia: alerts?.via,
    bounds: {
      symbolStates: processor.stateCount(), watchList: SYMBOL_COUNT, maxCoalescerPending: maxPending, maxPendingTimers: maxTimers,
      maxPendingAlerts, pendingAlertsLimit: 200, maxAlertsPerBatch: sink.maxAlertsPerBatch,
      bars: chart.aggregator().size(), maxBars: chart.aggregator().maxBars, alertHistory: historySize, alertHistoryLimit: 500,
      maxSpark, sparkLimit: SPARK_POINTS, storeItems: store.items.length,
    },
  });
}

// ---- B6: QuoteStore.apply, per-field diffing vs whole-list replacement ---------------------------

/** What a naive store would do with a batch: build a new item for every watched symbol and replace the list. */
class NaiveStore {
  items: QuoteItem[] = [];
  private bySymbol: Map<string, QuoteItem> = new Map();
  stats: EngineStats = new EngineStats();

  setWatchlist(symbols: string[]): void {
    this.items = symbols.map((sym) => new QuoteItem(sym));
    this.bySymbol = new Map(this.items.map((i) => [i.symbol, i]));
  }

  apply(batch: QuoteBatch): void {
    const latest = new Map<string, QuoteSnapshot>();
    for (const snap of batch.snapshots) latest.set(snap.quote.symbol, snap);
    const next: QuoteItem[] = [];
    const map = new Map<string, QuoteItem>();
    for (const old of this.items) {
      const s = latest.get(old.symbol);
      const item = new QuoteItem(old.symbol);
      const q = s?.quote;
      item.name = q ? q.name : old.name;
      item.currency = q ? q.currency : old.currency;
      item.price = q ? q.price : old.price;
      item.change = s ? s.change : old.change;
      item.changePct = s ? s.changePct : old.changePct;
      item.prevClose = q ? q.prevClose : old.prevClose;
      item.open = q ? q.open : old.open;
      item.high = q ? q.high : old.high;
      item.low = q ? q.low : old.low;
      item.volume = q ? q.volume : old.volume;
      item.bid = q ? q.bid : old.bid;
      item.ask = q ? q.ask : old.ask;
      item.timestamp = q ? q.timestamp : old.timestamp;
      const src: QuoteSnapshot | QuoteItem = s ?? old;
      item.receivedAt = src.receivedAt;
      item.latencyMs = src.latencyMs;
      item.stale = src.stale;
      item.hasGap = src.hasGap;
      item.gaps = src.gaps;
      item.ticks = src.ticks;
      item.snapshot = s ?? old.snapshot;
      item.move = q === undefined ? old.move : q.price > old.price ? 1 : q.price < old.price ? -1 : old.move;
      item.flashSeq = q !== undefined && q.price !== old.price ? old.flashSeq + 1 : old.flashSeq;
      const spark = old.spark.length >= SPARK_POINTS ? old.spark.slice(old.spark.length - SPARK_POINTS + 1) : old.spark.slice();
      if (q !== undefined) spark.push(q.price);
      item.spark = spark;
      next.push(item);
      map.set(item.symbol, item);
    }
    this.items = next;
    this.bySymbol = map;
    this.stats = batch.stats;
  }
}

function b6(): void {
  const symbols = universeSymbols(200);
  const batchCount = 64;
  const perBatch = opts.changed ?? 200;
  // Batches of `perBatch` symbols with moving prices and the other fields a real tick changes.
  const batches: QuoteBatch[] = [];
  for (let b = 0; b < batchCount; b++) {
    const snaps: QuoteSnapshot[] = [];
    for (let i = 0; i < perBatch; i++) {
      const symbol = symbols[(i + b * 7) % symbols.length];
      const base = 50 + ((i * 37) % 400);
      const q = new Quote(symbol, Math.round(base * (1 + 0.002 * Math.sin(b + i)) * 100) / 100, T0 + b * 100);
      q.prevClose = base;
      q.open = base;
      q.high = base * 1.01;
      q.low = base * 0.99;
      q.volume = 1000 * (b + 1) + i;
      q.bid = q.price - 0.01;
      q.ask = q.price + 0.01;
      q.seq = b;
      q.name = `Name ${symbol}`;
      q.currency = 'USD';
      const s = new QuoteSnapshot(q);
      s.receivedAt = T0 + b * 100 + 1;
      s.latencyMs = 1;
      s.ticks = b + 1;
      snaps.push(s);
    }
    batches.push(new QuoteBatch(b + 1, snaps, [], new EngineStats()));
  }
  const iterations = opts.iterations ?? 3000;
  const runs = opts.runs ?? 5;
  const measure = (apply: (batch: QuoteBatch) => void): number[] => {
    const out: number[] = [];
    let seq = 1;
    const once = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const batch = batches[i % batchCount];
        batch.batchSeq = seq++;
        apply(batch);
      }
    };
    once(500);
    for (let r = 0; r < runs; r++) {
      const t = timed(() => once(iterations));
      out.push((t.cpuMs * 1000) / (iterations * perBatch));
    }
    return out;
  };
  const store = new QuoteStore();
  store.setWatchlist(symbols);
  const diffing = measure((b) => store.apply(b));
  const naive = new NaiveStore();
  naive.setWatchlist(symbols);
  const replacing = measure((b) => naive.apply(b));
  result({
    mode: 'b6', symbols: symbols.length, changedPerBatch: perBatch, iterations, diffingUsPerSymbol: median(diffing),
    naiveUsPerSymbol: median(replacing), runs: { diffing, naive: replacing },
    diffingUsPerBatch: median(diffing) * perBatch, naiveUsPerBatch: median(replacing) * perBatch,
  });
}

/**
 * Not part of `npm run bench`: QuoteCodec.decode alone on one payload style, in a process of its own
 * (`node inproc.mjs codecstyles '{"style":N}'`), CPU ns per decode, best of `runs` rounds of
 * `messages` after a warm-up. Styles: 0 epoch-ms timestamp (B2's payload), 1 ISO-8601 timestamp
 * (encodeQuote's default), 2 ISO plus name and currency (quotefeed's simulator), 3 a scalar key
 * outside the schema, 4 a nested value outside the schema (left to JSON.parse).
 */
const CODEC_STYLES: string[] = [
  '{"symbol":"AAPL","price":187.23,"timestamp":1714564700000,"seq":123456,"volume":1234567,"prevClose":186.5}',
  '{"symbol":"AAPL","price":187.23,"timestamp":"2024-05-01T11:58:20.000Z","seq":123456,"volume":1234567,"prevClose":186.5}',
  '{"symbol":"AAPL","price":187.23,"timestamp":"2024-05-01T11:58:20.000Z","seq":123456,"volume":1234567,"prevClose":186.5,"name":"Apple Inc.","currency":"USD"}',
  '{"symbol":"AAPL","price":187.23,"timestamp":1714564700000,"seq":123456,"volume":1234567,"prevClose":186.5,"exchange":"NASDAQ"}',
  '{"symbol":"AAPL","price":187.23,"timestamp":1714564700000,"seq":123456,"volume":1234567,"prevClose":186.5,"extra":{"x":1}}',
];

function codecStyles(): void {
  const style = opts.style ?? 0;
  const text = CODEC_STYLES[style];
  const bytes = new TextEncoder().encode(text);
  const ring: ArrayBuffer[] = [];
  for (let i = 0; i < 64; i++) ring.push(bytes.slice().buffer as ArrayBuffer);
  const codec = new QuoteCodec();
  const n = opts.messages ?? 1_000_000;
  const now = T0;
  let accepted = 0;
  const run = (count: number): void => {
    for (let i = 0; i < count; i++) if (codec.decode('finance/AAPL/quotes', ring[i & 63], now).ok) accepted++;
  };
  run(200_000);
  const rounds: number[] = [];
  for (let r = 0; r < (opts.runs ?? 8); r++) rounds.push((timed(() => run(n)).cpuMs * 1e6) / n);
  result({ mode: 'codecstyles', style, payload: text, nsPerDecode: Math.min(...rounds), rounds, accepted });
}

if (mode === 'b2') b2();
else if (mode === 'b3') void b3();
else if (mode === 'b5') b5();
else if (mode === 'b6') b6();
else if (mode === 'b2parts') b2parts();
else if (mode === 'warmup') warmup();
else if (mode === 'codecstyles') codecStyles();
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
