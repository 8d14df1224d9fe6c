// Runs a WatchSession with its console view until Ctrl-C, --duration or a connection failure.
// Shared by `watch` and `demo`: same renderer, same timing, same end-of-run handling.
import { ConnectionState } from '@quotedeck/core';
import type { CliError } from './errors';
import { LiveScreen, ScreenStream } from './screen';
import { WatchSession } from './watch';
import { renderFrame, statusText } from './watchlist';

export type LiveEnd = 'signal' | 'duration' | 'failure';

export interface LiveOptions {
  session: WatchSession;
  signal: AbortSignal;
  /** Where the watchlist goes; undefined: nowhere (e.g. --json with stderr not a terminal). */
  out?: ScreenStream;
  /** Redraw in place (default: `out` is a terminal). */
  tty?: boolean;
  color?: boolean;
  /** How often a frame is drawn (default 250 ms on a terminal, 5 s otherwise). */
  refreshMs?: number;
  durationMs?: number;
  title: string;
  /** Extra lines under the title, recomputed for every frame. */
  extra?: () => string[];
  /** Connection changes after the first connect, as plain lines (logs, --json's stderr). */
  log?: (line: string) => void;
  hint?: string;
}

export interface LiveResult {
  end: LiveEnd;
  failure?: CliError;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export async function runLive(o: LiveOptions): Promise<LiveResult> {
  const { session } = o;
  const screen = o.out ? new LiveScreen(o.out, { tty: o.tty }) : undefined;
  const tty = screen?.tty === true;
  const refreshMs = o.refreshMs ?? (tty ? 250 : 5000);
  const color = tty && o.color !== false;
  const frame = (hint?: string, status = session.store.status): string[] =>
    renderFrame(
      {
        title: o.title,
        extra: o.extra?.(),
        items: session.store.items,
        status,
        stats: session.store.stats,
        newestQuoteAt: session.store.newestQuoteAt,
        nowMs: Date.now(),
        rate: session.rate(),
      },
      { color, width: screen?.width, height: screen?.height, hint },
    );

  let links = 0;
  session.onStatus = (status, previous) => {
    if (!o.log || status.state === previous.state) return;
    if (status.state === ConnectionState.CONNECTED) {
      const n = session.config.symbols.length;
      o.log(links++ === 0
        ? `${clock(Date.now())} connected to ${session.address.display} as ${session.clientId}, watching ${n} symbol${n === 1 ? '' : 's'} on ${session.topic}`
        : `${clock(Date.now())} reconnected to ${session.address.display}`);
    } else if (session.everConnected && status.state !== ConnectionState.STOPPED) {
      o.log(`${clock(Date.now())} ${statusText(status, session.store.newestQuoteAt, Date.now())}`);
    }
  };

  const startedAt = Date.now();
  session.start();
  session.sample();
  let lastDraw = 0;
  const tick = setInterval(() => {
    const now = Date.now();
    session.sample(now);
    if (!screen || now - lastDraw < refreshMs - 5) return;
    // Off a terminal, frames start once connected: a failed start prints only its error line.
    if (!tty && !session.everConnected && session.config.retry !== true) return;
    if (!tty && lastDraw === 0) {
      // The first plain frame comes one period after the start, when there is something to show.
      lastDraw = now;
      return;
    }
    lastDraw = now;
    screen.draw(frame(tty ? o.hint : undefined));
  }, Math.min(250, refreshMs));
  if (tty) screen?.draw(frame(o.hint));

  let durationTimer: NodeJS.Timeout | undefined;
  const end = await new Promise<LiveEnd>((resolve) => {
    if (o.signal.aborted) resolve('signal');
    o.signal.addEventListener('abort', () => resolve('signal'), { once: true });
    if (o.durationMs !== undefined) durationTimer = setTimeout(() => resolve('duration'), o.durationMs);
    void session.failed().then(() => resolve('failure'));
  });
  clearInterval(tick);
  clearTimeout(durationTimer);
  session.onStatus = undefined;
  if (end === 'failure') {
    // The status line would repeat the error: the command prints it once, as its one line.
    screen?.erase();
    screen?.end();
    await session.stop(3000);
    return { end, failure: session.failure };
  }
  const lastStatus = session.store.status;
  await session.stop();
  session.sample();
  if (screen) {
    // The last frame shows the final quotes and counters with the connection as it was before stopping.
    const secs = ((Date.now() - startedAt) / 1000).toFixed(1);
    screen.draw(frame(`stopped after ${secs} s (${end === 'signal' ? 'interrupted' : '--duration reached'})`, lastStatus));
    screen.end();
  }
  return { end };
}
