// The console watchlist: pure text rendering of what QuoteDeck's QuoteStore holds (rows, connection
// status, engine counters). Numbers are formatted by the app's own QuoteFormat, the connection line
// follows the app's banner logic (bannerOf), so the console says what the phone would say.
import {
  BannerKind, bannerOf, ConnectionState, ConnectionStatus, directionOf, EngineStats, formatChange, formatPercent,
  formatPrice, meanLatencyMs, priceDecimals, PriceMove, REJECT_REASON_NAMES, SessionErrorKind, sparklineDirection
} from '@quotedeck/core';
import { QuoteItem } from '@quotedeck/ui';
import { formatRate } from './progress';

export const SPARK_CHARS = '▁▂▃▄▅▆▇█';

/** A unicode sparkline of the last `width` values (oldest first); flat or single values sit in the middle. */
export function sparkline(values: readonly number[], width: number): string {
  const finite = values.filter((v) => Number.isFinite(v)).slice(-Math.max(0, width));
  if (finite.length === 0 || width <= 0) return '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const top = SPARK_CHARS.length - 1;
  return finite
    .map((v) => SPARK_CHARS[max === min ? 3 : Math.round(((v - min) / (max - min)) * top)])
    .join('');
}

const ERROR_TEXT: Record<string, string> = {
  [SessionErrorKind.NONE]: '',
  [SessionErrorKind.BAD_URL]: 'bad broker URL',
  [SessionErrorKind.UNREACHABLE]: 'broker unreachable',
  [SessionErrorKind.REFUSED]: 'connection refused',
  [SessionErrorKind.BAD_CREDENTIALS]: 'bad user name or password',
  [SessionErrorKind.NOT_AUTHORIZED]: 'not authorized',
  [SessionErrorKind.TLS]: 'TLS handshake failed',
  [SessionErrorKind.TIMEOUT]: 'connect timed out',
  [SessionErrorKind.LINK_LOST]: 'link lost',
  [SessionErrorKind.UNKNOWN]: 'unknown error',
  [SessionErrorKind.TAKEOVER]: 'another client keeps taking over our client id',
  [SessionErrorKind.BAD_CONFIG]: 'bad configuration',
};

/** Readable text for a session error kind ("broker unreachable", "bad user name or password"…). */
export function errorText(kind: SessionErrorKind | string): string {
  return ERROR_TEXT[kind] ?? String(kind);
}

/** The connection line: "connected · live", "reconnecting in 4s (attempt 3) · last error: …", "error: …". */
export function statusText(status: ConnectionStatus, newestQuoteAt: number, nowMs: number): string {
  const b = bannerOf(status, newestQuoteAt, nowMs);
  const lastError = b.error !== SessionErrorKind.NONE ? ` · last error: ${errorText(b.error)}` : '';
  switch (b.kind) {
    case BannerKind.LIVE:
      return b.quiet ? `connected · quiet: newest quote ${b.seconds}s ago` : `connected · live`;
    case BannerKind.WAITING:
      return 'connected · waiting for quotes';
    case BannerKind.CONNECTING:
      return `connecting…${b.attempt > 1 ? ` (attempt ${b.attempt})` : ''}${lastError}`;
    case BannerKind.RETRY_WAIT:
      return `reconnecting in ${b.seconds}s (attempt ${b.attempt})${lastError}`;
    case BannerKind.RECONNECTING:
      return `reconnecting… (attempt ${b.attempt})${lastError}`;
    case BannerKind.OFFLINE:
      return 'offline: waiting for the network';
    case BannerKind.ERROR:
      return `error: ${errorText(b.error)}${status.detail ? ` (${status.detail})` : ''}`;
    default:
      return 'stopped';
  }
}

