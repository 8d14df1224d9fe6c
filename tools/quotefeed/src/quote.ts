// The wire contract (docs/payload.md): topic `<prefix>/<SYMBOL>/quotes`, payload a JSON object
// {symbol, price, timestamp, seq, bid, ask, volume, open, high, low, prevClose, name, currency}.
// Acceptance is decided by the app's own QuoteCodec (common), so quotefeed never sends what the
// app would reject; this file adds readable reasons for the CLI's error messages.
import {
  DEFAULT_TOPIC_PREFIX, isValidSymbol, MAX_CURRENCY_LENGTH, MAX_NAME_LENGTH, MAX_PAYLOAD_BYTES, MAX_PRICE,
  MIN_TIMESTAMP_MS, normaliseTopicPrefix, QuoteCodec, quoteTopic as commonQuoteTopic, RejectReason,
  rejectReasonName
} from '@quotedeck/core';

export interface Quote {
  symbol: string;
  price: number;
  /** Epoch ms, or an ISO-8601 string. */
  timestamp: number | string;
  seq: number;
  bid?: number;
  ask?: number;
  /** Cumulative day volume. */
  volume?: number;
  open?: number;
  high?: number;
  low?: number;
  prevClose?: number;
  name?: string;
  currency?: string;
}

export const DEFAULT_PREFIX: string = DEFAULT_TOPIC_PREFIX;

export function isSymbol(s: string): boolean {
  return isValidSymbol(s);
}

/** `<prefix>/<SYMBOL>/quotes` (the prefix is normalised as the app does). */
export function quoteTopic(prefix: string, symbol: string): string {
  return commonQuoteTopic(prefix, symbol);
}

/** The symbol level of any `…/<SYMBOL>/quotes` topic, or undefined for other topics. */
export function symbolFromTopic(topic: string): string | undefined {
  const levels = topic.split('/');
  if (levels.length < 2 || levels[levels.length - 1] !== 'quotes') return undefined;
  return levels[levels.length - 2];
}

/** The prefix as the app normalises it (surrounding '/' trimmed), or null when it cannot be one. */
export function normalisePrefix(prefix: string): string | null {
  try {
    return normaliseTopicPrefix(prefix);
  } catch {
    return null;
  }
}

/** Epoch ms of a contract timestamp, NaN if it is neither a number nor a parsable ISO string. */
export function timestampMs(ts: unknown): number {
  if (typeof ts === 'number') return Number.isFinite(ts) && ts >= 0 ? ts : NaN;
  if (typeof ts === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(ts)) return Date.parse(ts);
  return NaN;
}

let codec: QuoteCodec | undefined;
const MAX_PRICE_TEXT = MAX_PRICE.toExponential().replace('+', '');
const utf8 = new TextEncoder();

function describe(reason: RejectReason, field: string, q: Record<string, unknown>): string {
  const got = (f: string): string => `(got ${JSON.stringify(q[f]) ?? 'nothing'})`;
  switch (reason) {
    case RejectReason.MISSING_FIELD: return `${field} is missing`;
    case RejectReason.BAD_SYMBOL: return `symbol must be 1-12 of A-Z 0-9 . - ^ ${got('symbol')}`;
    case RejectReason.TOO_LARGE: return `payload is larger than ${MAX_PAYLOAD_BYTES} bytes`;
    case RejectReason.BAD_TIMESTAMP:
      return `timestamp must be epoch ms (from ${new Date(MIN_TIMESTAMP_MS).toISOString().slice(0, 10)}) or an ISO-8601 string ${got('timestamp')}`;
    case RejectReason.BAD_SEQ: return `seq must be an integer >= 0 ${got('seq')}`;
    case RejectReason.BAD_VOLUME: return `volume must be a number >= 0 ${got('volume')}`;
    case RejectReason.BAD_BID_ASK:
      if (typeof q.bid === 'number' && typeof q.ask === 'number' && q.bid > 0 && q.ask > 0 && q.bid > q.ask) return `bid ${q.bid} is above ask ${q.ask}`;
      return `${field} must be a number > 0 and <= ${MAX_PRICE_TEXT} ${got(field)}`;
    case RejectReason.BAD_PRICE: return `price must be a number > 0 and <= ${MAX_PRICE_TEXT} ${got('price')}`;
    case RejectReason.BAD_FIELD:
      if (field === 'name' || field === 'currency') {
        return `${field} must be a string of at most ${field === 'name' ? MAX_NAME_LENGTH : MAX_CURRENCY_LENGTH} characters ${got(field)}`;
      }
      return `${field} must be a number > 0 and <= ${MAX_PRICE_TEXT} ${got(field)}`;
    default: return `rejected by the quote codec: ${rejectReasonName(reason)}${field ? ` (${field})` : ''}`;
  }
}

