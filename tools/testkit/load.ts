// Keeps the machine's cores busy while a timing-sensitive scenario runs, so that its guarantees are
// proven on a busy machine (a phone is one) and not only on an idle one: one child process per core
// spinning in a loop. Each child ends by itself after `maxMs`, even if this process dies without
// stopping it; stop() ends them by their pids, and track() kills any still running at exit.
import fs from 'node:fs';
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { stop, track } from './processes';

export interface CpuLoad {
  /** The busy processes' pids. */
  readonly pids: number[];
  /** CPU time (ms) the busy processes have used so far, read from /proc (NaN elsewhere). */
  cpuMs(): number;
  /** Ends every busy process by its pid and resolves when they are gone. */
  stop(): Promise<void>;
}

export interface CpuLoadOptions {
  /** Busy processes; default one per core. */
  processes?: number;
  /** Each process ends by itself after this long, whatever happens here. Default 10 minutes. */
  maxMs?: number;
}

export interface LoadReport {
  processes: number;
  /** Wall time the load ran, and the CPU time the busy processes got (ms). */
  wallMs: number;
  busyCpuMs: number;
  /** The machine's 1-minute load average at the end. */
  loadAverage: number;
}

/** utime + stime of `pid` in ms; the last value read once the process is gone. */
function cpuReader(pid: number): () => number {
  let last = 0;
  const tick = 100; // USER_HZ on Linux
  return () => {
    try {
      // The fields after the command name (which may hold spaces): state first, utime the 12th.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      last = ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    } catch {
      if (process.platform !== 'linux') return NaN;
    }
    return last;
  };
}

/** Starts the busy processes and resolves once every one is running. */
export async function startCpuLoad(options: CpuLoadOptions = {}): Promise<CpuLoad> {
  const n = options.processes ?? os.availableParallelism();
  const maxMs = Math.round(options.maxMs ?? 600_000);
  const loop = `const end = Date.now() + ${maxMs}; let x = 1; while (Date.now() < end) { x = (x * 48271) % 2147483647; }`;
  const children: ChildProcess[] = [];
  for (let i = 0; i < n; i++) children.push(track(spawn(process.execPath, ['-e', loop], { stdio: 'ignore' })));
  await Promise.all(children.map((c) => new Promise<void>((resolve, reject) => {
    c.once('spawn', () => resolve());
    c.once('error', reject);
  })));
  const readers = children.map((c) => cpuReader(c.pid as number));
  return {
    pids: children.map((c) => c.pid as number),
    cpuMs: () => readers.reduce((sum, read) => sum + read(), 0),
    stop: async () => {
      await Promise.all(children.map((c) => stop(c, 'SIGKILL')));
    },
  };
}

/**
 * Runs `use` while every core is kept busy by other processes; the busy processes are stopped
 * whatever happens. Returns what `use` returned and how busy the machine was.
 */
export async function withCpuLoad<T>(use: () => Promise<T>, options: CpuLoadOptions = {}): Promise<{ result: T; load: LoadReport }> {
  const load = await startCpuLoad(options);
  const started = Date.now();
  try {
    const result = await use();
    const report: LoadReport = {
      processes: load.pids.length, wallMs: Date.now() - started, busyCpuMs: load.cpuMs(), loadAverage: os.loadavg()[0],
    };
    return { result, load: report };
  } finally {
    await load.stop();
  }
}

/** One line for a test's diagnostics. */
export function describeLoad(l: LoadReport): string {
  return `${l.processes} busy processes (one per core) got ${(l.busyCpuMs / 1000).toFixed(1)} CPU-s in ` +
    `${(l.wallMs / 1000).toFixed(1)} s (${((l.busyCpuMs / l.wallMs) * 100).toFixed(0)} % of one core); load average ${l.loadAverage.toFixed(1)}`;
}
