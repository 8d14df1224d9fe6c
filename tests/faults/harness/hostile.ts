// R6: hostile payloads, each made bad BY CONSTRUCTION with the reject reason the payload schema
// (docs/payload.md) gives for it, so that a test can check the engine's counters reason by reason:
// truncated JSON, huge numbers, deep nesting, 1 MB strings, wrong types, symbol/topic mismatches,
// bad topics, binary junk and invalid UTF-8, prototype-pollution keys, non-objects, and byte-level
// mutations of valid payloads that can only make them invalid (a 0xFF byte, a NUL, a doubled comma,
// a cut). Plus "good" payloads that carry pollution keys and must be applied like any other.
import { RejectReason } from '@quotedeck/core';

export interface HostileMessage {
  topic: string;
  payload: Uint8Array;
  /** RejectReason.NONE for a good quote. */
  expected: RejectReason;
  kind: string;
  /** For good ones: the tick. */
  seq?: number;
  price?: number;
  symbol?: string;
}

/** Deterministic generator (mulberry32), so a failure can be reproduced from the seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const enc = new TextEncoder();
const utf8 = (s: string): Uint8Array => enc.encode(s);
const ONE_MB = 'x'.repeat(1024 * 1024);

type Fields = Record<string, unknown>;

export class HostileFeed {
  readonly symbols: string[];
  readonly prefix: string;
  private readonly rng: Rng;
  private readonly seqs = new Map<string, number>();
  /** Last good tick per symbol. */
  readonly last = new Map<string, { seq: number; price: number; timestamp: number }>();
  /** Good ticks per symbol. */
  readonly good = new Map<string, number>();
  /** Bad messages per expected reason. */
  readonly badByReason = new Map<RejectReason, number>();
  readonly badByKind = new Map<string, number>();
  badCount = 0;
  goodCount = 0;
  private readonly baseTime: number;
  private readonly allowBadTopics: boolean;
  private readonly bigStrings: boolean;
  private readonly maxBig: number;
  bigSent = 0;

  /**
   * `allowBadTopics` false leaves out messages whose topic a broker would not deliver to a
   * `<prefix>/+/quotes` subscriber; `bigStrings` false leaves out the 1 MB payloads.
   */
  constructor(symbols: string[], seed: number, o: { prefix?: string; allowBadTopics?: boolean; bigStrings?: boolean; maxBig?: number } = {}) {
    this.symbols = symbols;
    this.prefix = o.prefix ?? 'finance';
    this.rng = new Rng(seed);
    this.allowBadTopics = o.allowBadTopics ?? true;
    this.bigStrings = o.bigStrings ?? true;
    this.maxBig = o.maxBig ?? Infinity;
    // Timestamps well inside the window the codec accepts (after 2000, not in the future).
    this.baseTime = Date.now() - 3_600_000;
    for (const s of symbols) {
      this.seqs.set(s, 0);
      this.good.set(s, 0);
    }
  }

  private topicOf(symbol: string): string {
    return `${this.prefix}/${symbol}/quotes`;
  }

  private validFields(symbol: string, seq: number): Fields {
    const i = this.symbols.indexOf(symbol);
    return {
      symbol,
      price: Math.round((10 + i + (seq % 500) / 7) * 100) / 100,
      timestamp: this.baseTime + seq,
      seq,
      bid: 1,
      ask: 2000,
      volume: seq,
      prevClose: 10,
      name: `Name ${symbol}`,
      currency: 'USD',
    };
  }

  /** A good tick: the next seq of a random symbol (sometimes with inert pollution keys). */
  nextGood(): HostileMessage {
    const symbol = this.rng.pick(this.symbols);
    const seq = (this.seqs.get(symbol) ?? 0) + 1;
    this.seqs.set(symbol, seq);
    const f = this.validFields(symbol, seq);
    let text = JSON.stringify(f);
    let kind = 'good';
    if (this.rng.int(5) === 0) {
      // Pollution keys in an otherwise valid quote: inert, the quote is applied as usual.
      text = `{"__proto__":{"polluted":"yes","price":1},"constructor":{"prototype":{"polluted":"yes"}},${text.slice(1)}`;
      kind = 'good+pollution-keys';
    }
    this.last.set(symbol, { seq, price: f.price as number, timestamp: f.timestamp as number });
    this.good.set(symbol, (this.good.get(symbol) ?? 0) + 1);
    this.goodCount++;
    return { topic: this.topicOf(symbol), payload: utf8(text), expected: RejectReason.NONE, kind, seq, price: f.price as number, symbol };
  }

  /** A bad message of a random kind. Bad ones never advance a symbol's seq. */
  nextBad(): HostileMessage {
    const kinds = this.kinds();
    const [kind, make] = this.rng.pick(kinds);
    const m = make();
    m.kind = kind;
    this.badCount++;
    this.badByReason.set(m.expected, (this.badByReason.get(m.expected) ?? 0) + 1);
    this.badByKind.set(kind, (this.badByKind.get(kind) ?? 0) + 1);
    return m;
  }

  private kinds(): Array<[string, () => HostileMessage]> {
    const r = this.rng;
    const sym = (): string => r.pick(this.symbols);
    // A tempting seq: far ahead of anything real, so a wrongly accepted message would show.
    const bait = (s: string): Fields => this.validFields(s, 1_000_000 + r.int(1000));
    const msg = (topic: string, payload: Uint8Array | string, expected: RejectReason): HostileMessage => ({
      topic, payload: typeof payload === 'string' ? utf8(payload) : payload, expected, kind: '',
    });
    const withField = (name: string, raw: string, expected: RejectReason): (() => HostileMessage) => () => {
      const s = sym();
      const f = bait(s);
      delete f[name];
      const text = JSON.stringify(f);
      return msg(this.topicOf(s), `${text.slice(0, -1)},"${name}":${raw}}`, expected);
    };
    const without = (name: string): (() => HostileMessage) => () => {
      const s = sym();
      const f = bait(s);
      delete f[name];
      return msg(this.topicOf(s), JSON.stringify(f), RejectReason.MISSING_FIELD);
    };
    const validText = (s: string): string => JSON.stringify(bait(s));
    const list: Array<[string, () => HostileMessage]> = [
      // truncated JSON: any proper prefix of an ASCII JSON object text is not JSON
      ['truncated', () => {
        const s = sym();
        const t = validText(s);
        return msg(this.topicOf(s), t.slice(0, r.int(t.length)), RejectReason.NOT_JSON);
      }],
      // huge numbers
      ['huge-price', withField('price', r.pick(['1e400', '1e10', '123456789012345678901234567890', '-1e400']), RejectReason.BAD_PRICE)],
      ['huge-seq', withField('seq', r.pick(['1e300', '9007199254740993', '1e400']), RejectReason.BAD_SEQ)],
      ['huge-volume', withField('volume', '1e400', RejectReason.BAD_VOLUME)],
      ['huge-timestamp', withField('timestamp', r.pick(['1e20', '1e400', '99999999999999999']), RejectReason.FUTURE_TIMESTAMP)],
      ['huge-bid', withField('bid', '1e400', RejectReason.BAD_BID_ASK)],
      ['huge-open', withField('open', '1e400', RejectReason.BAD_FIELD)],
      // deep nesting (inside 4 KB, and far beyond it)
      ['deep-price', () => {
        const s = sym();
        const d = 200 + r.int(1500);
        return msg(this.topicOf(s), `{"symbol":"${s}","price":${'['.repeat(d)}1${']'.repeat(d)},"timestamp":${this.baseTime}}`, RejectReason.BAD_PRICE);
      }],
      ['deep-array', () => {
        const d = 500 + r.int(1500);
        return msg(this.topicOf(sym()), `${'['.repeat(d)}${']'.repeat(d)}`, RejectReason.NOT_OBJECT);
      }],
      ['deep-name', () => {
        const s = sym();
        const d = 100 + r.int(300);
        const f = bait(s);
        delete f.name;
        const text = JSON.stringify(f);
        return msg(this.topicOf(s), `${text.slice(0, -1)},"name":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`, RejectReason.BAD_FIELD);
      }],
      ['deep-huge', () => {
        const d = 50_000 + r.int(50_000);
        return msg(this.topicOf(sym()), `${'['.repeat(d)}${']'.repeat(d)}`, RejectReason.TOO_LARGE);
      }],
      // oversized
      ['over-4k', () => {
        const s = sym();
        const f = bait(s);
        f.name = 'y'.repeat(4100);
        return msg(this.topicOf(s), JSON.stringify(f), RejectReason.TOO_LARGE);
      }],
      // wrong types
      ['price-string', withField('price', '"12.5"', RejectReason.BAD_PRICE)],
      ['price-bool', withField('price', 'true', RejectReason.BAD_PRICE)],
      ['price-object', withField('price', '{"value":1}', RejectReason.BAD_PRICE)],
      ['price-zero', withField('price', r.pick(['0', '-0', '-5']), RejectReason.BAD_PRICE)],
      ['symbol-number', () => {
        const s = sym();
        const f = bait(s);
        f.symbol = 123;
        return msg(this.topicOf(s), JSON.stringify(f), RejectReason.BAD_SYMBOL);
      }],
      ['timestamp-bool', withField('timestamp', 'true', RejectReason.BAD_TIMESTAMP)],
      ['timestamp-text', withField('timestamp', r.pick(['"yesterday"', '"2024-05-01T12:00:00"', '"2024-02-30T00:00:00Z"', '1714564800']), RejectReason.BAD_TIMESTAMP)],
      ['seq-string', withField('seq', r.pick(['"1"', '-1', '1.5', 'true']), RejectReason.BAD_SEQ)],
      ['bid-string', withField('bid', '"1"', RejectReason.BAD_BID_ASK)],
      ['crossed-book', withField('bid', '5000', RejectReason.BAD_BID_ASK)],
      ['volume-bad', withField('volume', r.pick(['-5', '"1"', 'false']), RejectReason.BAD_VOLUME)],
      ['high-bool', withField('high', 'false', RejectReason.BAD_FIELD)],
      ['name-number', withField('name', '42', RejectReason.BAD_FIELD)],
      ['name-long', withField('name', JSON.stringify('n'.repeat(65)), RejectReason.BAD_FIELD)],
      ['currency-long', withField('currency', '"TOOLONGCUR"', RejectReason.BAD_FIELD)],
      ['no-price', without('price')],
      ['no-timestamp', without('timestamp')],
      ['no-symbol', without('symbol')],
      ['null-price', withField('price', 'null', RejectReason.MISSING_FIELD)],
      // symbol / topic
      ['symbol-mismatch', () => {
        const a = sym();
        let b = sym();
        if (b === a) b = this.symbols[(this.symbols.indexOf(a) + 1) % this.symbols.length];
        return msg(this.topicOf(a), validText(b), RejectReason.SYMBOL_MISMATCH);
      }],
      ['symbol-lowercase', () => {
        const s = sym().toLowerCase();
        const f = bait(sym());
        f.symbol = s;
        return msg(this.topicOf(s), JSON.stringify(f), RejectReason.BAD_SYMBOL);
      }],
      // prototype pollution replacing required fields: they must not be read through the prototype
      ['proto-price', () => {
        const s = sym();
        return msg(this.topicOf(s), `{"__proto__":{"price":5,"polluted":"yes"},"symbol":"${s}","timestamp":${this.baseTime + 1},"seq":${1_000_000 + r.int(99)}}`, RejectReason.MISSING_FIELD);
      }],
      ['proto-symbol', () => {
        const s = sym();
        return msg(this.topicOf(s), `{"__proto__":{"symbol":"${s}"},"price":5,"timestamp":${this.baseTime + 1}}`, RejectReason.MISSING_FIELD);
      }],
      ['constructor-prototype', () => {
        const s = sym();
        return msg(this.topicOf(s), `{"constructor":{"prototype":{"price":5,"polluted":"yes"}},"symbol":"${s}","timestamp":${this.baseTime + 1}}`, RejectReason.MISSING_FIELD);
      }],
      // not an object / not JSON
      ['non-object', () => msg(this.topicOf(sym()), r.pick(['[]', '"quote"', '42', 'null', 'true', '[{"symbol":"X"}]']), RejectReason.NOT_OBJECT)],
      ['not-json', () => msg(this.topicOf(sym()), r.pick(['', 'NaN', 'Infinity', "{'symbol':'X'}", '{"a":1,}', 'undefined', '{"a":01}']), RejectReason.NOT_JSON)],
      // binary junk and invalid UTF-8
      ['binary-junk', () => {
        const n = 1 + r.int(600);
        const b = new Uint8Array(n);
        for (let i = 0; i < n; i++) b[i] = r.int(256);
        b[r.int(n)] = 0xff; // never valid in UTF-8
        return msg(this.topicOf(sym()), b, RejectReason.NOT_UTF8);
      }],
      ['invalid-utf8-in-string', () => {
        const s = sym();
        const bad = r.pick([[0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]);
        const head = utf8(`{"symbol":"${s}","price":1,"timestamp":${this.baseTime},"name":"`);
        const tail = utf8('"}');
        const b = new Uint8Array(head.length + bad.length + tail.length);
        b.set(head, 0);
        b.set(bad, head.length);
        b.set(tail, head.length + bad.length);
        return msg(this.topicOf(s), b, RejectReason.NOT_UTF8);
      }],
      // byte mutations of a valid payload that can only break it
      ['mutate-ff', () => {
        const s = sym();
        const b = utf8(validText(s));
        b[r.int(b.length)] = 0xff;
        return msg(this.topicOf(s), b, RejectReason.NOT_UTF8);
      }],
      ['mutate-nul', () => {
        const s = sym();
        const b = utf8(validText(s));
        b[r.int(b.length)] = 0x00;
        return msg(this.topicOf(s), b, RejectReason.NOT_JSON);
      }],
      ['mutate-comma', () => {
        const s = sym();
        const t = validText(s);
        const commas: number[] = [];
        for (let i = 0; i < t.length; i++) if (t[i] === ',') commas.push(i);
        const at = r.pick(commas);
        return msg(this.topicOf(s), `${t.slice(0, at)},${t.slice(at)}`, RejectReason.NOT_JSON);
      }],
      ['mutate-unclosed', () => {
        const s = sym();
        return msg(this.topicOf(s), validText(s).slice(0, -1), RejectReason.NOT_JSON);
      }],
    ];
    if (this.bigStrings && this.bigSent < this.maxBig) {
      list.push(['1mb-string', () => {
        this.bigSent++;
        const s = sym();
        return msg(this.topicOf(s), `{"symbol":"${s}","price":1,"timestamp":${this.baseTime},"name":"${ONE_MB}"}`, RejectReason.TOO_LARGE);
      }]);
    }
    if (this.allowBadTopics) {
      list.push(['bad-topic', () => {
        const s = sym();
        const topic = r.pick([`${this.prefix}/${s}/trades`, `${this.prefix}/${s}/x/quotes`, `other/${s}/quotes`, `${this.prefix}//quotes`, `${this.prefix}/quotes`]);
        return msg(topic, validText(s), RejectReason.BAD_TOPIC);
      }]);
    }
    return list;
  }
}

/** Own property names of the built-in prototypes, to compare before and after. */
export function prototypeFingerprint(): string {
  const protos: Array<[string, object]> = [['Object', Object.prototype], ['Array', Array.prototype], ['Function', Function.prototype], ['String', String.prototype]];
  return protos.map(([n, p]) => `${n}:${Object.getOwnPropertyNames(p).sort().join(',')}`).join(';');
}

export function prototypesPolluted(): string[] {
  const out: string[] = [];
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'price', 'symbol']) if (probe[k] !== undefined) out.push(`({}).${k} = ${String(probe[k])}`);
  if (([] as unknown as Record<string, unknown>).polluted !== undefined) out.push('[].polluted');
  return out;
}
