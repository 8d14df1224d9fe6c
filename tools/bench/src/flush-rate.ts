// The flush-rate check (B3): the app's FeedEngine on the real clock and real timers, fed by a paced
// loop on 1 ms ticks at `rate` msg/s. Every batch is checked against what the loop fed since the
// previous one (exactly the symbols that changed, each with its latest tick) and applied to a
// QuoteStore; after the phase, flushNow() and the store must hold the last tick of every symbol.
// The rate is judged as the most batches in any second [t, t + 1 s) on the engine's clock (the
// moments it posted them, QuoteBatch.postedAt); the receiver's stamps are reported beside them. Used by
// `npm run bench` (B3) and by the fault run, which repeats it with every core kept busy.
import { performance } from 'node:perf_hooks';
import {
  AcceptOutcome, ConnectionStatus, FeedEngine, FeedEngineOptions, FeedEngineSink, QuoteBatch, SystemClock, SystemTimers
} from '@quotedeck/core';
import { QuoteStore } from '@quotedeck/ui';
import { SYMBOLS, SYMBOL_COUNT, PayloadStream, attachBenchAlerts } from './shared';

export const FLUSH_RATE_INPUTS: number[] = [1, 10, 100, 1000, 5000, 20000];

export interface FlushRatePhase {
  rate: number;
  fed: number;
  achievedRate: number;
  seconds: number;
  /** Batches posted during the phase (the final flushNow() left out). */
  flushes: number;
  flushesPerSecond: number;
  /** Judged on the engine's own clock (QuoteBatch.postedAt): the moments it decided to post. */
  maxFlushesInAnySecond: number;
  minGapMs: number;
  /** The same as the receiver stamps them (performance.now() in the sink), for information: a stamp can come late on a busy machine. */
  receivedMaxInAnySecond: number;
  receivedMinGapMs: number;
  meanSymbolsPerBatch: number;
  /** Ticks posted in the same turn as they were fed (leading edge), and how many were fed after a quiet interval. */
  immediate: number;
  afterQuiet: number;
  contentErrors: number;
  finalErrors: number;
  symbolsTicked: number;
  examples: string[];
}

/** Most `times` (ascending, ms) in any window [t, t + 1000), and the smallest gap between two. */
export function mostInAnySecond(times: number[]): { most: number; minGap: number } {
  let most = 0;
  let minGap = Infinity;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < i) j = i;
    while (j + 1 < times.length && times[j + 1] - times[i] < 1000) j++;
    most = Math.max(most, j - i + 1);
    if (i > 0) minGap = Math.min(minGap, times[i] - times[i - 1]);
  }
  return { most, minGap };
}

export async function runFlushRatePhase(rate: number, seconds: number, flushIntervalMs = 100): Promise<FlushRatePhase> {
  const store = new QuoteStore();
  store.setWatchlist(SYMBOLS);
  const flushTimes: number[] = [];
  const postedTimes: number[] = [];
  let batches = 0;
  let snapshots = 0;
  let contentErrors = 0;
  const examples: string[] = [];
  const changed = new Set<string>();
  const stream = new PayloadStream();
  const bySymbol = new Map<string, number>();
  SYMBOLS.forEach((sym, i) => bySymbol.set(sym, i));
  let counting = false;
  const sink: FeedEngineSink = {
    onBatch: (batch: QuoteBatch): void => {
      if (counting) {
        flushTimes.push(performance.now());
        postedTimes.push(batch.postedAt);
      }
      batches++;
      snapshots += batch.snapshots.length;
      // Exactly the changed symbols, each with its latest tick.
      const got = new Set<string>();
      for (const snap of batch.snapshots) {
        got.add(snap.quote.symbol);
        const i = bySymbol.get(snap.quote.symbol)!;
        if (!changed.has(snap.quote.symbol) || snap.quote.price !== stream.lastPrice[i] || snap.quote.seq !== stream.lastSeq[i]) {
          contentErrors++;
          if (examples.length < 3) examples.push(`${snap.quote.symbol}: got ${snap.quote.price}#${snap.quote.seq}, last fed ${stream.lastPrice[i]}#${stream.lastSeq[i]}, changed ${changed.has(snap.quote.symbol)}`);
        }
      }
      changed.forEach((sym) => {
        if (!got.has(sym)) {
          contentErrors++;
          if (examples.length < 3) examples.push(`${sym} changed but missing from the batch`);
        }
      });
      changed.clear();
      store.apply(batch);
    },
    onStatus: (_s: ConnectionStatus): void => undefined,
  };
  const options = new FeedEngineOptions();
  options.flushIntervalMs = flushIntervalMs;
  const engine = new FeedEngine(options, new SystemClock(), new SystemTimers(), sink);
  engine.setSymbols(SYMBOLS); // its (empty) batch goes at once and is not counted
  attachBenchAlerts(engine, Date.now() - 1000);
  let fed = 0;
  let immediate = 0;
  let afterQuiet = 0;
  counting = true;
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.floor(((Math.min(now, end) - start) / 1000) * rate) + 1;
      while (fed < due) {
        const wall = Date.now();
        const p = stream.next(wall);
        const symbol = SYMBOLS[p.symbolIndex];
        // Marked before ingest: after a quiet interval the batch goes out inside ingest().
        changed.add(symbol);
        const before = batches;
        const quiet = flushTimes.length === 0 || performance.now() - flushTimes[flushTimes.length - 1] > flushIntervalMs + 1;
        const outcome = engine.ingest(p.topic, p.buffer, wall);
        if (outcome !== AcceptOutcome.APPLIED) {
          contentErrors++;
          if (examples.length < 3) examples.push(`${symbol} #${stream.lastSeq[p.symbolIndex]}: ${outcome}, not applied`);
        }
        if (batches > before) immediate++;
        if (quiet) afterQuiet++;
        fed++;
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  counting = false;
  engine.flushNow();
  // Final state: the store shows the last tick of every symbol that got one.
  let finalErrors = 0;
  let symbolsTicked = 0;
  for (let i = 0; i < SYMBOL_COUNT; i++) {
    if (stream.lastSeq[i] < 0) continue;
    symbolsTicked++;
    const item = store.item(SYMBOLS[i])!;
    if (item.price !== stream.lastPrice[i] || item.ticks !== stream.seqs[i]) {
      finalErrors++;
      if (examples.length < 6) examples.push(`final ${SYMBOLS[i]}: store ${item.price} (${item.ticks} ticks), fed ${stream.lastPrice[i]} (${stream.seqs[i]})`);
    }
  }
  const pace = mostInAnySecond(postedTimes);
  const received = mostInAnySecond(flushTimes);
  return {
    rate, fed, achievedRate: fed / elapsed, seconds: elapsed, flushes: flushTimes.length, flushesPerSecond: flushTimes.length / elapsed,
    maxFlushesInAnySecond: pace.most, minGapMs: pace.minGap, receivedMaxInAnySecond: received.most, receivedMinGapMs: received.minGap,
    meanSymbolsPerBatch: batches ? snapshots / batches : 0,
    immediate, afterQuiet, contentErrors, finalErrors, symbolsTicked, examples,
  };
}