/**
 * Why `value` breaks the payload contract, or null when the app's QuoteCodec accepts it.
 * `topicSymbol` is the symbol level of the topic it will be published on, if known.
 * Future timestamps are not judged (that depends on the receiver's clock).
 */
export function quoteProblem(value: unknown, topicSymbol?: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'payload is not a JSON object';
  const q = value as Record<string, unknown>;
  if (typeof q.symbol === 'string' && isValidSymbol(q.symbol) && topicSymbol !== undefined && topicSymbol !== q.symbol) {
    return `symbol ${q.symbol} does not match the topic's ${topicSymbol}`;
  }
  codec ??= new QuoteCodec();
  const topic = commonQuoteTopic(DEFAULT_TOPIC_PREFIX, typeof q.symbol === 'string' && isValidSymbol(q.symbol) ? q.symbol : 'X');
  const bytes = utf8.encode(JSON.stringify(q));
  const r = codec.decode(topic, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, Number.POSITIVE_INFINITY);
  return r.ok ? null : describe(r.reason, r.field, q);
}

const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');
const stringCache = new Map<string, string>();
const str = (x: string): string => {
  let j = stringCache.get(x);
  if (j === undefined) {
    j = JSON.stringify(x);
    if (stringCache.size < 10_000) stringCache.set(x, j);
  }
  return j;
};

export interface EncodeOptions {
  /** Write numeric timestamps as ISO-8601 strings (default: epoch ms as given). */
  isoTime?: boolean;
}

/**
 * JSON text in the field order of common's encodeQuote (absent fields are left out). Built by
 * hand for complete quotes (the simulator's): about 5x cheaper than JSON.stringify.
 */
export function encodeQuote(q: Quote, opts?: EncodeOptions): string {
  const ts = typeof q.timestamp === 'number' && opts?.isoTime ? new Date(q.timestamp).toISOString() : q.timestamp;
  if (
    q.bid !== undefined && q.ask !== undefined && q.volume !== undefined && q.open !== undefined && q.high !== undefined &&
    q.low !== undefined && q.prevClose !== undefined && q.name !== undefined && q.currency !== undefined
  ) {
    return `{"symbol":${str(q.symbol)},"price":${num(q.price)},"timestamp":${typeof ts === 'number' ? num(ts) : JSON.stringify(ts)},` +
      `"seq":${num(q.seq)},"bid":${num(q.bid)},"ask":${num(q.ask)},"volume":${num(q.volume)},"open":${num(q.open)},` +
      `"high":${num(q.high)},"low":${num(q.low)},"prevClose":${num(q.prevClose)},"name":${str(q.name)},"currency":${str(q.currency)}}`;
  }
  return JSON.stringify({
    symbol: q.symbol, price: q.price, timestamp: ts, seq: q.seq, bid: q.bid, ask: q.ask, volume: q.volume,
    open: q.open, high: q.high, low: q.low, prevClose: q.prevClose, name: q.name, currency: q.currency,
  });
}
