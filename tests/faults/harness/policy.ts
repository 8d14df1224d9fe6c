// Checks recorded reconnect timing against the session's documented policy (ReconnectPolicy):
//  - full jitter: the n-th retry after a failure streak of k waits floor(r · min(cap, base·2^k))
//    where r is the policy's random draw (RecordingRandom records every draw), the streak resetting
//    only after a link stayed up ≥ resetAfterUpMs;
//  - at most maxAttemptsPerWindow attempts in any window of windowMs (a retry is pushed out to
//    the first moment that keeps the window) — checked on the connect() calls the factory recorded;
//  - every scheduled retry shows in a status (RECONNECTING/CONNECTING, attempt n, nextAttemptAt in the
//    future) and the connect() really starts at nextAttemptAt.
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
  /** The earliest start the attempt window allowed (0 when it did not matter). */
  windowMinMs: number;
  /** What the status announced: nextAttemptAt − at. */
  scheduledMs: number;
  /** When connect() really started, relative to `at` (NaN when none followed, e.g. stopped). */
  actualMs: number;
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

const SLACK_MS = 3;
const CLOCK_SLACK_MS = 2;
/** Timers fire late under load; they never fire early. */
const LATE_MS = 400;

export function checkReconnectPolicy(e: EngineUnderTest, cfg: PolicyConfig = APP_POLICY): PolicyReport {
  const violations: string[] = [];
  const attempts = e.factory.attempts;
  const starts = attempts.map((a) => a.startedAt);
  const draws = e.random.draws;
  const scheduled = e.channel.statuses.filter((s) => s.status.nextAttemptAt > 0);

  // Attempt window. The factory stamps connect() within the same synchronous run as the policy's
  // recordAttempt(), so a stamp may be 1 ms later than the policy's: windows are taken 2 ms short.
  let maxInWindow = 0;
  for (let i = 0; i < starts.length; i++) {
    const n = starts.filter((t) => t >= starts[i] - cfg.windowMs + CLOCK_SLACK_MS && t <= starts[i]).length;
    maxInWindow = Math.max(maxInWindow, n);
  }
  if (maxInWindow > cfg.maxAttemptsPerWindow) {
    violations.push(`${maxInWindow} attempts within ${cfg.windowMs} ms (limit ${cfg.maxAttemptsPerWindow})`);
  }
  let minSpan = Infinity;
  for (let i = 0; i + cfg.maxAttemptsPerWindow < starts.length; i++) {
    minSpan = Math.min(minSpan, starts[i + cfg.maxAttemptsPerWindow] - starts[i]);
  }

  // Jitter, retry by retry.
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
    const before = starts.filter((t) => t <= d.at);
    let windowMin = 0;
    if (before.length >= cfg.maxAttemptsPerWindow) {
      windowMin = before[before.length - cfg.maxAttemptsPerWindow] + cfg.windowMs + 1 - d.at;
    }
    while (statusIndex < scheduled.length && scheduled[statusIndex].at < d.at - SLACK_MS) statusIndex++;
    const st = scheduled[statusIndex];
    if (st === undefined) {
      violations.push(`retry ${i + 1}: no status announced it`);
      continue;
    }
    statusIndex++;
    const scheduledMs = st.status.nextAttemptAt - d.at;
    const expected = Math.max(jitter, windowMin);
    if (Math.abs(scheduledMs - expected) > SLACK_MS) {
      violations.push(`retry ${i + 1}: scheduled in ${scheduledMs} ms, policy says ${expected} ms (k=${k - 1}, r=${r.toFixed(4)}, ceiling ${ceiling}, window ${windowMin})`);
    }
    if (st.status.state !== ConnectionState.RECONNECTING && st.status.state !== ConnectionState.CONNECTING) {
      violations.push(`retry ${i + 1}: status state ${st.status.state} while waiting`);
    }
    if (!(st.status.nextAttemptAt > st.at - SLACK_MS)) {
      violations.push(`retry ${i + 1}: nextAttemptAt is not in the future`);
    }
    const next = starts.find((t) => t >= d.at);
    const actualMs = next === undefined ? NaN : next - d.at;
    if (next !== undefined && (actualMs < scheduledMs - SLACK_MS || actualMs > scheduledMs + LATE_MS)) {
      // A network-available event could legitimately bring it forward; the scenarios send none.
      violations.push(`retry ${i + 1}: connect() started after ${actualMs} ms, announced ${scheduledMs} ms`);
    }
    retries.push({
      at: d.at, k: k - 1, ceilingMs: ceiling, r, jitterMs: jitter, windowMinMs: windowMin, scheduledMs, actualMs,
      attempt: st.status.attempt, windowPushed: windowMin > jitter,
    });
  }
  return { attempts: attempts.length, retries, maxInWindow, minSpanOfWindowAttempts: minSpan, violations };
}

/** One line for logs and RELIABILITY.md. */
export function describePolicy(p: PolicyReport): string {
  const pushed = p.retries.filter((r) => r.windowPushed).length;
  const maxCeil = p.retries.reduce((m, r) => Math.max(m, r.ceilingMs), 0);
  const delays = p.retries.map((r) => r.scheduledMs);
  const ratio = p.retries.filter((r) => !r.windowPushed).map((r) => r.scheduledMs / r.ceilingMs);
  const meanRatio = ratio.length ? ratio.reduce((a, b) => a + b, 0) / ratio.length : NaN;
  const span = Number.isFinite(p.minSpanOfWindowAttempts) ? `${p.minSpanOfWindowAttempts} ms` : 'n/a';
  return `${p.attempts} attempts, ${p.retries.length} retries (${pushed} pushed out by the 10/min window), ` +
    `max ${p.maxInWindow} attempts in any 60 s, attempt i→i+10 at least ${span} apart, ` +
    `delays ${delays.length ? Math.min(...delays) : 0}–${delays.length ? Math.max(...delays) : 0} ms, ` +
    `largest ceiling ${maxCeil} ms, mean delay/ceiling ${meanRatio.toFixed(2)}, violations ${p.violations.length}`;
}
