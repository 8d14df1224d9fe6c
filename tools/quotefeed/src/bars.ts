// Retained bar snapshots (docs/payload.md, "Bar snapshots"): every quote a command publishes also
// goes into the app's own BarAggregator for its symbol, and the symbol's last N one-minute bars are
// published retained on `<prefix>/<SYMBOL>/bars/1m` — when its first quote goes out (with the
// simulator's backfilled history before it, so a chart opened at once is not empty) and then
// whenever one of its quotes starts a new minute, i.e. every minute while it trades, and once more
// at the end. Snapshot times follow the quote timestamps, so simulated time (`--start`) and replayed
// recordings get snapshots of their own clock.
import {
  Bar, BarAggregator, BarSnapshot, barsTopic, DEFAULT_SNAPSHOT_BARS, encodeBarSnapshot, MAX_SNAPSHOT_BARS, MINUTE_MS,
  Quote as CoreQuote,
} from '@quotedeck/core';
import { SeededRandom } from '@quotedeck/testing';
import type { OptionSpec } from './args';
import type { MarketSimulator } from './simulator';
import type { Publisher } from './publisher';
import { subSeed } from './universe';

export const BARS_OPTION: Readonly<Record<string, OptionSpec>> = {
  bars: {
    type: 'integer', valueName: 'N', min: 0, max: MAX_SNAPSHOT_BARS, default: DEFAULT_SNAPSHOT_BARS,
    description: 'publish a retained snapshot of the last N one-minute bars per symbol on <prefix>/<SYMBOL>/bars/1m every minute (0: none)',
  },
};

/** History before a symbol's first quote: bars of the minutes before `firstMs`, ending near `firstPrice`. */
export type Backfill = (symbol: string, firstMs: number, firstPrice: number) => Bar[];

export interface BarSnapshotPublisherOptions {
  /** Bars per snapshot (1–1440). */
  bars: number;
  /** Sends one retained message; `done` is told whether it was written (QoS 0) or acknowledged (QoS 1). */
  publish: (topic: string, payload: string, done: (ok: boolean) => void) => void;
  backfill?: Backfill;
}

interface SymbolBars {
  prefix: string;
  history: Bar[];
  agg: BarAggregator;
  /** Minute of the last snapshot sent (its asOf, floored). */
  lastMinute: number;
  /** Newest quote time seen. */
  newestMs: number;
}

export class BarSnapshotPublisher {
  private readonly opts: BarSnapshotPublisherOptions;
  private readonly symbols = new Map<string, SymbolBars>();
  /** Snapshots handed to `publish`, and those written or acknowledged. */
  sent = 0;
  completed = 0;

  constructor(opts: BarSnapshotPublisherOptions) {
    if (!(opts.bars >= 1 && opts.bars <= MAX_SNAPSHOT_BARS)) throw new Error(`bars must be 1-${MAX_SNAPSHOT_BARS}`);
    this.opts = opts;
  }

  /** A quote was published on `<prefix>/<symbol>/quotes`; sends a snapshot when it starts a new minute. */
  onQuote(prefix: string, symbol: string, price: number, timestampMs: number, volume: number | undefined): void {
    if (!Number.isFinite(timestampMs) || !(price > 0)) return;
    let s = this.symbols.get(symbol);
    if (s === undefined) {
      s = {
        prefix,
        history: this.opts.backfill?.(symbol, timestampMs, price) ?? [],
        agg: new BarAggregator(MINUTE_MS, MAX_SNAPSHOT_BARS),
        lastMinute: -Infinity,
        newestMs: -Infinity,
      };
      this.symbols.set(symbol, s);
    }
    s.prefix = prefix;
    const q = new CoreQuote(symbol, price, timestampMs);
    q.volume = volume ?? NaN;
    s.agg.addTick(q);
    if (timestampMs > s.newestMs) s.newestMs = timestampMs;
    const minute = Math.floor(timestampMs / MINUTE_MS) * MINUTE_MS;
    if (minute > s.lastMinute) this.send(symbol, s, timestampMs);
  }

  /** Sends every symbol's snapshot as of its newest quote (the end of a run). */
  flushAll(): void {
    for (const [symbol, s] of this.symbols) this.send(symbol, s, s.newestMs);
  }

