// Differential check of QuoteCodec's fast scanner: every payload is decoded twice, once normally and
// once with the scanner switched off (fastScan false: the general TextDecoder + JSON.parse path), and the results
// (ok, reason, field, every Quote field with Object.is) must be identical. Payloads: well-formed quotes
// with random field subsets/order/whitespace/number spellings, hostile values, and random byte
// mutations of those. Prints `RESULT {...}`.
import { DecodeResult, QUOTE_FIELDS, QuoteCodec, QuoteCodecOptions } from '@quotedeck/core';
import { SeededRandom } from '@quotedeck/testing';

const cases = Number(process.argv[2] ?? 50_000);
const numberCases = Number(process.argv[3] ?? 500_000);
const rng = new SeededRandom(20240501);
const r = (): number => rng.next();
const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];

const NOW = 1_714_564_800_000;
const KEYS = QUOTE_FIELDS.map((f) => f.key);
const SYMS = ['AAPL', 'MSFT', 'BRK.B', '0700.HK', '^GSPC', 'aapl', 'TOOLONGSYMBOL1', 'A'];

function numberText(): string {
  const k = r();
  if (k < 0.25) return String(Math.round(r() * 100000) / 100);
  if (k < 0.35) return String(Math.floor(r() * 1e6));
  if (k < 0.45) return String(NOW + Math.floor(r() * 1e6) - 5e5);
  if (k < 0.5) return String(r() * 1000); // 16-17 significant digits: the general path
  if (k < 0.55) return pick(['0', '-0', '0.0', '-0.0', '0.5', '-1', '-12.5', '1e3', '1E-2', '2.5e+1', '01', '1.', '.5', '-', '--1', '1.2.3', '00', '9007199254740993', '123456789012345', '1234567890123456', '0.000000000000001', '999999999999999.9', '1e400']);
  if (k < 0.6) return String(Math.floor(r() * 1e15));
  if (k < 0.7) return (r() * 1e9).toFixed(Math.floor(r() * 8));
  if (k < 0.8) return String(1 + Math.floor(r() * 1e8) / Math.pow(10, Math.floor(r() * 9)));
  if (k < 0.9) return (r() < 0.5 ? '-' : '') + String(Math.floor(r() * 1e5)) + '.' + String(Math.floor(r() * 1e9)).padStart(Math.floor(r() * 12), '0');
  return String(Math.round(r() * 1e6) / 1e3);
}

function stringText(): string {
  return pick(['"AAPL"', '"Apple Inc."', '"USD"', '""', '"A\\u0041PL"', '"caf\u00e9"', '"tab\\there"', '"\\"q\\""', '"x".repeat', '"ÄÖÜ"', '"日本"', '"' + 'n'.repeat(70) + '"', '"EUR"']);
}

let clean = false;

function valueFor(key: string, symbol: string): string {
  const k = r();
  if (k < 0.05) return 'null';
  if (k < 0.08 && !clean) return pick(['true', 'false', '[]', '{}', '[1,2]', '{"a":1}', '"12.5"', 'nul', 'nulll', 'NaN', 'Infinity']);
  if (key === 'symbol') return r() < 0.85 || clean ? `"${symbol}"` : `"${pick(SYMS)}"`;
  if (key === 'name' || key === 'currency') return clean ? pick(['"Apple Inc."', '"USD"', '""', '"EUR"', '"Simulated Co. 007"']) : stringText();
  if (clean && key !== 'timestamp' && key !== 'seq') return String(Math.round(r() * 1e6) / 100);
  if (key === 'timestamp') {
    if (r() < 0.4) return `"${isoText()}"`; // ISO text: the scanner parses it from the bytes
    return r() < 0.85 || clean ? String(NOW - Math.floor(r() * 1e5)) : pick(['"2024-05-01T12:00:00.000Z"', '"2024-05-01T12:00:00Z"', '946684799999', String(NOW + 301000), '1714564800000.5', '"bad"']);
  }
  if (key === 'seq') return r() < 0.8 ? String(Math.floor(r() * 1e7)) : pick(['-1', '1.5', '9007199254740991', '9007199254740992', '0']);
  return numberText();
}

