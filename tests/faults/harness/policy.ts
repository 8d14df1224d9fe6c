// Checks recorded reconnect timing against the session's documented policy (ReconnectPolicy):
//  - full jitter: the n-th retry after a failure streak of k waits floor(r · min(cap, base·2^k))
//    where r is the policy's random draw (RecordingRandom records every draw), the streak resetting
//    only after a link stayed up ≥ resetAfterUpMs;
//  - at most maxAttemptsPerWindow attempts in any window of windowMs (a retry is pushed out to
//    the first moment that keeps the window) — checked on the connect() calls the factory recorded;
//  - every scheduled retry shows in a status (RECONNECTING/CONNECTING, attempt n, nextAttemptAt in the
//    future) and the connect() starts no earlier than the time announced.
// No check assumes an idle machine (see checkReconnectPolicy).
import { ConnectionState } from '@quotedeck/core';
import { EngineUnderTest } from './engine';

export interface PolicyConfig {
  baseMs: number;
  capMs: number;
  resetAfterUpMs: number;
  maxAttemptsPerWindow: number;
  windowMs: number;
}

export const APP_POLICY: PolicyConfig = { baseMs: 1000, capMs: 30000, resetAfterUpMs: 20000, maxAttemptsPerWindow: 10, windowMs: 60000 };

export interface RetryRecord {
  /** When the retry was scheduled (the draw). */
  at: number;
  /** Failure streak used as the exponent. */
  k: number;
  ceilingMs: number;
  r: number;
  /** floor(r · ceiling). */
  jitterMs: number;
  /** The earliest start the attempt window allowed, after the draw (0 when it did not matter). */
  windowMinMs: number;
  /** What the status announced: nextAttemptAt − at. */
  scheduledMs: number;
  /** When connect() really started, relative to `at` (NaN when none followed, e.g. stopped). */
  actualMs: number;
  /** How long after the last announced time connect() started: the timer's lateness (NaN when none followed). */
  lateMs: number;
  /** The attempt was deferred when due (a later time announced before it started). */
  deferred: boolean;
  /** The attempt number the status announced. */
  attempt: number;
  windowPushed: boolean;
}

export interface PolicyReport {
  attempts: number;
  retries: RetryRecord[];
  /** Most attempts in any closed window of windowMs. */
  maxInWindow: number;
  /** Shortest gap between attempt i and attempt i + maxAttemptsPerWindow (ms), Infinity if fewer. */
  minSpanOfWindowAttempts: number;
  violations: string[];
}

/**
 * Checks the recorded reconnect timing against the policy, with no assumption about how quickly the
 * machine runs: every bound comes from moments recorded around the policy's own readings.
 * - Window: the session checks the window right before a connect call and counts the attempt from
 *   right after it, so attempt i + max is called more than windowMs after attempt i whatever the
 *   delays in between; checked on the factory's stamps (its connect() calls), closed windows.
 * - Each retry's announced time (nextAttemptAt) against the draw: the policy reads the clock after
 *   the draw (`d.at`) and before the status is recorded (`st.at`), and counts each earlier attempt
 *   from a moment between its connect() call (`startedAt`) and its answer (`endedAt`). So
 *   max(d.at + jitter, startedAt_old + windowMs + 1) ≤ nextAttemptAt ≤
 *   max(st.at + jitter, endedAt_old + windowMs + 1 + (st.at − d.at)); on an idle machine both ends meet.
 * - The connect() that follows starts no earlier than the last time announced before it (a timer
 *   may fire late, never early); how late is reported, not judged.
 */
