// Child processes started by tests, faults and benches (brokers, publishers, subscribers, the CLI):
// each is stopped by its own pid, and whatever is still running when this process exits is killed,
// so a failing test never leaves a broker behind.
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function alive(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Registers `child` for the last-chance kill on exit; returns it. */
export function track<C extends ChildProcess>(child: C): C {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of running) {
        if (!alive(c)) continue;
        try {
          process.kill(c.pid as number, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Stops `child` with `signal` and resolves once it has exited; SIGKILL after `graceMs` if it is
 * still there. Resolves at once for a child that already exited.
 */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (!alive(child)) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid as number, signal);
  const timer = setTimeout(() => {
    if (alive(child)) process.kill(child.pid as number, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}