/** ISO-8601 text around NOW: valid with every fraction length and zone form, or slightly broken. */
function isoText(): string {
  let text = new Date(NOW - Math.floor(r() * 4e8) + 2e8).toISOString();
  const k = r();
  if (k < 0.2) text = text.slice(0, 19) + 'Z';
  else if (k < 0.4) text = text.slice(0, 19) + '.' + String(Math.floor(r() * 1e9)).padStart(1 + Math.floor(r() * 9), '0').slice(0, 1 + Math.floor(r() * 10)) + 'Z';
  if (r() < 0.3) text = text.slice(0, -1) + pick(['+', '-']) + String(Math.floor(r() * 25)).padStart(2, '0') + ':' + pick(['00', '30', '45', '60']);
  if (r() < 0.15) {
    const at = Math.floor(r() * text.length);
    const c = pick(['0', '9', '-', ':', 'T', '.', 'Z', '+', ' ', 'x']);
    text = r() < 0.5 ? text.slice(0, at) + c + text.slice(at + 1) : r() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at);
  }
  return text;
}

/** A value for a key outside the schema: mostly scalars (the scanner skips them), some it leaves to JSON.parse. */
function unknownValue(): string {
  if (r() < 0.3) return numberText();
  return pick(['true', 'false', 'null', '"NASDAQ"', '""', '"x y"', '"REGULAR"', '1e3', '-2.5E-7', '1e400', '0', '-0',
    '123456789012345678901234567890', '"caf\u00e9"', '"a\\"b"', '"\\u0041"', '[]', '{}', '[1,"a",null]', '{"a":{"b":[true]}}',
    'tru', 'nulll', 'falsee', '01', '1.', '-', '"open', '.5', '+1', 'True']);
}

function ws(): string {
  const k = r();
  if (k < 0.8) return '';
  return pick([' ', '  ', '\n', '\t', '\r\n', ' \t ']);
}

function payloadText(symbol: string): string {
  const keys = KEYS.filter((k) => (k === 'symbol' || k === 'price' || k === 'timestamp') ? r() < 0.97 : r() < 0.5);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  if (r() < 0.05 && !clean) keys.push(pick(KEYS)); // duplicate key
  if (r() < 0.05 && !clean) keys.splice(Math.floor(r() * (keys.length + 1)), 0, pick(['x', 'pad', '__proto__', 'constructor', 'Symbol', 'sym\\u0062ol']));
  // Keys outside the schema, in clean payloads too (the scanner skips scalar values of those).
  const extra = r() < (clean ? 0.25 : 0.1) ? 1 + Math.floor(r() * 3) : 0;
  const UNKNOWN = ['exchange', 'change', 'marketState', 'zz', 'Price', 'timestamps'];
  for (let e = 0; e < extra; e++) keys.splice(Math.floor(r() * (keys.length + 1)), 0, pick(UNKNOWN));
  const value = (k: string): string => !UNKNOWN.includes(k) ? valueFor(k, symbol) : clean ? pick(['1', '"NASDAQ"', 'true', 'false', 'null', '-1.5e-3', numberText()]) : unknownValue();
  const parts = keys.map((k) => `${ws()}"${k}"${ws()}:${ws()}${value(k)}${ws()}`);
  let text = `${ws()}{${parts.join(',')}}${ws()}`;
  if (r() < 0.03 && !clean) text = pick(['[]', 'null', '"x"', '5', '{', '', ' ', '{}', '{"symbol":"AAPL",}', '{,}', 'true']);
  if (r() < 0.02 && !clean) text = '\ufeff' + text;
  return text;
}

const enc = new TextEncoder();
function mutate(bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = Math.floor(r() * out.length);
    const k = r();
    if (k < 0.4) out[at] = Math.floor(r() * 256);
    else if (k < 0.7) out.splice(at, 1);
    else out.splice(at, 0, pick([0x20, 0x22, 0x2C, 0x3A, 0x7B, 0x7D, 0x30, 0x39, 0x2E, 0x2D, 0x65, 0x5C, 0xC3, 0xFF, 0x00]));
  }
  return Uint8Array.from(out);
}

