// A reproducible market: each symbol follows geometric Brownian motion with its own drift and
// volatility (derived from the seed), rounded to its tick size, with a bid/ask spread, cumulative
// day volume, a rising seq, and open/high/low/prevClose that roll over at UTC midnight.
//
// Ticks come from a schedule: every symbol has a rate (from the profile, scaled by `rate`) and
// jittered intervals, all drawn from per-symbol random streams, so a given seed always yields the
// same sequence of symbols and prices. Prices depend only on the schedule (simulated time), never
// on wall-clock time; timestamps are `startTime + offset` when a start time is given, else the
// caller's (the publisher passes real time).
import { RandomSource } from '@quotedeck/core';
import { SeededRandom } from '@quotedeck/testing';
import { Quote } from './quote';
import { Instrument, instrumentFor, subSeed, universeSymbols } from './universe';
import { PROFILES, ProfileName } from './profiles';

export interface SimulatorOptions {
  /** Default 1. */
  seed?: number;
  /** Symbols to simulate (default: the profile's universe). */
  symbols?: readonly string[];
  /** Default 'normal'. */
  profile?: ProfileName;
  /** Total ticks per second over all symbols; scales the profile's per-symbol rates. */
  rate?: number;
  /** Epoch ms (or ISO string / Date) of offset 0: makes timestamps reproducible. */
  startTime?: number | string | Date;
  /** seq of each symbol's first tick (default 0). */
  seqStart?: number;
  /** Simulated market seconds per scheduled second (default 60: prices move visibly). */
  timeScale?: number;
}

const TRADING_DAY_SEC = 23400;
const DAY_MS = 86_400_000;

interface SymbolState {
  inst: Instrument;
  index: number;
  decimals: number;
  drift: number;
  vol: number;
  rate: number;
  rng: RandomSource;
  schedRng: RandomSource;
  truePrice: number;
  price: number;
  open: number;
  high: number;
  low: number;
  prevClose: number;
  volume: number;
  seq: number;
  lastOffset: number;
  nextDue: number;
  day: number | undefined;
  last: Quote | undefined;
}

