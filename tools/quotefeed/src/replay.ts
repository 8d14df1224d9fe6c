// Replaying recorded quotes. Two formats:
// - NDJSON: one JSON object per line, the payload's fields plus an optional `topic` (as `record`
//   writes them; `{topic, payload: {...}}` is accepted too). Without a topic, the symbol's
//   `<prefix>/<SYMBOL>/quotes` is used.
// - CSV: a header naming the columns (symbol, price, timestamp, and any other payload field or
//   `topic`), or no header and the positional columns symbol,price,timestamp[,volume,bid,ask,seq,
//   open,high,low,prevClose,name,currency].
// The whole file is validated (by the app's QuoteCodec rules) before anything is sent; the first bad
// line is an InputError (exit 4) naming the line. Payloads are sent as read: nothing is added, so a
// quote without seq stays without one. Pacing follows the recorded timestamps divided by the speed
// (0 = as fast as possible); out-of-order timestamps never wait.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors';
import { DEFAULT_PREFIX, quoteProblem, quoteTopic, symbolFromTopic, timestampMs } from './quote';
import { runPaced, PaceResult, PaceStats } from './pacer';
import { Publisher } from './publisher';

export type ReplayFormat = 'ndjson' | 'csv';

export interface ReplayEntry {
  /** 1-based line in the file. */
  line: number;
  topic: string;
  symbol: string;
  /** Epoch ms of the recorded timestamp. */
  timeMs: number;
  /** The payload object (without `topic`), published as JSON. */
  payload: Record<string, unknown>;
}

export interface ParseReplayOptions {
  /** Name used in error messages (default "input"). */
  file?: string;
  format?: ReplayFormat;
  prefix?: string;
}

const POSITIONAL = ['symbol', 'price', 'timestamp', 'volume', 'bid', 'ask', 'seq', 'open', 'high', 'low', 'prevClose', 'name', 'currency'];
const NUMERIC = new Set(['price', 'volume', 'bid', 'ask', 'seq', 'open', 'high', 'low', 'prevClose']);
const COLUMN_ALIASES: Record<string, string> = Object.fromEntries(
  [...POSITIONAL, 'topic'].flatMap((f) => [[f.toLowerCase(), f], [f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f]]),
);

export function detectFormat(file: string, text: string): ReplayFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.trimStart().startsWith('{') ? 'ndjson' : 'csv';
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). Returns null on a broken quote. */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i++];
      }
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const comma = line.indexOf(',', i);
      cell = (comma < 0 ? line.slice(i) : line.slice(i, comma)).trim();
      i = comma < 0 ? line.length : comma;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

