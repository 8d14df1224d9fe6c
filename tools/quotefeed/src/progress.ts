// Status lines for long runs, on stderr: rewritten in place on a terminal (every second), plain
// lines every few seconds otherwise (logs, CI). Never shows credentials: callers pass counts only.
import type { PaceStats } from './pacer';

export interface ProgressOptions {
  label: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  enabled?: boolean;
  /** Target rate to show next to the achieved one. */
  targetRate?: number;
  /** Non-TTY: print every Nth update (default 5, i.e. every 5 s). */
  plainEvery?: number;
}

export function formatRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function statusLine(label: string, s: PaceStats, targetRate?: number): string {
  const parts = [
    `${label}: ${formatRate(s.sent)} sent in ${(s.elapsedMs / 1000).toFixed(0)} s`,
    `${formatRate(s.currentRate)} msg/s${targetRate ? ` (target ${formatRate(targetRate)})` : ''}`,
    `avg ${formatRate(s.averageRate)}`,
  ];
  if (s.lagMs >= 100) parts.push(`behind by ${(s.lagMs / 1000).toFixed(1)} s`);
  return parts.join(', ');
}

export class Progress {
  private readonly opts: ProgressOptions;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private updates = 0;
  private inPlace = false;

  constructor(opts: ProgressOptions) {
    this.opts = opts;
    this.stream = opts.stream ?? process.stderr;
  }

  update(s: PaceStats): void {
    if (this.opts.enabled === false) return;
    this.updates++;
    const line = statusLine(this.opts.label, s, this.opts.targetRate);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\u001b[K`);
      this.inPlace = true;
    } else if (this.updates % (this.opts.plainEvery ?? 5) === 0) {
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends an in-place line so the next output starts on a fresh line. */
  done(): void {
    if (this.inPlace) this.stream.write('\n');
    this.inPlace = false;
  }
}
