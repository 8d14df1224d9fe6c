// The shared part of every bridge: app symbols ↔ source symbols, merging a source's partial updates
// into a full quote, building the payload with the app's own encoder and checking it with the app's
// own codec (nothing the app would reject is published), the per-symbol throttle, and the counters
// behind the status line and --json.
import {
  encodeQuote, NO_SEQ, Quote, QuoteCodec, QuoteCodecOptions, quoteTopic, rejectReasonName, SystemTimers, Timers
} from '@quotedeck/core';
import { SourceLink, SourceLinkOptions } from './sourceLink';
import { MappingError, QuoteFields, SourceAdapter, SourceEvent, SymbolCheck } from './source';
import { Throttle } from './throttle';

/** Where published payloads go (BrokerLink, or a test double). */
export interface QuoteSink {
  publish(topic: string, payload: string): void;
}

/** `source`: the exchange's own sequence / trade id; `bridge`: a gap-free counter per symbol. */
export type SeqMode = 'bridge' | 'source';

export type SymbolStateName = 'subscribing' | 'streaming' | 'rejected';

export interface SymbolState {
  symbol: string;
  sourceSymbol: string;
  state: SymbolStateName;
  /** The source's (or the mapping's) reason when rejected. */
  error: string;
  fields: QuoteFields;
  /** Updates received from the source. */
  updates: number;
  published: number;
  lastSeq: number;
  lastPublishedTs: number;
  lastPublishedSeq: number;
}

export interface BridgeOptions {
  adapter: SourceAdapter;
  symbols: readonly string[];
  sink: QuoteSink;
  prefix: string;
  maxRate: number;
  sourceUrl?: string;
  restUrl?: string;
  key?: string;
  seq?: SeqMode;
  silenceMs?: number;
  reconnect?: SourceLinkOptions['reconnect'];
  timers?: Timers;
  now?: () => number;
  /** A line worth telling the user (subscribed, rejected, reconnecting…). Never holds the key. */
  onNotice?(line: string): void;
  onFatal?(reason: string): void;
}

export interface BridgeStats {
  /** Text frames from the source. */
  messages: number;
  updates: number;
  published: number;
  malformed: number;
  /** Updates the app's codec would refuse (never published), by reason. */
  invalid: number;
  invalidByReason: Record<string, number>;
  /** Updates older than one already seen for the symbol (skipped). */
  outOfOrder: number;
  /** Updates replaced by a newer one within the throttle interval. */
  superseded: number;
  /** Quotes for symbols we did not subscribe. */
  unexpected: number;
  errors: number;
  lastError: string;
}

export const CHANGE_BASIS_FIELD = 'changeBasis';

export class Bridge {
  readonly adapter: SourceAdapter;
  readonly symbols = new Map<string, SymbolState>();
  readonly link: SourceLink | undefined;
  readonly stats: BridgeStats = {
    messages: 0, updates: 0, published: 0, malformed: 0, invalid: 0, invalidByReason: {}, outOfOrder: 0, superseded: 0,
    unexpected: 0, errors: 0, lastError: '',
  };
  private readonly opts: BridgeOptions;
  private readonly bySource = new Map<string, SymbolState>();
  private readonly throttle: Throttle<Quote>;
  private readonly codec: QuoteCodec;
  private readonly now: () => number;
  private readonly seqBase: number;
  private readonly utf8 = new TextEncoder();
  private readonly checkAbort = new AbortController();

