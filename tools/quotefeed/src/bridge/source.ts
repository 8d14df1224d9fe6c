// The one small interface every market-data source implements. An adapter knows its source's
// protocol (URL, subscribe messages, message fields, symbol names); everything else — mapping to
// the payload, throttling, publishing, reconnecting, stats — is shared (bridge.ts, sourceLink.ts).

export type SourceName = 'coinbase' | 'binance' | 'kraken' | 'finnhub';
export const SOURCE_NAMES: readonly SourceName[] = ['coinbase', 'binance', 'kraken', 'finnhub'];

/**
 * What the source's "day" figures mean. `session`: a trading day that closes (stocks), so
 * prevClose is the previous session's close. `rolling24h`: the last 24 hours (crypto), so open and
 * prevClose carry the price 24 h ago and volume/high/low cover the last 24 h.
 */
export type ChangeBasis = 'session' | 'rolling24h';

/** Quote fields as a source reports them; absent fields are left out (the bridge keeps the last known). */
export interface QuoteFields {
  price?: number;
  bid?: number;
  ask?: number;
  /** Cumulative volume of the day, or of the last 24 h for `rolling24h` sources. */
  volume?: number;
  open?: number;
  high?: number;
  low?: number;
  prevClose?: number;
  /** Exchange event time, epoch ms. */
  timestamp?: number;
  /** The source's own sequence or trade id, rising per symbol. */
  seq?: number;
}

/** What one source message means to the bridge. */
export type SourceEvent =
  | { kind: 'quote'; symbol: string; fields: QuoteFields }
  /** The source confirmed these subscriptions (source symbols). */
  | { kind: 'subscribed'; symbols: string[] }
  /** The source refused a symbol; `reason` is its own answer. */
  | { kind: 'rejected'; symbol: string; reason: string }
  /** A sign of life with no data (heartbeat, pong, status). */
  | { kind: 'alive' }
  /** The source will disconnect soon (maintenance): reconnect now. */
  | { kind: 'reconnect'; reason: string }
  /** An error not tied to one symbol; `fatal` ends the bridge (retrying cannot help). */
  | { kind: 'error'; reason: string; fatal?: boolean }
  /** A message that breaks the documented format: counted, never published. */
  | { kind: 'malformed'; reason: string };

/** One connection's protocol state (e.g. which subscribe requests are still unanswered). */
export interface SourceSession {
  /** Messages to send once the connection is open, in order. */
  subscribeMessages(): string[];
  /** Interprets one text frame; never throws (bad input is a `malformed` event). */
  parse(text: string, nowMs: number): SourceEvent[];
  /** An application-level keepalive to send every `keepaliveMs`, where the protocol has one. */
  keepaliveMessage?(): string;
}

/** Facts a source's REST API gives once per symbol before streaming (Finnhub: previous close). */
export interface SymbolCheck {
  /** The source says it does not know the symbol: the reason, in its own words where it has some. */
  rejected?: string;
  /** Fields to start from (previous close, today's open/high/low). */
  fields?: QuoteFields;
}

export interface RestContext {
  baseUrl: string;
  /** The user's key (from the environment), for sources that need one. */
  key?: string;
  signal?: AbortSignal;
}

export interface SourceAdapter {
  readonly name: SourceName;
  /** The source's public WebSocket endpoint. */
  readonly defaultUrl: string;
  /** Base URL of the REST API used by `check`, if the adapter has one. */
  readonly defaultRestUrl?: string;
  readonly changeBasis: ChangeBasis;
  /** Environment variable holding the user's key, for sources that need one. */
  readonly keyEnv?: string;
  /** Whether the source answers a subscribe (Finnhub does not: a sent subscribe counts as done). */
  readonly acknowledges: boolean;
  /** Least time between two messages we send (the source's inbound message limit). */
  readonly sendIntervalMs: number;
  /** No message for this long while subscribed means the link is dead: reconnect. */
  readonly silenceMs: number;
  readonly keepaliveMs?: number;
  /** The source's symbol for an app symbol (BTC-USD → BTCUSDT), or throws MappingError. */
  toSource(appSymbol: string): string;
  /** The currency prices are quoted in, for the payload's `currency`. */
  currencyOf(appSymbol: string): string;
  /** The URL to open for these source symbols (with the key where the source wants it there). */
  connectUrl(baseUrl: string, symbols: readonly string[], key?: string): string;
  newSession(symbols: readonly string[]): SourceSession;
  /** Asks the source's REST API about each symbol (unknown symbols, reference prices). */
  check?(symbols: readonly string[], ctx: RestContext): Promise<Map<string, SymbolCheck>>;
}

/** An app symbol that has no form on this source (e.g. a stock symbol on a crypto exchange). */
export class MappingError extends Error {}
