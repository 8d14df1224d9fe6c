// The wire contract (docs/payload.md): topic `<prefix>/<SYMBOL>/quotes`, payload a JSON object
// {symbol, price, timestamp, seq, bid, ask, volume, open, high, low, prevClose, name, currency}.
// Quotes are the app's own Quote, written by the app's encodeQuote; acceptance is decided by the
// app's own QuoteCodec, so quotefeed never sends what the app would reject; this file adds readable
// reasons for the CLI's error messages.
import {
  DEFAULT_TOPIC_PREFIX, isValidSymbol, MAX_CURRENCY_LENGTH, MAX_NAME_LENGTH, MAX_PAYLOAD_BYTES, MAX_PRICE,
  MIN_TIMESTAMP_MS, normaliseTopicPrefix, Quote, QuoteCodec, quoteTopic as commonQuoteTopic, RejectReason,
  rejectReasonName
} from '@quotedeck/core';

/** A quote is the app's own (core's Quote: absent numbers NaN, absent seq -1, absent strings ''). */
export { Quote };

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