export function checkReconnectPolicy(e: EngineUnderTest, cfg: PolicyConfig = APP_POLICY): PolicyReport {
  const violations: string[] = [];
  const attempts = e.factory.attempts;
  const starts = attempts.map((a) => a.startedAt);
  const draws = e.random.draws;
  const scheduled = e.channel.statuses.filter((s) => s.status.nextAttemptAt > 0);

  let maxInWindow = 0;
  for (let i = 0; i < starts.length; i++) {
    const n = starts.filter((t) => t >= starts[i] - cfg.windowMs && t <= starts[i]).length;
    maxInWindow = Math.max(maxInWindow, n);
  }
  if (maxInWindow > cfg.maxAttemptsPerWindow) {
    violations.push(`${maxInWindow} attempts within ${cfg.windowMs} ms (limit ${cfg.maxAttemptsPerWindow})`);
  }
  let minSpan = Infinity;
  for (let i = 0; i + cfg.maxAttemptsPerWindow < starts.length; i++) {
    minSpan = Math.min(minSpan, starts[i + cfg.maxAttemptsPerWindow] - starts[i]);
  }

  // Retry by retry.
  const retries: RetryRecord[] = [];
  let k = 0;
  let statusIndex = 0;
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i];
    // A link that stayed up ≥ resetAfterUpMs and went down since the previous draw resets the streak.
    const prevAt = i > 0 ? draws[i - 1].at : -Infinity;
    const longLink = attempts.some((a) => a.ok === true && a.endedAt >= prevAt && a.endedAt <= d.at && d.at - a.endedAt >= cfg.resetAfterUpMs);
    if (longLink) k = 0;
    const ceiling = Math.min(cfg.capMs, cfg.baseMs * Math.pow(2, Math.min(k, 30)));
    const r = d.value < 0 ? 0 : d.value >= 1 ? 0.999999999 : d.value;
    const jitter = Math.floor(r * ceiling);
    k++;
    // The attempt `max` places back among those called before the draw decides the window.
    const before = attempts.filter((a) => a.startedAt <= d.at);
    const old = before.length >= cfg.maxAttemptsPerWindow ? before[before.length - cfg.maxAttemptsPerWindow] : undefined;
    while (statusIndex < scheduled.length && scheduled[statusIndex].at < d.at) statusIndex++;
    const st = scheduled[statusIndex];
    const nextDraw = draws[i + 1];
    if (st === undefined || (nextDraw !== undefined && st.at > nextDraw.at)) {
      violations.push(`retry ${i + 1}: no status announced it`);
      continue;
    }
    statusIndex++;
    const announced = st.status.nextAttemptAt;
    const windowLow = old === undefined ? -Infinity : old.startedAt + cfg.windowMs + 1;
    const windowHigh = old === undefined ? -Infinity : (old.endedAt > 0 ? old.endedAt : st.at) + cfg.windowMs + 1 + (st.at - d.at);
    const low = Math.max(d.at + jitter, windowLow);
    const high = Math.max(st.at + jitter, windowHigh);
    const windowMin = old === undefined ? 0 : Math.max(0, windowLow - d.at);
    if (announced < low || announced > high) {
      violations.push(`retry ${i + 1}: scheduled in ${announced - d.at} ms, policy says ${low - d.at}` +
        `${high > low ? `–${high - d.at}` : ''} ms (k=${k - 1}, r=${r.toFixed(4)}, ceiling ${ceiling}, window ${windowMin})`);
    }
    if (st.status.state !== ConnectionState.RECONNECTING && st.status.state !== ConnectionState.CONNECTING) {
      violations.push(`retry ${i + 1}: status state ${st.status.state} while waiting`);
    }
    // The connect() that follows, and the last time announced before it (a deferral may move it).
    const next = attempts.find((a) => a.startedAt >= st.at);
    let lastAnnounced = announced;
    if (next !== undefined) {
      for (let j = statusIndex; j < scheduled.length && scheduled[j].at <= next.startedAt; j++) {
        lastAnnounced = scheduled[j].status.nextAttemptAt;
      }
      if (next.startedAt < lastAnnounced) {
        violations.push(`retry ${i + 1}: connect() started ${lastAnnounced - next.startedAt} ms before the announced time`);
      }
    }
    retries.push({
      at: d.at, k: k - 1, ceilingMs: ceiling, r, jitterMs: jitter, windowMinMs: windowMin, scheduledMs: announced - d.at,
      actualMs: next === undefined ? NaN : next.startedAt - d.at, lateMs: next === undefined ? NaN : next.startedAt - lastAnnounced,
      deferred: lastAnnounced !== announced, attempt: st.status.attempt, windowPushed: windowMin > jitter,
    });
  }
  return { attempts: attempts.length, retries, maxInWindow, minSpanOfWindowAttempts: minSpan, violations };
}

/** One line for logs and RELIABILITY.md. */
export function describePolicy(p: PolicyReport): string {
  const pushed = p.retries.filter((r) => r.windowPushed).length;
  const deferred = p.retries.filter((r) => r.deferred).length;
  const maxCeil = p.retries.reduce((m, r) => Math.max(m, r.ceilingMs), 0);
  const delays = p.retries.map((r) => r.scheduledMs);
  const late = p.retries.map((r) => r.lateMs).filter((x) => Number.isFinite(x));
  const ratio = p.retries.filter((r) => !r.windowPushed).map((r) => r.scheduledMs / r.ceilingMs);
  const meanRatio = ratio.length ? ratio.reduce((a, b) => a + b, 0) / ratio.length : NaN;
  const span = Number.isFinite(p.minSpanOfWindowAttempts) ? `${p.minSpanOfWindowAttempts} ms` : 'n/a';
  return `${p.attempts} attempts, ${p.retries.length} retries (${pushed} pushed out by the 10/min window, ${deferred} deferred when due), ` +
    `max ${p.maxInWindow} attempts in any 60 s, attempt i→i+10 at least ${span} apart, ` +
    `delays ${delays.length ? Math.min(...delays) : 0}–${delays.length ? Math.max(...delays) : 0} ms, ` +
    `largest ceiling ${maxCeil} ms, mean delay/ceiling ${meanRatio.toFixed(2)}, ` +
    `connect() after the announced time by ${late.length ? Math.min(...late) : 0}–${late.length ? Math.max(...late) : 0} ms, violations ${p.violations.length}`;
}
