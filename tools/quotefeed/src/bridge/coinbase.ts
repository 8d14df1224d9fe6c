// Coinbase Exchange market data feed (docs.cdp.coinbase.com/exchange/websocket-feed/overview and
// …/channels): `ticker` channel (a message per match, with best bid/ask and 24 h stats) plus the
// `heartbeat` channel (one message per product per second, so a quiet product never looks dead).
// Product ids are the app's own form (BTC-USD). A subscribe naming an unknown product is refused as
// a whole ({"type":"error","message":"Failed to subscribe","reason":"… is not a valid product"}),
// so each product gets its own subscribe message: a bad one fails alone and the others stream.
import { defined, isObject, isoTime, Json, nonNegative, parseObject, positive, sequence, str } from './fields';
import { MappingError, SourceAdapter, SourceEvent, SourceSession } from './source';

const PRODUCT = /^[A-Z0-9]{1,10}-[A-Z0-9]{1,10}$/;

class CoinbaseSession implements SourceSession {
  /** Products whose subscribe is unanswered, oldest first (answers come in order). */
  private readonly pending: string[];

  constructor(private readonly products: readonly string[]) {
    this.pending = [...products];
  }

  subscribeMessages(): string[] {
    return this.products.map((p) => JSON.stringify({ type: 'subscribe', product_ids: [p], channels: ['ticker', 'heartbeat'] }));
  }

  parse(text: string): SourceEvent[] {
    const m = parseObject(text);
    if (!m) return [{ kind: 'malformed', reason: 'not a JSON object' }];
    switch (m.type) {
      case 'ticker': return [this.ticker(m)];
      case 'heartbeat': return [{ kind: 'alive' }];
      case 'subscriptions': return this.subscriptions(m.channels);
      case 'error': return this.error(m);
      default:
        // "New message types can be added at any time. Clients are expected to ignore messages they do not support."
        return typeof m.type === 'string' ? [{ kind: 'alive' }] : [{ kind: 'malformed', reason: 'message without a type' }];
    }
  }

  private ticker(m: { [key: string]: Json }): SourceEvent {
    const symbol = str(m.product_id);
    const price = positive(m.price);
    const timestamp = isoTime(m.time);
    if (symbol === undefined || price === undefined || timestamp === undefined) {
      return { kind: 'malformed', reason: 'ticker without product_id, price or time' };
    }
    const open = positive(m.open_24h);
    return {
      kind: 'quote',
      symbol,
      fields: defined({
        price, timestamp, seq: sequence(m.sequence), bid: positive(m.best_bid), ask: positive(m.best_ask),
        volume: nonNegative(m.volume_24h), open, high: positive(m.high_24h), low: positive(m.low_24h),
        // Rolling 24 h: the change is measured from the price 24 h ago, as Coinbase shows it.
        prevClose: open,
      }),
    };
  }

  private subscriptions(channels: Json | undefined): SourceEvent[] {
    if (!Array.isArray(channels)) return [{ kind: 'malformed', reason: 'subscriptions without channels' }];
    const confirmed: string[] = [];
    for (const c of channels) {
      if (!isObject(c) || c.name !== 'ticker' || !Array.isArray(c.product_ids)) continue;
      for (const p of c.product_ids) if (typeof p === 'string' && this.take(p)) confirmed.push(p);
    }
    return confirmed.length ? [{ kind: 'subscribed', symbols: confirmed }] : [{ kind: 'alive' }];
  }

  private error(m: { [key: string]: Json }): SourceEvent[] {
    const reason = [str(m.message), str(m.reason)].filter(Boolean).join(': ') || 'error without a message';
    // The answer to our oldest unanswered subscribe, unless its text names another of ours.
    const named = this.pending.find((p) => reason.includes(p)) ?? (m.message === 'Failed to subscribe' ? this.pending[0] : undefined);
    if (named !== undefined && this.take(named)) return [{ kind: 'rejected', symbol: named, reason }];
    return [{ kind: 'error', reason }];
  }

  private take(product: string): boolean {
    const i = this.pending.indexOf(product);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    return true;
  }
}

export const coinbase: SourceAdapter = {
  name: 'coinbase',
  defaultUrl: 'wss://ws-feed.exchange.coinbase.com',
  changeBasis: 'rolling24h',
  // Documented: 100 messages per second per IP from the client; we stay far below.
  acknowledges: true,
  sendIntervalMs: 50,
  // Heartbeats arrive every second for every subscribed product.
  silenceMs: 15_000,
  toSource(appSymbol) {
    if (!PRODUCT.test(appSymbol)) throw new MappingError(`${appSymbol} is not a Coinbase product id (BASE-QUOTE, e.g. BTC-USD)`);
    return appSymbol;
  },
  currencyOf(appSymbol) {
    return appSymbol.split('-')[1] ?? '';
  },
  connectUrl(baseUrl) {
    return baseUrl;
  },
  newSession(symbols) {
    return new CoinbaseSession(symbols);
  },
};