/** "received 1,234 · accepted 1,000 · rejected 2 (NOT_JSON 2) · duplicates 0 · gaps 0 · unwatched 234 · reconnects 0". */
export function statsText(s: EngineStats): string {
  const reasons = REJECT_REASON_NAMES.map((name, i) => [name, s.rejectedByReason[i] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${formatRate(n)}`);
  const parts = [
    `received ${formatRate(s.received)}`,
    `accepted ${formatRate(s.accepted)}`,
    `rejected ${formatRate(s.rejected)}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    `duplicates ${formatRate(s.duplicates)}`,
    `gaps ${formatRate(s.gaps)}`,
    `unwatched ${formatRate(s.droppedUnwatched)}`,
    `reconnects ${formatRate(s.reconnects)}`,
  ];
  const mean = meanLatencyMs(s);
  if (Number.isFinite(mean)) parts.push(`latency ${mean.toFixed(1)} ms avg`);
  return parts.join(' · ');
}

/** The marks column: "stale", "gap 3", "stale gap 3", "waiting" (no quote yet) or "". */
export function marksOf(item: QuoteItem): string {
  if (item.ticks === 0 && Number.isNaN(item.price)) return 'waiting';
  const marks: string[] = [];
  if (item.stale) marks.push('stale');
  if (item.hasGap || item.gaps > 0) marks.push(`gap ${item.gaps}`);
  return marks.join(' ');
}

export interface FrameInput {
  /** First line (what is watched where). */
  title: string;
  /** Lines under the title (e.g. the demo's publisher line). */
  extra?: readonly string[];
  items: readonly QuoteItem[];
  status: ConnectionStatus;
  stats: EngineStats;
  newestQuoteAt: number;
  nowMs: number;
  /** Messages per second handed to the engine, recently. */
  rate: number;
}

export interface FrameOptions {
  /** ANSI colours (terminals only). */
  color?: boolean;
  /** Terminal width: lines are cut to it, the sparkline is dropped below 72 columns. */
  width?: number;
  sparkWidth?: number;
  /** Footer hint (e.g. "Ctrl-C to stop"). */
  hint?: string;
  /** Terminal height: rows that do not fit are summarised in one line (an in-place redraw cannot scroll). */
  height?: number;
}

const ESC = '\u001b[';
const paint = (on: boolean, code: string, text: string): string => (on && text ? `${ESC}${code}m${text}${ESC}0m` : text);

/** Visible length (ANSI sequences do not count). */
export function visibleLength(s: string): number {
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').length;
}

/** Cuts a line to `width` visible characters, keeping ANSI sequences intact. */
export function cut(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = '';
  let seen = 0;
  for (let i = 0; i < line.length && seen < width - 1; ) {
    const m = /^\u001b\[[0-9;?]*[A-Za-z]/.exec(line.slice(i));
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    out += line[i];
    seen++;
    i++;
  }
  return `${out}…${line.includes(ESC) ? `${ESC}0m` : ''}`;
}

/** The watchlist as lines: title, status, header, one row per symbol, counters. */
export function renderFrame(f: FrameInput, opts: FrameOptions = {}): string[] {
  const color = opts.color === true;
  const width = opts.width ?? 120;
  const withSpark = width >= 72;
  const sparkWidth = opts.sparkWidth ?? 20;
  const banner = bannerOf(f.status, f.newestQuoteAt, f.nowMs);
  const toneCode = banner.kind === BannerKind.LIVE && !banner.quiet ? '32' : banner.kind === BannerKind.ERROR ? '31' : '33';
  const lines: string[] = [paint(color, '1', f.title), ...(f.extra ?? [])];
  const rate = f.status.state === ConnectionState.CONNECTED || f.rate > 0 ? ` · ${formatRate(f.rate)} msg/s` : '';
  lines.push(`${paint(color, toneCode, '●')} ${statusText(f.status, f.newestQuoteAt, f.nowMs)}${rate}`);

  const rows = f.items.map((item) => {
    return {
      item,
      dir: directionOf(item.change),
      cells: [
        item.symbol,
        formatPrice(item.price),
        // the change with the decimals of its price, as the app's watchlist row prints it
        formatChange(item.change, priceDecimals(item.price)),
        formatPercent(item.changePct),
        withSpark ? sparkline(item.spark, sparkWidth) : '',
        item.ticks > 0 ? formatRate(item.ticks) : '',
        marksOf(item),
      ],
    };
  });
  const head = ['SYMBOL', 'LAST', 'CHG', 'CHG%', withSpark ? 'TREND' : '', 'TICKS', ''];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const align = (cells: string[]): string[] =>
    cells.map((c, i) => (i === 0 || i === 4 || i === 6 ? c.padEnd(w[i]) : c.padStart(w[i])));
  const join = (cells: string[]): string => cells.filter((_c, i) => withSpark || i !== 4).join('  ').trimEnd();
  lines.push(paint(color, '2', join(align(head))));
  const footer = 1 + (opts.hint ? 1 : 0);
  let shown = rows;
  let hidden = 0;
  if (opts.height !== undefined && lines.length + rows.length + footer > opts.height - 1) {
    const room = Math.max(1, opts.height - 1 - lines.length - footer - 1);
    shown = rows.slice(0, room);
    hidden = rows.length - shown.length;
  }
  for (const r of shown) {
    const cells = align(r.cells);
    if (color) {
      const code = r.dir === PriceMove.UP ? '32' : r.dir === PriceMove.DOWN ? '31' : '';
      if (code) {
        cells[2] = paint(true, code, cells[2]);
        cells[3] = paint(true, code, cells[3]);
      }
      const sparkDir = sparklineDirection(r.item.spark);
      const sparkCode = sparkDir === PriceMove.UP ? '32' : sparkDir === PriceMove.DOWN ? '31' : '';
      if (sparkCode) cells[4] = paint(true, sparkCode, cells[4]);
      if (cells[6].trim()) cells[6] = paint(true, r.item.stale ? '2' : '33', cells[6]);
      if (r.item.stale && r.item.ticks > 0) cells[0] = paint(true, '2', cells[0]);
    }
    lines.push(join(cells));
  }
  if (hidden > 0) lines.push(paint(color, '2', `… ${hidden} more symbol${hidden === 1 ? '' : 's'} (a taller terminal shows them)`));
  lines.push(paint(color, '2', statsText(f.stats)));
  if (opts.hint) lines.push(paint(color, '2', opts.hint));
  return lines.map((l) => cut(l, width));
}
