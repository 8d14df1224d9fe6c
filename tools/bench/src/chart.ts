// Chart benches (issue 14), run by tools/bench/run.mjs as `node chart.mjs <mode> [json options]`;
// prints one JSON line `RESULT {...}` on stdout.
//   ind   indicator cost per tick: IndicatorSet.updateLast / append, per indicator, against a
//         recomputation of the series (rebuild), and ChartState.apply of one tick's ChartUpdate.
//   bars  bar snapshots: size, decode, merge, and subscribing every watched symbol's bars topic vs
//         only the charted one (in-process aedes on loopback, the app's MqttSession over the
//         @ohos/mqtt emulation): bytes and time until the retained snapshots are decoded and merged.
import { performance } from 'node:perf_hooks';
import {
  Bar, BarField, BarSnapshotCodec, BollingerBands, ChartUpdate, ConnectionOptions, ConnectionState, ConnectionStatus, IndicatorSet,
  Kdj, Macd, MathRandom, MqttSession, MqttSessionConfig, MqttSessionListener, Rsi, SmaLines, SnapshotHistory,
  SystemClock, SystemTimers, TransportMessage, barsTopic, MINUTE_MS, DEFAULT_WATCHLIST, BarIndicator, encodeBarSnapshot
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { BarInterval, ChartState } from '@quotedeck/ui';
import { ManualClock, ManualTimers, SeededRandom } from '@quotedeck/testing';
import {
  BarSnapshotPublisher, createSimulator, parseBrokerUrl, Publisher, simulatorBackfill, startBroker, universeSymbols
} from '../../quotefeed/src/index';
import { median } from './shared';

const mode = process.argv[2];
const opts: Record<string, number> = process.argv[3] ? JSON.parse(process.argv[3]) : {};

function result(r: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

const T0 = Date.parse('2024-05-01T13:30:00Z');

/** A random walk of `n` one-minute bars. */
function randomBars(n: number, seed: number): Bar[] {
  const rng = new SeededRandom(seed);
  const bars: Bar[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.max(1, p + (rng.next() - 0.5));
    const h = Math.max(o, p) + rng.next() * 0.2;
    const l = Math.min(o, p) - rng.next() * 0.2;
    bars.push(new Bar(T0 + i * MINUTE_MS, o, h, l, p, Math.floor(rng.next() * 10000), 10));
  }
  return bars;
}

/** ns per call of `fn` over `n` calls (median of `reps` runs). */
function nsPer(n: number, reps: number, fn: (i: number) => void): number {
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    runs.push(((performance.now() - t) * 1e6) / n);
  }
  return median(runs);
}

/** Ticks of the current bar: the close wanders, high/low widen, volume grows. */
function tickBars(last: Bar, n: number): Bar[] {
  const out: Bar[] = [];
  const rng = new SeededRandom(99);
  let b = last;
  for (let i = 0; i < n; i++) {
    const c = Math.max(1, b.close + (rng.next() - 0.5) * 0.05);
    b = new Bar(b.start, b.open, Math.max(b.high, c), Math.min(b.low, c), c, b.volume + 10, b.ticks + 1);
    out.push(b);
  }
  return out;
}

function indBench(): void {
  const reps = opts.reps ?? 5;
  const ticks = opts.ticks ?? 200_000;
  const series = randomBars(1440, 1);
  const last = series[series.length - 1];
  const tickList = tickBars(last, 4096);
  const set = new IndicatorSet();
  set.rebuild(series);
  const updateNs = nsPer(ticks, reps, (i) => set.updateLast(tickList[i & 4095]));
  // Appends: a fresh set grows from 0 to 1440 bars, repeatedly.
  const appendNs = nsPer(1440 * 20, reps, (i) => {
    if (i % 1440 === 0) set.rebuild([]);
    set.append(series[i % 1440]);
  });
  set.rebuild(series);
  const rebuildUs = nsPer(200, reps, () => set.rebuild(series)) / 1000;

  const per: Record<string, number> = {};
  const single: Array<[string, BarIndicator]> = [
    ['MA ×5', new SmaLines([5, 10, 20, 30, 60], BarField.CLOSE)], ['BOLL', new BollingerBands(20, 2)],
    ['VOL MA ×2', new SmaLines([5, 10], BarField.VOLUME)], ['MACD', new Macd(12, 26, 9, 2)], ['RSI ×3', new Rsi([6, 12, 24])],
    ['KDJ', new Kdj(9, 3, 3)],
  ];
  for (const [name, ind] of single) {
    ind.rebuild(series);
    per[name] = nsPer(ticks, reps, (i) => ind.updateLast(tickList[i & 4095]));
  }

  // ChartState.apply of one tick (the 1-minute bar and its 5-minute bar, indicators of both).
  const clock = new ManualClock(T0);
  const timers = new ManualTimers(clock);
  const state = new ChartState(clock, timers, 100, 1440);
  state.open('AAPL');
  state.apply(new ChartUpdate('AAPL', series, true));
  const updates = tickList.map((b) => new ChartUpdate('AAPL', [b], false));
  const applyNs = nsPer(ticks / 4, reps, (i) => state.apply(updates[i & 4095]));
  const one = state.indicators(BarInterval.ONE_MINUTE);
  result({
    updateNs, appendNs, rebuildUs, perIndicatorNs: per, chartApplyNs: applyNs,
    rebuildVsUpdate: (rebuildUs * 1000) / updateNs, bars: series.length, check: Number.isFinite(one.macd.dea[1439]),
  });
}

class SnapshotListener implements MqttSessionListener {
  private readonly codec = new BarSnapshotCodec();
  readonly histories = new Map<string, SnapshotHistory>();
  bytes = 0;
  decoded = 0;
  decodeMs = 0;
  connected = false;
  onDone: (() => void) | undefined;
  expected = 0;

  onMessage(message: TransportMessage, arrivalMs: number): void {
    const t = performance.now();
    this.bytes += message.payload.byteLength;
    const r = this.codec.decode(message.topic, message.payload, arrivalMs);
    if (r.ok && r.snapshot) {
      let h = this.histories.get(r.snapshot.symbol);
      if (!h) {
        h = new SnapshotHistory(MINUTE_MS, 1440);
        this.histories.set(r.snapshot.symbol, h);
      }
      h.apply(r.snapshot, () => undefined);
      this.decoded++;
    }
    this.decodeMs += performance.now() - t;
    if (this.decoded >= this.expected && this.onDone) this.onDone();
  }

  onStatus(status: ConnectionStatus): void {
    this.connected = status.state === ConnectionState.CONNECTED;
  }
}

/** Connects the app's session, subscribes `topics` (besides the quotes) and waits for their retained snapshots. */
async function receiveSnapshots(url: string, topics: string[], run: number): Promise<{ ms: number; bytes: number; decodeMs: number; heapKB: number }> {
  const listener = new SnapshotListener();
  listener.expected = topics.length;
  const config = new MqttSessionConfig();
  const brokerUrl = url.replace('mqtt://', 'tcp://'); // the app's normalised form
  config.connection = ConnectionOptions.forBroker(brokerUrl, `bench-bars-${topics.length}-${run}`);
  const session = new MqttSession(config, new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom(), listener);
  session.start();
  const deadline = Date.now() + 10_000;
  while (!listener.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  if (!listener.connected) throw new Error(`the session did not connect to ${brokerUrl}`);
  (globalThis as { gc?: () => void }).gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t = performance.now();
  const done = new Promise<void>((resolve) => { listener.onDone = resolve; });
  session.setExtraTopics(topics);
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  const ms = performance.now() - t;
  (globalThis as { gc?: () => void }).gc?.();
  const heapKB = (process.memoryUsage().heapUsed - heap0) / 1024;
  await session.stop();
  if (listener.decoded < topics.length) throw new Error(`only ${listener.decoded}/${topics.length} snapshots`);
  return { ms, bytes: listener.bytes, decodeMs: listener.decodeMs, heapKB };
}

async function barsBench(): Promise<void> {
  const reps = opts.reps ?? 5;
  const broker = await startBroker({ port: 0 });
  const watchlistSizes = [1, DEFAULT_WATCHLIST.length, 50];
  const symbols = universeSymbols(50);
  const sim = createSimulator({ seed: 7, symbols });
  const pub = await Publisher.connect(parseBrokerUrl(broker.url), { clientId: 'bench-bars-pub', qos: 1, retain: true });
  const bars = BarSnapshotPublisher.forPublisher(pub, 240, simulatorBackfill(sim, 240)) as BarSnapshotPublisher;
  const now = Date.now();
  for (let i = 0; i < 500; i++) {
    const q = sim.next(now + i);
    bars.onQuote('finance', q.symbol, q.price, q.timestamp as number, q.volume);
  }
  await pub.flush();
  const sizes = symbols.map((s) => Buffer.byteLength(encodeBarSnapshot(bars.snapshotOf(s, now + 500)!)));

  // Decode and merge of one 240-bar snapshot, and the chart's reset with it (indicators rebuilt).
  const codec = new BarSnapshotCodec();
  const text = Buffer.from(encodeBarSnapshot(bars.snapshotOf('AAPL', now + 500)!));
  const payload = text.buffer.slice(text.byteOffset, text.byteOffset + text.byteLength) as ArrayBuffer;
  const decodeUs = nsPer(2000, reps, () => codec.decode('finance/AAPL/bars/1m', payload, now + 1000)) / 1000;
  const snapshot = codec.decode('finance/AAPL/bars/1m', payload, now + 1000).snapshot!;
  const mergeUs = nsPer(2000, reps, () => new SnapshotHistory(MINUTE_MS, 1440).apply(snapshot, () => undefined)) / 1000;
  const clock = new ManualClock(now);
  const state = new ChartState(clock, new ManualTimers(clock), 100, 1440);
  state.open('AAPL');
  const reset = new ChartUpdate('AAPL', snapshot.bars, true);
  const chartResetUs = nsPer(500, reps, () => state.apply(reset)) / 1000;

  const subscribe: Record<string, { ms: number; bytes: number; decodeMs: number; heapKB: number }> = {};
  for (const n of watchlistSizes) {
    const topics = symbols.slice(0, n).map((s) => barsTopic('finance', s));
    const runs = [];
    for (let r = 0; r < reps; r++) runs.push(await receiveSnapshots(broker.url, topics, r));
    subscribe[n] = {
      ms: median(runs.map((x) => x.ms)), bytes: runs[0].bytes, decodeMs: median(runs.map((x) => x.decodeMs)),
      heapKB: median(runs.map((x) => x.heapKB)),
    };
  }
  await pub.close();
  await broker.close();
  result({ snapshotBytes: { min: Math.min(...sizes), median: median(sizes), max: Math.max(...sizes) }, decodeUs, mergeUs, chartResetUs, subscribe });
}

if (mode === 'ind') indBench();
else if (mode === 'bars') await barsBench();
else throw new Error(`unknown mode ${mode}`);