  /** Publishes retained through `pub` (a snapshot per symbol per minute), or undefined when `bars` is 0. */
  static forPublisher(pub: Publisher, bars: number, backfill?: Backfill): BarSnapshotPublisher | undefined {
    if (bars <= 0) return undefined;
    return new BarSnapshotPublisher({
      bars,
      backfill,
      publish: (topic, payload, done) => pub.publish(topic, payload, { retain: true, onDone: done }),
    });
  }

  /** The snapshot of `symbol` as of `asOf` (backfill, then the bars of the quotes seen), or undefined. */
  snapshotOf(symbol: string, asOf: number): BarSnapshot | undefined {
    const s = this.symbols.get(symbol);
    return s === undefined ? undefined : this.build(symbol, s, asOf);
  }

  private build(symbol: string, s: SymbolBars, asOf: number): BarSnapshot {
    const live = s.agg.bars().map((b) => new Bar(b.start, b.open, b.high, b.low, b.close, b.volume, 0));
    const firstLive = live.length > 0 ? live[0].start : Infinity;
    const all = s.history.filter((b) => b.start < firstLive).concat(live).filter((b) => b.start <= asOf);
    return new BarSnapshot(symbol, MINUTE_MS, asOf, all.slice(Math.max(0, all.length - this.opts.bars)));
  }

  private send(symbol: string, s: SymbolBars, asOf: number): void {
    s.lastMinute = Math.floor(asOf / MINUTE_MS) * MINUTE_MS;
    this.sent++;
    this.opts.publish(barsTopic(s.prefix, symbol), encodeBarSnapshot(this.build(symbol, s, asOf)), (ok) => {
      if (ok) this.completed++;
    });
  }
}

function roundTo(x: number, tick: number): number {
  const s = tick.toString();
  const decimals = s.includes('e-') ? Number(s.split('e-')[1]) : s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  return Number((Math.round(x / tick) * tick).toFixed(decimals));
}

/**
 * The simulator's history before a symbol's first quote: `minutes` one-minute bars of a seeded
 * random walk with the symbol's volatility at the simulator's pace (per real minute, timeScale
 * market minutes), scaled so that it ends at the first quote's price; ticks rounded to the
 * instrument's tick size; volume from its lot size and tick rate. Same seed, same history.
 */
export function simulatorBackfill(sim: MarketSimulator, minutes: number): Backfill {
  return (symbol: string, firstMs: number, firstPrice: number): Bar[] => {
    const inst = sim.instrument(symbol);
    if (inst === undefined || minutes <= 0) return [];
    const rng = new SeededRandom(subSeed(sim.seed, `backfill:${symbol}`));
    const gaussian = (): number => {
      let u = 0;
      while (u === 0) u = rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    };
    const pointsPerMinute = 6;
    const sigma = inst.dailyVol * Math.sqrt((60 * sim.timeScale) / 23400 / pointsPerMinute);
    // Log-price path (first point 0), then shifted so that the last point is the first quote's price.
    const path: number[] = [0];
    for (let i = 1; i <= minutes * pointsPerMinute; i++) path.push(path[i - 1] + sigma * gaussian());
    const shift = Math.log(firstPrice) - path[path.length - 1];
    const ticksPerMinute = Math.max(1, (sim.rateOf(symbol) ?? 1) * 60);
    const firstMinute = Math.floor(firstMs / MINUTE_MS) * MINUTE_MS;
    const bars: Bar[] = [];
    for (let m = 0; m < minutes; m++) {
      let open = NaN;
      let high = -Infinity;
      let low = Infinity;
      let close = NaN;
      for (let k = 0; k <= pointsPerMinute; k++) {
        const p = roundTo(Math.max(inst.tickSize, Math.exp(path[m * pointsPerMinute + k] + shift)), inst.tickSize);
        if (k === 0) open = p;
        close = p;
        high = Math.max(high, p);
        low = Math.min(low, p);
      }
      const volume = inst.lot * Math.round(ticksPerMinute * (1 + 19 * rng.next()) / 2);
      bars.push(new Bar(firstMinute - (minutes - m) * MINUTE_MS, open, high, low, close, volume, 0));
    }
    return bars;
  };
}

/** The topic prefix of `<prefix>/<SYMBOL>/quotes` (undefined for other topics). */
export function prefixOfQuoteTopic(topic: string, symbol: string): string | undefined {
  const suffix = `/${symbol}/quotes`;
  if (topic === `${symbol}/quotes`) return '';
  return topic.endsWith(suffix) ? topic.slice(0, topic.length - suffix.length) : undefined;
}
