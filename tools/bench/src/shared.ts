// Shared pieces of the QuoteDeck benches: the 50-symbol universe, ~100-byte quote payloads that can be
// re-stamped in place (so a bounded ring of buffers yields an endless stream of fresh, valid quotes
// without allocating), fake timers, the 50 alert rules and how they are attached, and stats.
import fs from 'node:fs';
import {
  AlertEvaluator, AlertEvent, AlertKind, AlertRepeat, AlertRule, Clock, FeedEngine, HysteresisMode,
  MemoryAlertHistory, Quote, QuoteBatch, TickObserver, Timers
} from '@quotedeck/core';
import { universeSymbols, instrumentFor } from '../../quotefeed/src/index';

export const SEED = 7;
export const SYMBOL_COUNT = 50;
export const SYMBOLS: string[] = universeSymbols(SYMBOL_COUNT);
export const TOPICS: string[] = SYMBOLS.map((s) => `finance/${s}/quotes`);
export const BASE_PRICES: number[] = SYMBOLS.map((s) => instrumentFor(s, SEED).basePrice);
/** Price variants per symbol in a ring: prices oscillate ±0.4 % around the base, crossing the alert levels. */
export const VARIANTS = 32;
const SEQ_WIDTH = 10;

export function variantPrice(symbolIndex: number, variant: number): number {
  const base = BASE_PRICES[symbolIndex];
  return Math.round(base * (1 + 0.004 * Math.sin((2 * Math.PI * variant) / VARIANTS)) * 100) / 100;
}

/**
 * One quote payload, about 100 bytes:
 * {"symbol":"AAPL","price":189.37,"timestamp":1714564800000,"seq":         1,"volume":1200,"prevClose":188.5}
 * seq is right-aligned in a fixed-width field (JSON allows the spaces) and the timestamp has 13 digits,
 * so both can be rewritten in place.
 */
export class StampablePayload {
  readonly symbolIndex: number;
  readonly topic: string;
  readonly price: number;
  readonly bytes: Uint8Array;
  readonly buffer: ArrayBuffer;
  private readonly seqEnd: number;
  private readonly tsStart: number;
  private lastTs = 0;
  private seq = 0;

  constructor(symbolIndex: number, variant: number) {
    this.symbolIndex = symbolIndex;
    this.topic = TOPICS[symbolIndex];
    this.price = variantPrice(symbolIndex, variant);
    const symbol = SYMBOLS[symbolIndex];
    const prevClose = Math.round(BASE_PRICES[symbolIndex] * 99) / 100;
    const head = `{"symbol":"${symbol}","price":${this.price},"timestamp":`;
    const mid = `1700000000000,"seq":`;
    const text = `${head}${mid}${' '.repeat(SEQ_WIDTH - 1)}0,"volume":${1000 + variant * 100},"prevClose":${prevClose}}`;
    this.buffer = new ArrayBuffer(text.length);
    this.bytes = new Uint8Array(this.buffer);
    for (let i = 0; i < text.length; i++) this.bytes[i] = text.charCodeAt(i);
    this.tsStart = head.length;
    this.seqEnd = head.length + mid.length + SEQ_WIDTH;
  }

  /**
   * Sets seq (a non-negative integer below 1e10, never smaller than the last one stamped here) and the
   * timestamp (13-digit epoch ms). seq is advanced like an odometer (decimal add with carry), so a
   * stamp costs a few byte writes.
   */
  stamp(seq: number, timestampMs: number): void {
    const b = this.bytes;
    let carry = seq - this.seq;
    this.seq = seq;
    let i = this.seqEnd - 1;
    while (carry > 0) {
      const c = b[i];
      const d = (c === 32 ? 0 : c - 48) + carry;
      const q = (d / 10) | 0;
      b[i] = 48 + d - q * 10;
      carry = q;
      i--;
    }
    if (timestampMs !== this.lastTs) {
      this.lastTs = timestampMs;
      let t = timestampMs;
      for (let k = this.tsStart + 12; k >= this.tsStart; k--) {
        const q = Math.floor(t / 10);
        b[k] = 48 + t - q * 10;
        t = q;
      }
    }
  }