function finishEntry(obj: Record<string, unknown>, topicField: unknown, lineNo: number, file: string, prefix: string): ReplayEntry {
  const fail = (msg: string): never => {
    throw new InputError(file, msg, lineNo);
  };
  let topic: string | undefined;
  if (topicField !== undefined) {
    if (typeof topicField !== 'string' || topicField === '' || /[+#\u0000]/.test(topicField)) fail('topic must be a topic name without wildcards');
    topic = topicField as string;
  }
  const problem = quoteProblem(obj, topic !== undefined ? symbolFromTopic(topic) : undefined);
  if (problem) fail(problem);
  const symbol = obj.symbol as string;
  return { line: lineNo, topic: topic ?? quoteTopic(prefix, symbol), symbol, timeMs: timestampMs(obj.timestamp), payload: obj };
}

function parseNdjson(lines: string[], file: string, prefix: string): ReplayEntry[] {
  const out: ReplayEntry[] = [];
  lines.forEach((raw, idx) => {
    const text = raw.trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new InputError(file, `not valid JSON (${(e as Error).message.split('\n')[0]})`, idx + 1);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(file, 'expected a JSON object', idx + 1);
    const { topic, ...rest } = value as Record<string, unknown>;
    let obj = rest;
    if (obj.symbol === undefined && typeof obj.payload === 'object' && obj.payload !== null && !Array.isArray(obj.payload)) {
      obj = { ...(obj.payload as Record<string, unknown>) };
    }
    out.push(finishEntry(obj, topic, idx + 1, file, prefix));
  });
  return out;
}

function parseCsv(lines: string[], file: string, prefix: string): ReplayEntry[] {
  const out: ReplayEntry[] = [];
  let columns: string[] | undefined;
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return;
    const cells = splitCsvLine(text);
    if (!cells) throw new InputError(file, 'unbalanced quotes', lineNo);
    if (!columns) {
      const lower = cells.map((c) => c.trim().toLowerCase());
      if (lower.includes('symbol') && lower.includes('price')) {
        columns = lower.map((c) => {
          const f = COLUMN_ALIASES[c] ?? COLUMN_ALIASES[c.replace(/\s+/g, '_')];
          if (!f) throw new InputError(file, `unknown column "${c}" (expected ${POSITIONAL.join(', ')} or topic)`, lineNo);
          return f;
        });
        if (!columns.includes('timestamp')) throw new InputError(file, 'the header has no timestamp column', lineNo);
        if (new Set(columns).size !== columns.length) throw new InputError(file, 'a column appears twice in the header', lineNo);
        return;
      }
      columns = POSITIONAL;
    }
    if (cells.length > columns.length) throw new InputError(file, `${cells.length} fields, expected at most ${columns.length}`, lineNo);
    if (cells.length < 3) throw new InputError(file, `${cells.length} field(s), expected at least symbol,price,timestamp`, lineNo);
    const obj: Record<string, unknown> = {};
    let topic: unknown;
    cells.forEach((cell, i) => {
      const f = (columns as string[])[i];
      if (cell === '') return;
      if (f === 'topic') topic = cell;
      else if (NUMERIC.has(f)) {
        const n = Number(cell);
        if (!Number.isFinite(n)) throw new InputError(file, `${f} is not a number ("${cell}")`, lineNo);
        obj[f] = n;
      } else if (f === 'timestamp') obj[f] = /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
      else obj[f] = cell;
    });
    out.push(finishEntry(obj, topic, lineNo, file, prefix));
  });
  return out;
}

/** Parses and validates a whole replay text. Throws InputError at the first bad line. */
export function parseReplayText(text: string, opts: ParseReplayOptions = {}): ReplayEntry[] {
  const file = opts.file ?? 'input';
  const format = opts.format ?? detectFormat(file, text);
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const entries = format === 'csv' ? parseCsv(lines, file, prefix) : parseNdjson(lines, file, prefix);
  if (entries.length === 0) throw new InputError(file, 'no quotes in the file');
  return entries;
}

export function readReplayFile(file: string, opts: Omit<ParseReplayOptions, 'file'> = {}): ReplayEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? (e as Error).message})`);
  }
  return parseReplayText(text, { ...opts, file });
}

/** When each entry is due, in ms from the start: recorded spacing ÷ speed, never going backwards. */
export function replaySchedule(entries: readonly ReplayEntry[], speed: number): number[] {
  const t0 = entries[0]?.timeMs ?? 0;
  let prev = 0;
  return entries.map((e) => {
    const due = speed > 0 ? Math.max(prev, (e.timeMs - t0) / speed) : 0;
    prev = due;
    return due;
  });
}

export interface ReplayOptions {
  /** Multiplier on recorded time (default 1); 0 sends as fast as possible. */
  speed?: number;
  /** Stamp each quote with the time it is sent instead of the recorded time. */
  retime?: boolean;
  signal?: AbortSignal;
  onProgress?(stats: PaceStats): void;
  /** Called for every quote sent, with the timestamp it carried (epoch ms). */
  onSent?(entry: ReplayEntry, timestampMs: number): void;
}

export async function replayEntries(pub: Publisher, entries: readonly ReplayEntry[], opts: ReplayOptions = {}): Promise<PaceResult> {
  const due = replaySchedule(entries, opts.speed ?? 1);
  let i = 0;
  return runPaced<ReplayEntry>(
    { nextDue: () => (i < entries.length ? due[i] : undefined), take: () => entries[i++] },
    {
      send: (e) => {
        const now = Date.now();
        const payload = opts.retime ? { ...e.payload, timestamp: now } : e.payload;
        pub.publish(e.topic, JSON.stringify(payload));
        opts.onSent?.(e, opts.retime ? now : e.timeMs);
      },
      waitForCapacity: () => pub.waitForCapacity(),
      check: () => pub.check(),
      signal: opts.signal,
      onProgress: opts.onProgress,
    },
  );
}