function same(a: DecodeResult, b: DecodeResult): string | undefined {
  if (a.ok !== b.ok || a.reason !== b.reason || a.field !== b.field) return `ok/reason/field ${a.ok}/${a.reason}/${a.field} vs ${b.ok}/${b.reason}/${b.field}`;
  if (!a.ok) return undefined;
  const qa = a.quote as unknown as Record<string, unknown>;
  const qb = b.quote as unknown as Record<string, unknown>;
  for (const k of Object.keys(qb)) if (!Object.is(qa[k], qb[k])) return `${k}: ${String(qa[k])} vs ${String(qb[k])}`;
  return undefined;
}

const fast = new QuoteCodec();
const generalOptions = new QuoteCodecOptions();
generalOptions.fastScan = false;
const general = new QuoteCodec(generalOptions);
let failures = 0;
let accepted = 0;
let fastTaken = 0;
const examples: string[] = [];
// A third codec whose scanner (a private field) reports whether it took the payload.
interface ScannerInternals {
  scan(b: Uint8Array, s: string, raw: unknown[]): boolean;
  scanNumber(b: Uint8Array, i: number): number;
  scannedNumber: number;
}
const probe = new QuoteCodec();
const scanner = (probe as unknown as { scanner: ScannerInternals }).scanner;
let scanned = false;
const origScan = scanner.scan;
scanner.scan = function (this: ScannerInternals, b: Uint8Array, s: string, raw: unknown[]): boolean {
  scanned = origScan.call(this, b, s, raw);
  return scanned;
};
for (let i = 0; i < cases; i++) {
  clean = i % 2 === 0; // half well-formed quotes (mostly accepted), half hostile
  const symbol = pick(['AAPL', 'MSFT', 'BRK.B', '0700.HK']);
  const topic = r() < 0.97 ? `finance/${symbol}/quotes` : pick(['finance/a/b/quotes', 'other/AAPL/quotes', 'finance/AAPL/quote']);
  let bytes = enc.encode(payloadText(symbol));
  if (!clean && r() < 0.3) bytes = mutate(bytes);
  const copy = (): ArrayBuffer => bytes.slice().buffer;
  const now = NOW + (r() < 0.1 ? -1e6 : 0);
  const a = fast.decode(topic, copy(), now);
  const snapshotA = { ok: a.ok, reason: a.reason, field: a.field, quote: a.quote } as DecodeResult;
  const b = general.decode(topic, copy(), now);
  const diff = same(snapshotA, b);
  probe.decode(topic, copy(), now);
  if (scanned) fastTaken++;
  if (b.ok) accepted++;
  if (diff !== undefined) {
    failures++;
    if (examples.length < 5) examples.push(`${JSON.stringify(new TextDecoder().decode(bytes))}: ${diff}`);
  }
}

// Numbers alone: the scanner's m / 10^k against JSON.parse, over every digit/fraction split it takes.
const scanNumber = scanner.scanNumber.bind(scanner);
let numberFailures = 0;
let numbersScanned = 0;
for (let i = 0; i < numberCases; i++) {
  const digits = 1 + Math.floor(r() * 15);
  let m = String(1 + Math.floor(r() * 9));
  for (let d = 1; d < digits; d++) m += String(Math.floor(r() * 10));
  const fraction = Math.floor(r() * (digits + 1));
  let text = fraction === 0 ? m : fraction === digits ? `0.${m}` : `${m.slice(0, digits - fraction)}.${m.slice(digits - fraction)}`;
  if (r() < 0.3) text = '-' + text;
  const bytes = enc.encode(text);
  const end = scanNumber(bytes, 0);
  if (end !== bytes.length) {
    numberFailures++;
    if (examples.length < 10) examples.push(`number ${text} not scanned`);
    continue;
  }
  numbersScanned++;
  const got = scanner.scannedNumber;
  if (!Object.is(got, JSON.parse(text))) {
    numberFailures++;
    if (examples.length < 10) examples.push(`number ${text}: ${got} vs ${JSON.parse(text)}`);
  }
}
process.stdout.write(`RESULT ${JSON.stringify({ mode: 'codec-check', cases, accepted, fastTaken, failures, numberCases, numbersScanned, numberFailures, examples })}\n`);