  text(): string {
    return String.fromCharCode(...this.bytes);
  }
}

/**
 * An endless stream of fresh quotes over SYMBOLS (round robin), from a fixed ring of SYMBOL_COUNT ×
 * VARIANTS buffers: next() restamps the buffer in place with the symbol's next seq and the given time.
 */
export class PayloadStream {
  readonly ring: StampablePayload[] = [];
  readonly seqs: number[] = new Array<number>(SYMBOL_COUNT).fill(0);
  /** Last payload handed out per symbol (for final-state checks). */
  readonly lastPrice: number[] = new Array<number>(SYMBOL_COUNT).fill(NaN);
  readonly lastSeq: number[] = new Array<number>(SYMBOL_COUNT).fill(-1);
  private i = 0;

  constructor() {
    for (let v = 0; v < VARIANTS; v++) {
      for (let s = 0; s < SYMBOL_COUNT; s++) this.ring.push(new StampablePayload(s, v));
    }
  }

  next(timestampMs: number): StampablePayload {
    const p = this.ring[this.i];
    this.i = this.i + 1 === this.ring.length ? 0 : this.i + 1;
    const s = p.symbolIndex;
    const seq = ++this.seqs[s];
    p.stamp(seq, timestampMs);
    this.lastPrice[s] = p.price;
    this.lastSeq[s] = seq;
    return p;
  }
}

/** Timers driven by a clock the bench moves: runDue() runs what is due, in due order. */
export class FakeTimers implements Timers {
  private nextId = 1;
  private readonly tasks = new Map<number, { due: number; cb: () => void }>();
  constructor(private readonly clock: Clock) {}
  setTimeout(callback: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.tasks.set(id, { due: this.clock.now() + delayMs, cb: callback });
    return id;
  }
  clearTimeout(handle: number): void {
    this.tasks.delete(handle);
  }
  pending(): number {
    return this.tasks.size;
  }
  runDue(): number {
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      let bestId = -1;
      let bestDue = Infinity;
      this.tasks.forEach((t, id) => {
        if (t.due <= now && t.due < bestDue) {
          bestDue = t.due;
          bestId = id;
        }
      });
      if (bestId < 0) return ran;
      const task = this.tasks.get(bestId)!;
      this.tasks.delete(bestId);
      task.cb();
      ran++;
    }
  }
}

/**
 * 50 rules over the 50 symbols (one each), a mix of every kind, levels near the prices the stream
 * produces so that they arm, fire and re-arm during a run.
 */
export function benchRules(createdAt: number): AlertRule[] {
  const kinds = [
    AlertKind.CROSSES_ABOVE, AlertKind.CROSSES_BELOW, AlertKind.PRICE_AT_OR_ABOVE, AlertKind.PRICE_AT_OR_BELOW,
    AlertKind.CHANGE_PCT_AT_OR_ABOVE, AlertKind.CHANGE_PCT_AT_OR_BELOW, AlertKind.VOLUME_AT_OR_ABOVE,
  ];
  const rules: AlertRule[] = [];
  for (let i = 0; i < SYMBOL_COUNT; i++) {
    const r = new AlertRule();
    r.id = `bench-${i}`;
    r.symbol = SYMBOLS[i];
    r.kind = kinds[i % kinds.length];
    const base = BASE_PRICES[i];
    switch (r.kind) {
      case AlertKind.CROSSES_ABOVE: case AlertKind.PRICE_AT_OR_ABOVE: r.level = Math.round(base * 1.002 * 100) / 100; break;
      case AlertKind.CROSSES_BELOW: case AlertKind.PRICE_AT_OR_BELOW: r.level = Math.round(base * 0.998 * 100) / 100; break;
      case AlertKind.CHANGE_PCT_AT_OR_ABOVE: r.level = 1.2; break; // prevClose is 0.99 × base: change ≈ +0.6..1.4 %
      case AlertKind.CHANGE_PCT_AT_OR_BELOW: r.level = 0.8; break;
      default: r.level = 3500; break;
    }
    r.repeat = i % 3 === 0 ? AlertRepeat.CONTINUOUS : i % 3 === 1 ? AlertRepeat.ONCE_PER_DAY : AlertRepeat.CONTINUOUS;
    r.cooldownMs = r.repeat === AlertRepeat.CONTINUOUS ? 1000 : 0;
    r.hysteresis = 0.1;
    r.hysteresisMode = HysteresisMode.PERCENT_OF_LEVEL;
    r.createdAt = createdAt;
    r.updatedAt = createdAt;
    r.note = `bench rule ${i}`;
    rules.push(r);
  }
  return rules;
}

