// Reading source message fields strictly: exchanges send prices as decimal strings ("1285.22") or
// numbers; anything else (null, "", "abc", NaN, negative) is not a value. Used by every adapter so
// one malformed field never becomes a published number.
import { parseIsoTimestamp } from '@quotedeck/core';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The parsed object, or undefined when the text is not a JSON object. */
export function parseObject(text: string): JsonObject | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a JSON number or a decimal string; undefined otherwise. */
export function num(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && DECIMAL.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A number > 0 (prices), undefined otherwise. */
export function positive(v: Json | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** A number ≥ 0 (volumes), undefined otherwise. */
export function nonNegative(v: Json | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 0 ? n : undefined;
}

/** A safe non-negative integer (sequence numbers, trade ids), undefined otherwise. */
export function sequence(v: Json | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Epoch ms of an RFC 3339 / ISO-8601 time with a zone (fractions beyond ms are dropped). */
export function isoTime(v: Json | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = parseIsoTimestamp(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch ms given as a JSON integer. */
export function epochMs(v: Json | undefined): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Drops undefined entries so that "absent" stays absent when merged. */
export function defined<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
