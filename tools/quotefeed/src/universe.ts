// The instruments the simulator knows by name, and generated ones (SYM001…) for larger profiles.
import { SeededRandom } from '@quotedeck/testing';

export interface Instrument {
  symbol: string;
  name: string;
  currency: string;
  /** Reference price: the previous close on the first simulated day. */
  basePrice: number;
  tickSize: number;
  /** Daily volatility (fraction), before the seed's per-run perturbation. */
  dailyVol: number;
  /** Volume added per unit of trading (shares, contracts, units). */
  lot: number;
  /** Widest bid/ask half-spread in ticks. */
  maxHalfSpreadTicks: number;
}

type Row = [symbol: string, name: string, currency: string, basePrice: number, tickSize: number, dailyVol: number, lot: number, halfSpread: number];

const ROWS: Row[] = [
  ['AAPL', 'Apple Inc.', 'USD', 190.5, 0.01, 0.018, 100, 2],
  ['MSFT', 'Microsoft Corp.', 'USD', 421.2, 0.01, 0.016, 100, 2],
  ['NVDA', 'NVIDIA Corp.', 'USD', 121.8, 0.01, 0.035, 100, 2],
  ['TSLA', 'Tesla Inc.', 'USD', 248.3, 0.01, 0.04, 100, 3],
  ['AMZN', 'Amazon.com Inc.', 'USD', 186.1, 0.01, 0.02, 100, 2],
  ['GOOGL', 'Alphabet Inc. Class A', 'USD', 175.4, 0.01, 0.018, 100, 2],
  ['META', 'Meta Platforms Inc.', 'USD', 502.6, 0.01, 0.025, 100, 3],
  ['0700.HK', 'Tencent Holdings', 'HKD', 382.4, 0.2, 0.022, 100, 1],
  ['9988.HK', 'Alibaba Group Holding', 'HKD', 84.85, 0.05, 0.028, 100, 1],
  ['600519.SS', 'Kweichow Moutai', 'CNY', 1502.0, 0.01, 0.015, 100, 3],
  ['000001.SZ', 'Ping An Bank', 'CNY', 10.52, 0.01, 0.015, 100, 1],
  ['BTC-USD', 'Bitcoin USD', 'USD', 65120.0, 0.01, 0.035, 1, 5],
  ['ETH-USD', 'Ethereum USD', 'USD', 3405.0, 0.01, 0.045, 1, 4],
  ['EURUSD', 'Euro / US Dollar', 'USD', 1.0842, 0.00001, 0.005, 1000, 2],
  ['^GSPC', 'S&P 500', 'USD', 5431.6, 0.01, 0.01, 1, 3],
  ['JPM', 'JPMorgan Chase & Co.', 'USD', 201.3, 0.01, 0.015, 100, 2],
  ['V', 'Visa Inc.', 'USD', 276.9, 0.01, 0.014, 100, 2],
  ['7203.T', 'Toyota Motor Corp.', 'JPY', 2815.0, 0.5, 0.018, 100, 1],
  ['^HSI', 'Hang Seng Index', 'HKD', 18102.0, 0.01, 0.015, 1, 3],
  ['GBPUSD', 'British Pound / US Dollar', 'USD', 1.2731, 0.00001, 0.005, 1000, 2],
];

/** The named instruments, in a fixed order (the first ones are used first by every profile). */
export const DEFAULT_UNIVERSE: readonly Instrument[] = ROWS.map(([symbol, name, currency, basePrice, tickSize, dailyVol, lot, maxHalfSpreadTicks]) => ({
  symbol, name, currency, basePrice, tickSize, dailyVol, lot, maxHalfSpreadTicks,
}));

const BY_SYMBOL = new Map(DEFAULT_UNIVERSE.map((i) => [i.symbol, i]));

/** 32-bit FNV-1a of a string mixed with a seed: stable per-symbol sub-seeds. */
export function subSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function generatedSymbol(n: number): string {
  return `SYM${String(n).padStart(3, '0')}`;
}

/**
 * The instrument for `symbol`: the table's, or one generated from the seed (price 10-500, a
 * plausible volatility, USD, tick 0.01) for any other symbol.
 */
export function instrumentFor(symbol: string, seed: number): Instrument {
  const known = BY_SYMBOL.get(symbol);
  if (known) return known;
  const rng = new SeededRandom(subSeed(seed, `instrument:${symbol}`));
  const basePrice = Math.round(10 * Math.exp(rng.next() * Math.log(50)) * 100) / 100;
  const m = /^SYM(\d+)$/.exec(symbol);
  return {
    symbol,
    name: m ? `Simulated Co. ${m[1]}` : symbol,
    currency: 'USD',
    basePrice,
    tickSize: 0.01,
    dailyVol: 0.01 + rng.next() * 0.03,
    lot: 100,
    maxHalfSpreadTicks: 1 + Math.floor(rng.next() * 3),
  };
}

/** The first `count` symbols: the named ones, then SYM001, SYM002, … */
export function universeSymbols(count: number): string[] {
  const out = DEFAULT_UNIVERSE.slice(0, count).map((i) => i.symbol);
  for (let n = 1; out.length < count; n++) out.push(generatedSymbol(n));
  return out;
}
