// Sends items at the times a schedule says, in small batches per timer tick, so one Node process
// can sustain 10k msg/s: every tick sends all items already due (at most `maxBatch`), then waits
// for the next due time, for socket backpressure, or just for the event loop when behind.
import { performance } from 'node:perf_hooks';

export interface PacedSource<T> {
  /** Offset in ms from the run's start at which the next item is due; undefined when exhausted. */
  nextDue(): number | undefined;
  take(): T;
}

export interface PaceStats {
  sent: number;
  elapsedMs: number;
  /** Rate over the last progress interval, msg/s. */
  currentRate: number;
  averageRate: number;
  /** How far the schedule is behind real time, ms (0 when on time). */
  lagMs: number;
}

export type PaceEnd = 'count' | 'duration' | 'exhausted' | 'aborted';

export interface PaceResult extends PaceStats {
  reason: PaceEnd;
}

export interface PaceOptions<T> {
  send(item: T): void;
  /** Resolves when the sink can take more (socket drained, in-flight below the window), or undefined if it can now. */
  waitForCapacity?(): Promise<void> | undefined;
  /** Throws when the sink has failed (e.g. the connection was lost). */
  check?(): void;
  count?: number;
  durationMs?: number;
  signal?: AbortSignal;
  /** Items per timer tick at most (default 500). */
  maxBatch?: number;
  onProgress?(stats: PaceStats): void;
  progressIntervalMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runPaced<T>(source: PacedSource<T>, opts: PaceOptions<T>): Promise<PaceResult> {
  const maxBatch = opts.maxBatch ?? 500;
  const progressEvery = opts.progressIntervalMs ?? 1000;
  const start = performance.now();
  let sent = 0;
  let lastProgressAt = 0;
  let lastProgressSent = 0;
  let lagMs = 0;
  let reason: PaceEnd | undefined;
  const stats = (now: number, currentRate: number): PaceStats => ({
    sent,
    elapsedMs: now,
    currentRate,
    averageRate: now > 0 ? (sent * 1000) / now : 0,
    lagMs,
  });

  while (!reason) {
    if (opts.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    opts.check?.();
    const elapsed = performance.now() - start;
    if (opts.durationMs !== undefined && elapsed >= opts.durationMs) {
      reason = 'duration';
      break;
    }
    let due = source.nextDue();
    let n = 0;
    while (due !== undefined && due <= elapsed && n < maxBatch) {
      if (opts.count !== undefined && sent >= opts.count) break;
      opts.send(source.take());
      sent++;
      n++;
      due = source.nextDue();
    }
    lagMs = due !== undefined && due < elapsed ? elapsed - due : 0;
    if (opts.count !== undefined && sent >= opts.count) reason = 'count';
    else if (due === undefined) reason = 'exhausted';
    if (opts.onProgress && elapsed - lastProgressAt >= progressEvery) {
      const rate = ((sent - lastProgressSent) * 1000) / Math.max(1, elapsed - lastProgressAt);
      if (lastProgressAt > 0 || elapsed >= progressEvery) opts.onProgress(stats(elapsed, rate));
      lastProgressAt = elapsed;
      lastProgressSent = sent;
    }
    if (reason) break;
    const wait = opts.waitForCapacity?.();
    if (wait) {
      await wait;
      continue;
    }
    const now = performance.now() - start;
    if (due !== undefined && due > now) {
      let ms = due - now;
      if (opts.durationMs !== undefined) ms = Math.min(ms, opts.durationMs - now);
      ms = Math.min(ms, progressEvery);
      // Never spin: a 1 ms timer groups items due within it into one batch (~10 at 10k msg/s).
      await sleep(Math.max(1, Math.floor(ms)), opts.signal);
    } else {
      await yieldToLoop();
    }
  }
  const end = performance.now() - start;
  return { ...stats(end, ((sent - lastProgressSent) * 1000) / Math.max(1, end - lastProgressAt)), reason: reason ?? 'aborted' };
}
