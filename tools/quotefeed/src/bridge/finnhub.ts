// Finnhub (finnhub.io/docs/api/websocket-trades and finnhub.io/docs/api/quote): real-time trades of
// US stocks over wss://ws.finnhub.io?token=KEY, subscribed per symbol with
// {"type":"subscribe","symbol":"AAPL"} (no acknowledgement), pushed as
// {"type":"trade","data":[{"s","p","t","v","c"}]}, with {"type":"ping"} keepalives and
// {"type":"error","msg":…} errors. One key allows one connection at a time. A trade carries no day
// statistics and no trade id, so the REST quote (GET /quote, key in the X-Finnhub-Token header)
// gives, once per symbol, the previous close, today's open/high/low and the last price; it answers
// all zeros for a symbol Finnhub does not know, which is how unknown symbols are found.
import { defined, epochMs, isObject, Json, num, parseObject, positive, str } from './fields';
import { MappingError, QuoteFields, RestContext, SourceAdapter, SourceEvent, SourceSession, SymbolCheck } from './source';

export const FINNHUB_KEY_ENV = 'FINNHUB_API_KEY';

class FinnhubSession implements SourceSession {
  constructor(private readonly symbols: readonly string[]) {}

  subscribeMessages(): string[] {
    return this.symbols.map((symbol) => JSON.stringify({ type: 'subscribe', symbol }));
  }

  parse(text: string): SourceEvent[] {
    const m = parseObject(text);
    if (!m) return [{ kind: 'malformed', reason: 'not a JSON object' }];
    if (m.type === 'ping') return [{ kind: 'alive' }];
    if (m.type === 'error') return [{ kind: 'error', reason: `Finnhub: ${str(m.msg) ?? 'error without a message'}` }];
    if (m.type !== 'trade') return typeof m.type === 'string' ? [{ kind: 'alive' }] : [{ kind: 'malformed', reason: 'message without a type' }];
    if (!Array.isArray(m.data)) return [{ kind: 'malformed', reason: 'trade without data' }];
    return m.data.map((d): SourceEvent => {
      const symbol = isObject(d) ? str(d.s) : undefined;
      const price = isObject(d) ? positive(d.p) : undefined;
      const timestamp = isObject(d) ? epochMs(d.t) : undefined;
      if (symbol === undefined || price === undefined || timestamp === undefined) return { kind: 'malformed', reason: 'trade without s, p or t' };
      return { kind: 'quote', symbol, fields: { price, timestamp } };
    });
  }
}

async function quoteOf(symbol: string, ctx: RestContext): Promise<SymbolCheck> {
  const url = `${ctx.baseUrl.replace(/\/+$/, '')}/quote?symbol=${encodeURIComponent(symbol)}`;
  // The key goes in a header, never in a URL that could end up in a message.
  const res = await fetch(url, { headers: { 'X-Finnhub-Token': ctx.key ?? '' }, signal: ctx.signal });
  const body = (await res.json().catch(() => undefined)) as Json | undefined;
  if (res.status === 401 || res.status === 403) throw new Error(`Finnhub refused the API key (HTTP ${res.status})`);
  if (!res.ok || !isObject(body)) throw new Error(`Finnhub /quote answered HTTP ${res.status}`);
  const price = positive(body.c);
  const t = num(body.t);
  if (price === undefined && (t === undefined || t === 0)) return { rejected: `Finnhub has no quote for ${symbol} (unknown symbol?)` };
  const fields: QuoteFields = defined({
    price,
    timestamp: t !== undefined && t > 0 ? Math.round(t * 1000) : undefined,
    prevClose: positive(body.pc), open: positive(body.o), high: positive(body.h), low: positive(body.l),
  });
  return { fields };
}

export const finnhub: SourceAdapter = {
  name: 'finnhub',
  defaultUrl: 'wss://ws.finnhub.io',
  defaultRestUrl: 'https://finnhub.io/api/v1',
  changeBasis: 'session',
  keyEnv: FINNHUB_KEY_ENV,
  acknowledges: false,
  sendIntervalMs: 100,
  // Finnhub pings the client; a closed market sends no trades, so silence alone is judged on pings too.
  silenceMs: 60_000,
  toSource(appSymbol) {
    if (/^[A-Z0-9]{1,10}-[A-Z0-9]{1,10}$/.test(appSymbol)) {
      throw new MappingError(`${appSymbol} looks like a crypto pair: use --source coinbase, binance or kraken for it`);
    }
    return appSymbol;
  },
  currencyOf() {
    return 'USD';
  },
  connectUrl(baseUrl, _symbols, key) {
    const u = new URL(baseUrl);
    u.searchParams.set('token', key ?? '');
    return u.toString();
  },
  newSession(symbols) {
    return new FinnhubSession(symbols);
  },
  async check(symbols, ctx) {
    const out = new Map<string, SymbolCheck>();
    for (const s of symbols) out.set(s, await quoteOf(s, ctx));
    return out;
  },
};
