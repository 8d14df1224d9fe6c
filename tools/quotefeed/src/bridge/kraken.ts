// Kraken spot WebSocket v2 (docs.kraken.com/api/docs/websocket-v2/ticker, …/heartbeat, …/ping):
// the `ticker` channel (level 1: best bid/ask and the last trade, with 24 h volume, low, high and
// change; a snapshot, then an update on every trade), subscribed with
// {"method":"subscribe","params":{"channel":"ticker","symbol":[…]}} and acknowledged once per symbol
// ({"success":false,"error":"Currency pair not supported …","symbol":…} for an unknown pair). The
// server sends {"channel":"heartbeat"} about once a second when nothing else flows; clients may
// {"method":"ping"}. Symbols are BASE/QUOTE with BTC (not XBT).
import { defined, isObject, isoTime, JsonObject, nonNegative, num, parseObject, positive, str } from './fields';
import { MappingError, SourceAdapter, SourceEvent, SourceSession } from './source';

const APP_PAIR = /^([A-Z0-9]{1,10})-([A-Z0-9]{1,10})$/;

class KrakenSession implements SourceSession {
  private reqId = 0;

  constructor(private readonly symbols: readonly string[]) {}

  subscribeMessages(): string[] {
    return [JSON.stringify({ method: 'subscribe', params: { channel: 'ticker', symbol: this.symbols }, req_id: ++this.reqId })];
  }

  keepaliveMessage(): string {
    return JSON.stringify({ method: 'ping', req_id: ++this.reqId });
  }

  parse(text: string, nowMs: number): SourceEvent[] {
    const m = parseObject(text);
    if (!m) return [{ kind: 'malformed', reason: 'not a JSON object' }];
    if (m.channel === 'ticker') return this.ticker(m, nowMs);
    if (typeof m.channel === 'string') return [{ kind: 'alive' }]; // heartbeat, status
    if (m.method === 'subscribe') return [this.ack(m)];
    if (m.method === 'pong') return [{ kind: 'alive' }];
    if (typeof m.error === 'string') return [{ kind: 'error', reason: `Kraken: ${m.error}` }];
    if (typeof m.Error === 'string') return [{ kind: 'error', reason: `Kraken: ${m.Error}` }];
    return [typeof m.method === 'string' ? { kind: 'alive' } : { kind: 'malformed', reason: 'neither a channel message nor an answer' }];
  }

  private ack(m: JsonObject): SourceEvent {
    const symbol = isObject(m.result) ? str(m.result.symbol) : str(m.symbol);
    if (m.success === true && symbol !== undefined) return { kind: 'subscribed', symbols: [symbol] };
    const reason = `Kraken: ${str(m.error) ?? 'subscribe failed'}`;
    return symbol !== undefined ? { kind: 'rejected', symbol, reason } : { kind: 'error', reason };
  }

  private ticker(m: JsonObject, nowMs: number): SourceEvent[] {
    if (!Array.isArray(m.data)) return [{ kind: 'malformed', reason: 'ticker without data' }];
    const out: SourceEvent[] = [];
    for (const d of m.data) {
      const symbol = isObject(d) ? str(d.symbol) : undefined;
      const price = isObject(d) ? positive(d.last) : undefined;
      if (!isObject(d) || symbol === undefined || price === undefined) {
        out.push({ kind: 'malformed', reason: 'ticker entry without symbol or last' });
        continue;
      }
      // The 24 h reference price, from Kraken's own change (last − price 24 h ago).
      const change = num(d.change);
      const ref = change !== undefined && price - change > 0 ? price - change : undefined;
      out.push({
        kind: 'quote',
        symbol,
        fields: defined({
          price,
          // Kraken stamps ticker entries with the time of the last trade; older versions of the
          // feed had no timestamp, then the receive time stands in.
          timestamp: d.timestamp === undefined ? nowMs : isoTime(d.timestamp),
          bid: positive(d.bid), ask: positive(d.ask), volume: nonNegative(d.volume),
          high: positive(d.high), low: positive(d.low), open: ref, prevClose: ref,
        }),
      });
    }
    return out.map((e) => (e.kind === 'quote' && e.fields.timestamp === undefined ? { kind: 'malformed', reason: 'ticker entry with a bad timestamp' } : e));
  }
}

export const kraken: SourceAdapter = {
  name: 'kraken',
  defaultUrl: 'wss://ws.kraken.com/v2',
  changeBasis: 'rolling24h',
  // Kraken's message rate limit is not a fixed number; one subscribe per connection stays far below it.
  acknowledges: true,
  sendIntervalMs: 100,
  silenceMs: 15_000,
  keepaliveMs: 30_000,
  toSource(appSymbol) {
    const m = APP_PAIR.exec(appSymbol);
    if (!m) throw new MappingError(`${appSymbol} is not a crypto pair (BASE-QUOTE, e.g. BTC-USD → BTC/USD)`);
    return `${m[1]}/${m[2]}`;
  },
  currencyOf(appSymbol) {
    return appSymbol.split('-')[1] ?? '';
  },
  connectUrl(baseUrl) {
    return baseUrl;
  },
  newSession(symbols) {
    return new KrakenSession(symbols);
  },
};
