// Binance spot WebSocket streams (github.com/binance/binance-spot-api-docs web-socket-streams.md):
// the `<symbol>@ticker` stream (24 h rolling window statistics, pushed every 1000 ms) on a combined
// connection (`/stream`, events wrapped as {"stream":…,"data":…}), subscribed with
// {"method":"SUBSCRIBE","params":[…],"id":N} and answered {"result":null,"id":N}. The server pings
// every 20 s and drops a connection that does not pong within a minute (the ws client pongs with the
// ping's payload by itself); a connection lives at most 24 h; a `serverShutdown` event announces
// maintenance. Binance acknowledges a stream of an unknown symbol without error and just sends
// nothing, so unknown symbols are found by asking the REST API (exchangeInfo answers -1121
// "Invalid symbol.").
import { defined, epochMs, isObject, Json, JsonObject, nonNegative, parseObject, positive, sequence, str } from './fields';
import { MappingError, RestContext, SourceAdapter, SourceEvent, SourceSession, SymbolCheck } from './source';

const APP_PAIR = /^([A-Z0-9]{1,10})-([A-Z0-9]{1,10})$/;

/** Binance.com lists no USD books: the app's BASE-USD is the BASEUSDT book, priced in USDT. */
function quoteAsset(appQuote: string): string {
  return appQuote === 'USD' ? 'USDT' : appQuote;
}

function isShutdown(m: JsonObject): boolean {
  return m.e === 'serverShutdown' || (isObject(m.event) && m.event.e === 'serverShutdown');
}

class BinanceSession implements SourceSession {
  private nextId = 1;
  private readonly waiting = new Map<number, string[]>();

  constructor(private readonly symbols: readonly string[]) {}

  subscribeMessages(): string[] {
    const id = this.nextId++;
    this.waiting.set(id, [...this.symbols]);
    return [JSON.stringify({ method: 'SUBSCRIBE', params: this.symbols.map((s) => `${s.toLowerCase()}@ticker`), id })];
  }

  parse(text: string): SourceEvent[] {
    const m = parseObject(text);
    if (!m) return [{ kind: 'malformed', reason: 'not a JSON object' }];
    if ('stream' in m || 'data' in m) {
      return isObject(m.data) ? [this.event(m.data)] : [{ kind: 'malformed', reason: 'combined stream event without data' }];
    }
    if ('id' in m && ('result' in m || 'error' in m)) return [this.answer(m)];
    if ('code' in m && 'msg' in m) return [{ kind: 'error', reason: `Binance error ${String(m.code)}: ${String(m.msg)}` }];
    return [this.event(m)];
  }

  private answer(m: JsonObject): SourceEvent {
    const id = typeof m.id === 'number' ? m.id : NaN;
    const symbols = this.waiting.get(id);
    this.waiting.delete(id);
    if (isObject(m.error)) return { kind: 'error', reason: `Binance refused request ${m.id}: ${String(m.error.msg ?? m.error.code)}` };
    if (m.result === null && symbols) return { kind: 'subscribed', symbols };
    return { kind: 'alive' };
  }

  private event(d: JsonObject): SourceEvent {
    if (isShutdown(d)) return { kind: 'reconnect', reason: 'Binance announced a server shutdown' };
    if (d.e !== '24hrTicker') return typeof d.e === 'string' ? { kind: 'alive' } : { kind: 'malformed', reason: 'event without a type' };
    const symbol = str(d.s);
    const price = positive(d.c);
    const timestamp = epochMs(d.E);
    if (symbol === undefined || price === undefined || timestamp === undefined) {
      return { kind: 'malformed', reason: '24hrTicker without s, c or E' };
    }
    const open = positive(d.o);
    return {
      kind: 'quote',
      symbol,
      fields: defined({
        price, timestamp, seq: sequence(d.L), bid: positive(d.b), ask: positive(d.a), volume: nonNegative(d.v),
        open, high: positive(d.h), low: positive(d.l),
        // Binance's own change ("p") is last − open of the rolling window.
        prevClose: open,
      }),
    };
  }
}

async function checkSymbol(symbol: string, ctx: RestContext): Promise<SymbolCheck> {
  const url = `${ctx.baseUrl.replace(/\/+$/, '')}/api/v3/exchangeInfo?symbol=${encodeURIComponent(symbol)}`;
  const res = await fetch(url, { signal: ctx.signal });
  const body = (await res.json().catch(() => undefined)) as Json | undefined;
  if (isObject(body) && typeof body.code === 'number') return { rejected: `Binance: ${String(body.msg)} (${body.code})` };
  if (!res.ok) throw new Error(`exchangeInfo answered HTTP ${res.status}`);
  const info = isObject(body) && Array.isArray(body.symbols) ? body.symbols.find((s) => isObject(s) && s.symbol === symbol) : undefined;
  if (!isObject(info)) return { rejected: `Binance lists no symbol ${symbol}` };
  if (info.status !== 'TRADING') return { rejected: `Binance: ${symbol} is not trading (status ${String(info.status)})` };
  return {};
}

export const binance: SourceAdapter = {
  name: 'binance',
  defaultUrl: 'wss://stream.binance.com:9443',
  defaultRestUrl: 'https://api.binance.com',
  changeBasis: 'rolling24h',
  // Documented: at most 5 incoming messages per second (pings, pongs and JSON requests together).
  acknowledges: true,
  sendIntervalMs: 250,
  // Ticker events come every second and pings every 20 s.
  silenceMs: 30_000,
  toSource(appSymbol) {
    const m = APP_PAIR.exec(appSymbol);
    if (!m) throw new MappingError(`${appSymbol} is not a crypto pair (BASE-QUOTE, e.g. BTC-USD → BTCUSDT)`);
    return `${m[1]}${quoteAsset(m[2])}`;
  },
  currencyOf(appSymbol) {
    return quoteAsset(appSymbol.split('-')[1] ?? '');
  },
  connectUrl(baseUrl) {
    const u = new URL(baseUrl);
    if (u.pathname === '' || u.pathname === '/') u.pathname = '/stream';
    return u.toString();
  },
  newSession(symbols) {
    return new BinanceSession(symbols);
  },
  async check(symbols, ctx) {
    const out = new Map<string, SymbolCheck>();
    // One request per symbol, one after the other (exchangeInfo weighs 20 of 6000 per minute).
    for (const s of symbols) out.set(s, await checkSymbol(s, ctx));
    return out;
  },
};