function decimalsOf(tick: number): number {
  const s = tick.toString();
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function gaussian(rng: RandomSource): number {
  let u = 0;
  while (u === 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function toEpochMs(t: number | string | Date): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`not a time: ${String(t)}`);
  return ms;
}

export class MarketSimulator {
  readonly seed: number;
  readonly startTime: number | undefined;
  readonly timeScale: number;
  readonly symbols: readonly string[];
  readonly totalRate: number;
  private readonly states: SymbolState[];
  private readonly bySymbol = new Map<string, SymbolState>();
  private readonly heap: number[] = [];
  private produced = 0;

  constructor(opts: SimulatorOptions = {}) {
    this.seed = (opts.seed ?? 1) >>> 0;
    this.startTime = opts.startTime !== undefined ? toEpochMs(opts.startTime) : undefined;
    this.timeScale = opts.timeScale ?? 60;
    const profile = PROFILES[opts.profile ?? 'normal'];
    if (!profile) throw new Error(`unknown profile ${String(opts.profile)}`);
    const symbols = opts.symbols?.length ? [...opts.symbols] : universeSymbols(profile.symbolCount);
    if (new Set(symbols).size !== symbols.length) throw new Error('duplicate symbols');
    this.symbols = symbols;
    const seqStart = opts.seqStart ?? 0;

    const rates = symbols.map((sym, i) => {
      if (i === 0 && profile.hotSymbolRate !== undefined) return profile.hotSymbolRate;
      const [lo, hi] = profile.perSymbolRate;
      return lo + (hi - lo) * new SeededRandom(subSeed(this.seed, `rate:${sym}`)).next();
    });
    const sum = rates.reduce((a, b) => a + b, 0);
    const scale = opts.rate !== undefined ? opts.rate / sum : 1;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error('rate must be > 0');
    this.totalRate = sum * scale;

    this.states = symbols.map((symbol, index) => {
      const inst = instrumentFor(symbol, this.seed);
      const rng = new SeededRandom(subSeed(this.seed, `price:${symbol}`));
      const schedRng = new SeededRandom(subSeed(this.seed, `schedule:${symbol}`));
      const vol = inst.dailyVol * (0.75 + 0.5 * rng.next());
      const drift = (rng.next() - 0.5) * 0.01;
      const decimals = decimalsOf(inst.tickSize);
      const prevClose = this.round(inst.basePrice, inst.tickSize, decimals);
      const open = this.round(Math.max(inst.tickSize, prevClose * Math.exp(vol * 0.3 * gaussian(rng))), inst.tickSize, decimals);
      const rate = rates[index] * scale;
      const st: SymbolState = {
        inst, index, decimals, drift, vol, rate, rng, schedRng,
        truePrice: open, price: open, open, high: open, low: open, prevClose,
        volume: 0, seq: seqStart, lastOffset: 0, nextDue: 0, day: undefined, last: undefined,
      };
      st.nextDue = this.interval(st);
      return st;
    });
    for (const st of this.states) {
      this.bySymbol.set(st.inst.symbol, st);
      this.push(st.index);
    }
  }

  private round(x: number, tick: number, decimals: number): number {
    return Number((Math.round(x / tick) * tick).toFixed(decimals));
  }

  private interval(st: SymbolState): number {
    return (1000 / st.rate) * (0.5 + st.schedRng.next());
  }

  // Binary min-heap of state indices keyed by (nextDue, index).
  private less(a: number, b: number): boolean {
    const x = this.states[a].nextDue;
    const y = this.states[b].nextDue;
    return x < y || (x === y && a < b);
  }

  private push(i: number): void {
    const h = this.heap;
    h.push(i);
    let k = h.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(h[k], h[p])) break;
      [h[k], h[p]] = [h[p], h[k]];
      k = p;
    }
  }

  private siftRoot(): number {
    // Re-sift the root after its nextDue grew.
    const h = this.heap;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === k) break;
      [h[k], h[m]] = [h[m], h[k]];
      k = m;
    }
    return h[0];
  }

  /** Rate of `symbol` in ticks/s. */
  rateOf(symbol: string): number | undefined {
    return this.bySymbol.get(symbol)?.rate;
  }

  instrument(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol)?.inst;
  }

  /** Ticks produced so far. */
  get count(): number {
    return this.produced;
  }

  /** Offset (ms since start, simulated time) of the next scheduled tick. */
  nextOffset(): number {
    return this.states[this.heap[0]].nextDue;
  }

  /** Symbol of the next scheduled tick. */
  nextSymbol(): string {
    return this.states[this.heap[0]].inst.symbol;
  }

  /**
   * Produces the next scheduled tick. Its timestamp is `timestamp` if given, else
   * `startTime + offset` when the simulator has a start time, else the wall clock.
   */
  next(timestamp?: number): Quote {
    const st = this.states[this.heap[0]];
    const offset = st.nextDue;
    const ts = Math.round(timestamp ?? (this.startTime !== undefined ? this.startTime + offset : Date.now()));
    const q = this.step(st, offset, ts);
    st.nextDue = offset + this.interval(st);
    this.siftRoot();
    return q;
  }

  /** The next `n` ticks (with simulated timestamps if there is a start time). */
  take(n: number): Quote[] {
    const out: Quote[] = [];
    for (let i = 0; i < n; i++) out.push(this.next());
    return out;
  }

  /** The latest tick of every symbol that has ticked, in symbol order. */
  latest(): Quote[] {
    return this.states.filter((s) => s.last).map((s) => s.last as Quote);
  }

  latestFor(symbol: string): Quote | undefined {
    return this.bySymbol.get(symbol)?.last;
  }

  private step(st: SymbolState, offset: number, ts: number): Quote {
    const { inst, rng, decimals } = st;
    const tick = inst.tickSize;
    const day = Math.floor(ts / DAY_MS);
    if (st.day !== undefined && day !== st.day) {
      st.prevClose = st.price;
      st.volume = 0;
      st.open = st.high = st.low = NaN;
    }
    st.day = day;
    const dtDays = ((offset - st.lastOffset) / 1000) * this.timeScale / TRADING_DAY_SEC;
    st.lastOffset = offset;
    if (dtDays > 0) {
      st.truePrice *= Math.exp((st.drift - (st.vol * st.vol) / 2) * dtDays + st.vol * Math.sqrt(dtDays) * gaussian(rng));
    }
    if (st.truePrice < tick) st.truePrice = tick;
    const price = this.round(st.truePrice, tick, decimals);
    st.price = price;
    if (Number.isNaN(st.open)) st.open = st.high = st.low = price;
    if (price > st.high) st.high = price;
    if (price < st.low) st.low = price;
    const maxHalf = inst.maxHalfSpreadTicks;
    const a = Math.floor(rng.next() * (maxHalf + 1));
    let b = Math.floor(rng.next() * (maxHalf + 1));
    if (a + b === 0) b = 1;
    const bid = this.round(Math.max(tick, price - a * tick), tick, decimals);
    const ask = this.round(price + b * tick, tick, decimals);
    st.volume += inst.lot * (1 + Math.floor(rng.next() * 20));
    const q = new Quote(inst.symbol, price, ts);
    q.seq = st.seq++;
    q.bid = bid;
    q.ask = ask;
    q.volume = st.volume;
    q.open = st.open;
    q.high = st.high;
    q.low = st.low;
    q.prevClose = st.prevClose;
    q.name = inst.name;
    q.currency = inst.currency;
    st.last = q;
    this.produced++;
    return q;
  }
}

export function createSimulator(opts: SimulatorOptions = {}): MarketSimulator {
  return new MarketSimulator(opts);
}