/**
 * Fallback alert stage for an engine without built-in alerts: a TickObserver that evaluates every
 * applied tick against the rules and keeps fired events in a bounded history.
 */
export class BenchAlertObserver implements TickObserver {
  readonly evaluator: AlertEvaluator = new AlertEvaluator();
  readonly history: MemoryAlertHistory = new MemoryAlertHistory();
  fired = 0;
  constructor(rules: AlertRule[]) {
    const n = this.evaluator.setRules(rules);
    if (n !== rules.length) throw new Error(`only ${n} of ${rules.length} bench rules accepted`);
  }
  onTick(quote: Quote, arrivalMs: number): void {
    const events: AlertEvent[] = this.evaluator.evaluate(quote, arrivalMs);
    for (let i = 0; i < events.length; i++) {
      this.fired++;
      this.history.add(events[i]);
    }
  }
}

/** How the 50 bench rules are attached to an engine (see attachBenchAlerts). */
export interface BenchAlerts {
  /** 'engine': FeedEngine.setAlertRules (the engine's own alert stage); 'observer': BenchAlertObserver. */
  via: 'engine' | 'observer';
  /** Alerts fired so far by the fallback observer (the engine's own stage reports them in batches). */
  observerFired(): number;
}

/**
 * Gives the engine the 50 bench rules: through its own alert stage (FeedEngine.setAlertRules, whose
 * fired alerts travel in QuoteBatch.alerts) when it has one, else through BenchAlertObserver.
 */
export function attachBenchAlerts(engine: FeedEngine, createdAt: number): BenchAlerts {
  const rules = benchRules(createdAt);
  const e = engine as unknown as { setAlertRules?: (r: AlertRule[]) => number };
  if (typeof e.setAlertRules === 'function') {
    const n = e.setAlertRules(rules);
    if (n !== rules.length) throw new Error(`only ${n} of ${rules.length} bench rules accepted`);
    return { via: 'engine', observerFired: () => 0 };
  }
  const observer = new BenchAlertObserver(rules);
  engine.addObserver(observer);
  return { via: 'observer', observerFired: () => observer.fired };
}

/** Alerts carried by a batch (QuoteBatch.alerts, when the engine has an alert stage). */
export function batchAlerts(batch: QuoteBatch): AlertEvent[] {
  const a = (batch as unknown as { alerts?: AlertEvent[] }).alerts;
  return Array.isArray(a) ? a : [];
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile of a sorted array (p in 0..100). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[k];
}

/**
 * CPU time of this process's main (JS) thread in ns, and the time it spent runnable but waiting for a
 * core (Linux schedstat: immune to other processes' load, unlike wall time). Falls back to
 * process.cpuUsage (all threads, µs resolution) where /proc is not available.
 */
export function mainThreadTimes(): { cpuNs: number; waitNs: number } {
  try {
    const text = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(' ');
    return { cpuNs: Number(text[0]), waitNs: Number(text[1]) };
  } catch {
    const u = process.cpuUsage();
    return { cpuNs: (u.user + u.system) * 1000, waitNs: 0 };
  }
}