  constructor(opts: BridgeOptions) {
    this.opts = opts;
    this.adapter = opts.adapter;
    this.now = opts.now ?? Date.now;
    // A bridge restarted later continues above its earlier numbers (like `publish --seq-start`).
    this.seqBase = this.now();
    const codecOptions = new QuoteCodecOptions();
    codecOptions.topicPrefix = opts.prefix;
    this.codec = new QuoteCodec(codecOptions);
    this.throttle = new Throttle<Quote>(opts.maxRate, (_s, q) => this.send(q), opts.timers ?? new SystemTimers(), this.now);
    for (const symbol of opts.symbols) {
      let sourceSymbol = '';
      let error = '';
      try {
        sourceSymbol = opts.adapter.toSource(symbol);
      } catch (e) {
        if (!(e instanceof MappingError)) throw e;
        error = e.message;
      }
      const st: SymbolState = {
        symbol, sourceSymbol, state: error ? 'rejected' : 'subscribing', error, fields: {}, updates: 0, published: 0,
        lastSeq: -1, lastPublishedTs: -Infinity, lastPublishedSeq: -1,
      };
      this.symbols.set(symbol, st);
      if (!error) this.bySource.set(sourceSymbol, st);
    }
    const sourceSymbols = [...this.bySource.keys()];
    if (sourceSymbols.length === 0) return;
    this.link = new SourceLink({
      adapter: opts.adapter,
      url: opts.adapter.connectUrl(opts.sourceUrl ?? opts.adapter.defaultUrl, sourceSymbols, opts.key),
      symbols: sourceSymbols,
      silenceMs: opts.silenceMs,
      reconnect: opts.reconnect,
      timers: opts.timers,
      onEvent: (e) => this.onEvent(e),
      onStatus: (s) => {
        if (s.state === 'waiting') this.notice(`source link down (${s.lastError}); reconnecting in ${(s.retryInMs / 1000).toFixed(1)} s`);
      },
      onFatal: (reason) => opts.onFatal?.(this.redact(reason)),
    });
  }

  /** Symbols that can be streamed (mapped and not refused). */
  get live(): SymbolState[] {
    return [...this.symbols.values()].filter((s) => s.state !== 'rejected');
  }

  start(): void {
    for (const st of this.symbols.values()) if (st.state === 'rejected') this.notice(`cannot bridge ${st.error}`);
    this.link?.start();
    if (this.adapter.check && this.bySource.size) void this.runCheck();
  }

  /** Stops the source; waits (at most one throttle interval) until every latest value went out. */
  async stop(): Promise<void> {
    this.checkAbort.abort();
    await this.link?.stop();
    const until = this.now() + this.throttle.intervalMs + 100;
    while (this.throttle.waiting > 0 && this.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.throttle.close();
    this.stats.superseded = this.throttle.superseded;
  }

  private async runCheck(): Promise<void> {
    const symbols = [...this.bySource.keys()];
    let results: Map<string, SymbolCheck>;
    try {
      results = await this.adapter.check!(symbols, {
        baseUrl: this.opts.restUrl ?? this.adapter.defaultRestUrl ?? '', key: this.opts.key, signal: this.checkAbort.signal,
      });
    } catch (e) {
      if (this.checkAbort.signal.aborted) return;
      this.error(`could not ask the ${this.adapter.name} REST API about the symbols: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    for (const [sourceSymbol, r] of results) {
      const st = this.bySource.get(sourceSymbol);
      if (!st || st.state === 'rejected') continue;
      if (r.rejected) this.reject(st, r.rejected);
      else if (r.fields) this.apply(st, r.fields, true);
    }
  }

  private onEvent(e: SourceEvent): void {
    switch (e.kind) {
      case 'quote': {
        this.stats.updates++;
        const st = this.bySource.get(e.symbol);
        if (!st) this.stats.unexpected++;
        else if (st.state !== 'rejected') this.apply(st, e.fields, false);
        break;
      }
      case 'subscribed':
        for (const s of e.symbols) {
          const st = this.bySource.get(s);
          if (st && st.state === 'subscribing') {
            st.state = 'streaming';
            this.notice(`${st.symbol}: subscribed (${s} on ${this.adapter.name})`);
          }
        }
        break;
      case 'rejected': {
        const st = this.bySource.get(e.symbol);
        if (st) this.reject(st, e.reason);
        else this.error(e.reason);
        break;
      }
      case 'malformed':
        this.stats.malformed++;
        break;
      case 'error':
        this.error(e.reason);
        break;
      case 'reconnect':
        this.notice(`${e.reason}: reconnecting`);
        break;
      case 'alive':
        break;
    }
    if (this.link) this.stats.messages = this.link.messages;
  }

  private reject(st: SymbolState, reason: string): void {
    st.state = 'rejected';
    st.error = this.redact(reason);
    this.link?.drop(st.sourceSymbol);
    this.notice(`${st.symbol}: refused by ${this.adapter.name}: ${st.error}`);
    if (this.live.length === 0) this.opts.onFatal?.(`no symbol left to stream (${[...this.symbols.values()].map((s) => `${s.symbol}: ${s.error}`).join('; ')})`);
  }

  /** Merges an update into the symbol's quote; `reference` values (REST) never override streamed ones. */
  private apply(st: SymbolState, f: QuoteFields, reference: boolean): void {
    const cur = st.fields;
    if (!reference) {
      if (f.seq !== undefined && st.lastSeq >= 0 && f.seq < st.lastSeq) {
        this.stats.outOfOrder++;
        return;
      }
      if (f.seq === undefined && f.timestamp !== undefined && cur.timestamp !== undefined && f.timestamp < cur.timestamp) {
        this.stats.outOfOrder++;
        return;
      }
      st.updates++;
      if (f.seq !== undefined) st.lastSeq = f.seq;
      Object.assign(cur, f);
      if (f.seq === undefined) delete cur.seq;
    } else {
      for (const [k, v] of Object.entries(f) as [keyof QuoteFields, number][]) {
        const streamedPrice = (k === 'price' || k === 'timestamp') && cur.price !== undefined;
        if (!streamedPrice && (cur[k] === undefined || k === 'prevClose')) cur[k] = v;
      }
    }
    // Sources that send only trades (Finnhub) widen the day's range themselves.
    if (cur.price !== undefined) {
      if (cur.high !== undefined && cur.price > cur.high) cur.high = cur.price;
      if (cur.low !== undefined && cur.price < cur.low) cur.low = cur.price;
    }
    if (cur.price === undefined || cur.timestamp === undefined) return;
    const q = new Quote(st.symbol, cur.price, cur.timestamp);
    q.seq = cur.seq ?? NO_SEQ;
    q.bid = cur.bid ?? NaN;
    q.ask = cur.ask ?? NaN;
    q.volume = cur.volume ?? NaN;
    q.open = cur.open ?? NaN;
    q.high = cur.high ?? NaN;
    q.low = cur.low ?? NaN;
    q.prevClose = cur.prevClose ?? NaN;
    q.currency = this.adapter.currencyOf(st.symbol);
    this.throttle.offer(st.symbol, q);
  }

  /** Encodes with the app's encoder, checks with the app's codec, publishes. */
  private send(q: Quote): void {
    const st = this.symbols.get(q.symbol)!;
    // Without a new seq the app orders by timestamp: an equal or older one would be a duplicate.
    if (this.opts.seq === 'source') {
      if (q.seq !== NO_SEQ && q.seq <= st.lastPublishedSeq) q.seq = NO_SEQ;
    } else {
      q.seq = this.seqBase + st.published;
    }
    if (q.seq === NO_SEQ && q.timestamp <= st.lastPublishedTs) return;
    let payload = encodeQuote(q);
    if (this.adapter.changeBasis === 'rolling24h') payload = `${payload.slice(0, -1)},"${CHANGE_BASIS_FIELD}":"rolling24h"}`;
    const topic = quoteTopic(this.opts.prefix, q.symbol);
    const bytes = this.utf8.encode(payload);
    const r = this.codec.decode(topic, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, this.now());
    if (!r.ok) {
      const reason = `${rejectReasonName(r.reason)}${r.field ? ` (${r.field})` : ''}`;
      this.stats.invalid++;
      this.stats.invalidByReason[reason] = (this.stats.invalidByReason[reason] ?? 0) + 1;
      return;
    }
    this.opts.sink.publish(topic, payload);
    st.published++;
    st.lastPublishedTs = q.timestamp;
    if (q.seq !== NO_SEQ) st.lastPublishedSeq = q.seq;
    this.stats.published++;
    this.stats.superseded = this.throttle.superseded;
  }

  private error(reason: string): void {
    this.stats.errors++;
    this.stats.lastError = this.redact(reason);
    this.notice(this.stats.lastError);
  }

  private notice(line: string): void {
    this.opts.onNotice?.(this.redact(line));
  }

  /** The key must never reach a message, whatever a library put in an error text. */
  redact(text: string): string {
    const key = this.opts.key;
    return key ? text.split(key).join('***') : text;
  }
}
