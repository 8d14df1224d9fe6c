// Local stand-ins for the four market-data sources, on loopback: each speaks the documented subset
// of its protocol that the bridge relies on — the subscribe handshake with its confirmation or
// error, ticker/trade messages built from the documented examples, the source's keepalive (Coinbase
// and Kraken heartbeats, Binance ping frames that must be ponged, Finnhub pings), its REST answers
// (Binance exchangeInfo, Finnhub /quote with the key in a header), and forced disconnects. As
// strict as the real services where the bridge could get it wrong: Coinbase drops a connection with
// no subscribe within 5 s, Binance one that exceeds 5 incoming messages a second or does not pong,
// Finnhub refuses a handshake without the right token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from 'ws';
import { loadWs } from '../../tools/quotefeed/src/bridge/wsClient';

type Json = Record<string, unknown>;

export interface FakeConnection {
  ws: WsSocket;
  /** Parsed client messages, in order. */
  received: Json[];
  /** Text that was not JSON. */
  garbage: string[];
  subscribed: Set<string>;
  pongs: number;
  closed: boolean;
}

export abstract class FakeSource {
  readonly connections: FakeConnection[] = [];
  protected server!: http.Server;
  protected wss!: WsServer;
  private timers: NodeJS.Timeout[] = [];
  port = 0;

  async start(): Promise<this> {
    const { WebSocketServer } = (await loadWs()) as unknown as { WebSocketServer: typeof WsServer };
    this.server = http.createServer((req, res) => this.rest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const refusal = this.refuseUpgrade(req);
      if (refusal !== undefined) {
        socket.end(`HTTP/1.1 ${refusal} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get open(): FakeConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  /** The newest open connection. */
  get current(): FakeConnection | undefined {
    return this.open[this.open.length - 1];
  }

  /** Sends to every open connection (a string as is, anything else as JSON). */
  broadcast(msg: unknown): void {
    for (const c of this.open) c.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Drops every connection without a close handshake (a network cut, a server restart). */
  dropAll(): void {
    for (const c of this.open) c.ws.terminate();
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.connections) c.ws.terminate();
    this.wss?.close();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  protected every(ms: number, f: () => void): void {
    this.timers.push(setInterval(f, ms));
  }

  private accept(ws: WsSocket, req: http.IncomingMessage): void {
    const c: FakeConnection = { ws, received: [], garbage: [], subscribed: new Set(), pongs: 0, closed: false };
    this.connections.push(c);
    ws.on('pong', () => c.pongs++);
    ws.on('close', () => (c.closed = true));
    ws.on('message', (data) => {
      const text = data.toString();
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        c.garbage.push(text);
        return;
      }
      c.received.push(msg as Json);
      this.onMessage(c, msg as Json);
    });
    this.onOpen(c, req);
  }

  protected refuseUpgrade(_req: http.IncomingMessage): number | undefined {
    return undefined;
  }

  protected rest(_req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(404).end();
  }

  protected onOpen(_c: FakeConnection, _req: http.IncomingMessage): void {}

  protected abstract onMessage(c: FakeConnection, msg: Json): void;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

// ---------------------------------------------------------------------------------------------
// Coinbase Exchange: subscribe → subscriptions | {"type":"error","message":"Failed to subscribe",…};
// heartbeat channel once a second per product; disconnect without a subscribe within 5 s.

/** The documented ticker message (docs.cdp.coinbase.com/exchange/websocket-feed/channels). */
export const COINBASE_TICKER_EXAMPLE = {
  type: 'ticker', sequence: 37475248783, product_id: 'ETH-USD', price: '1285.22', open_24h: '1310.79',
  volume_24h: '245532.79269678', low_24h: '1280.52', high_24h: '1313.8', volume_30d: '9788783.60117027',
  best_bid: '1285.04', best_bid_size: '0.46688654', best_ask: '1285.27', best_ask_size: '1.56637040', side: 'buy',
  time: '2022-10-19T23:28:22.061769Z', trade_id: 370843401, last_size: '11.4396987',
};

export class FakeCoinbase extends FakeSource {
  constructor(readonly products: readonly string[], private readonly heartbeatMs = 1000) {
    super();
  }

  protected onOpen(c: FakeConnection): void {
    const t = setTimeout(() => {
      if (c.subscribed.size === 0 && c.received.length === 0) c.ws.close(1008, 'no subscribe within 5 seconds');
    }, 5000);
    c.ws.on('close', () => clearTimeout(t));
  }

  async start(): Promise<this> {
    await super.start();
    this.every(this.heartbeatMs, () => {
      for (const c of this.open) {
        for (const p of c.subscribed) c.ws.send(JSON.stringify({ type: 'heartbeat', sequence: 90, last_trade_id: 20, product_id: p, time: new Date().toISOString() }));
      }
    });
    return this;
  }

  protected onMessage(c: FakeConnection, msg: Json): void {
    if (msg.type !== 'subscribe') {
      c.ws.send(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'Type has to be either subscribe or unsubscribe' }));
      return;
    }
    const ids = msg.product_ids as string[] | undefined;
    const channels = msg.channels as unknown[] | undefined;
    if (!channels || channels.length === 0) {
      c.ws.send(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'No channels provided' }));
      return;
    }
    // Unknown products fail the whole request, as the real feed does.
    const bad = (ids ?? []).find((p) => !this.products.includes(p));
    if (bad !== undefined) {
      c.ws.send(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: `${bad} is not a valid product` }));
      return;
    }
    for (const p of ids ?? []) c.subscribed.add(p);
    const list = [...c.subscribed];
    c.ws.send(JSON.stringify({
      type: 'subscriptions',
      channels: channels.map((ch) => ({ name: typeof ch === 'string' ? ch : (ch as Json).name, product_ids: list })),
    }));
  }

  /** A ticker for `product` shaped like the documented example, with these values. */
  ticker(product: string, v: { price: number; seq: number; time: number; bid?: number; ask?: number; open?: number; volume?: number; high?: number; low?: number }): Json {
    return {
      ...COINBASE_TICKER_EXAMPLE, product_id: product, sequence: v.seq, trade_id: v.seq + 1000, price: String(v.price),
      best_bid: String(v.bid ?? v.price - 0.01), best_ask: String(v.ask ?? v.price + 0.01), open_24h: String(v.open ?? v.price * 1.01),
      volume_24h: String(v.volume ?? 1000), high_24h: String(v.high ?? v.price * 1.02), low_24h: String(v.low ?? v.price * 0.98),
      time: new Date(v.time).toISOString().replace('Z', '123Z'),
    };
  }

  /** Sends to the connections subscribed to the product. */
  send(product: string, msg: unknown): void {
    for (const c of this.open) if (c.subscribed.has(product)) c.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
}

// ---------------------------------------------------------------------------------------------
// Binance spot streams: /stream (combined); SUBSCRIBE → {"result":null,"id"} even for unknown
// symbols (as the real service does); ping frames every pingMs, dropped without a pong within
// pongTimeoutMs; more than 5 incoming messages in a second → disconnected; REST exchangeInfo.

/** The documented 24hrTicker payload (binance-spot-api-docs, web-socket-streams.md). */
export const BINANCE_TICKER_EXAMPLE = {
  e: '24hrTicker', E: 1672515782136, s: 'BNBBTC', p: '0.0015', P: '250.00', w: '0.0018', x: '0.0009', c: '0.0025', Q: '10',
  b: '0.0024', B: '10', a: '0.0026', A: '100', o: '0.0010', h: '0.0025', l: '0.0010', v: '10000', q: '18', O: 0, C: 86400000,
  F: 0, L: 18150, n: 18151,
};

export class FakeBinance extends FakeSource {
  /** Incoming control frames (pongs included) per connection in the current second. */
  private readonly incoming = new Map<FakeConnection, number[]>();
  path = '';

  constructor(readonly symbols: readonly string[], private readonly pingMs = 20_000, private readonly pongTimeoutMs = 60_000) {
    super();
  }

  async start(): Promise<this> {
    await super.start();
    this.every(this.pingMs, () => {
      for (const c of this.open) {
        const before = c.pongs;
        c.ws.ping(Buffer.from('binance'));
        setTimeout(() => {
          if (!c.closed && c.pongs === before) c.ws.terminate();
        }, this.pongTimeoutMs);
      }
    });
    return this;
  }

  protected onOpen(c: FakeConnection, req: http.IncomingMessage): void {
    this.path = req.url ?? '';
    c.ws.on('pong', () => this.count(c));
  }

  private count(c: FakeConnection): void {
    const now = Date.now();
    const times = (this.incoming.get(c) ?? []).filter((t) => now - t < 1000);
    times.push(now);
    this.incoming.set(c, times);
    if (times.length > 5) c.ws.close(1008, 'Too many requests');
  }

  protected onMessage(c: FakeConnection, msg: Json): void {
    this.count(c);
    if (msg.method === 'SUBSCRIBE' && Array.isArray(msg.params)) {
      for (const p of msg.params as string[]) c.subscribed.add(p);
      c.ws.send(JSON.stringify({ result: null, id: msg.id }));
    } else {
      c.ws.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown variant ${String(msg.method)}` }, id: msg.id ?? null }));
    }
  }

  protected rest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/api/v3/exchangeInfo') return void json(res, 404, { code: -1, msg: 'not found' });
    const s = u.searchParams.get('symbol') ?? '';
    if (!this.symbols.includes(s)) return void json(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    json(res, 200, { timezone: 'UTC', serverTime: Date.now(), symbols: [{ symbol: s, status: 'TRADING' }] });
  }

  ticker(symbol: string, v: { price: number; lastTradeId: number; time: number; open?: number; volume?: number }): Json {
    return {
      ...BINANCE_TICKER_EXAMPLE, s: symbol, E: v.time, c: String(v.price), b: String(v.price - 0.01), a: String(v.price + 0.01),
      o: String(v.open ?? v.price * 0.99), h: String(v.price * 1.02), l: String(v.price * 0.97), v: String(v.volume ?? 1234.5), L: v.lastTradeId,
    };
  }

  /** Sends an event on the stream, wrapped as combined streams are. */
  send(stream: string, data: unknown): void {
    for (const c of this.open) if (c.subscribed.has(stream)) c.ws.send(JSON.stringify({ stream, data }));
  }
}

// ---------------------------------------------------------------------------------------------
// Kraken v2: status on connect; subscribe → one ack per symbol (error for unknown pairs) and a
// snapshot; heartbeat about once a second; ping → pong.

/** The documented ticker snapshot entry (docs.kraken.com/api/docs/websocket-v2/ticker). */
export const KRAKEN_TICKER_EXAMPLE = {
  symbol: 'ALGO/USD', bid: 0.10025, bid_qty: 740.0, ask: 0.10036, ask_qty: 1361.44813783, last: 0.10035, volume: 997038.98383185,
  vwap: 0.10148, low: 0.09979, high: 0.10285, change: -0.00017, change_pct: -0.17, timestamp: '2023-09-25T09:04:31.742648Z',
};

export class FakeKraken extends FakeSource {
  readonly snapshots = new Map<string, Json>();

  constructor(readonly pairs: readonly string[], private readonly heartbeatMs = 1000) {
    super();
  }

  async start(): Promise<this> {
    await super.start();
    this.every(this.heartbeatMs, () => {
      for (const c of this.open) if (c.subscribed.size) c.ws.send(JSON.stringify({ channel: 'heartbeat' }));
    });
    return this;
  }

  protected onOpen(c: FakeConnection): void {
    c.ws.send(JSON.stringify({ channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: 1, system: 'online', version: '2.0.10' }] }));
  }

  protected onMessage(c: FakeConnection, msg: Json): void {
    const at = new Date().toISOString();
    if (msg.method === 'ping') return void c.ws.send(JSON.stringify({ method: 'pong', req_id: msg.req_id, time_in: at, time_out: at }));
    const params = msg.params as Json | undefined;
    if (msg.method !== 'subscribe' || params?.channel !== 'ticker' || !Array.isArray(params.symbol)) {
      return void c.ws.send(JSON.stringify({ error: 'Unsupported request', method: msg.method, success: false, req_id: msg.req_id, time_in: at, time_out: at }));
    }
    for (const s of params.symbol as string[]) {
      if (!this.pairs.includes(s)) {
        c.ws.send(JSON.stringify({ error: `Currency pair not supported ${s}`, method: 'subscribe', req_id: msg.req_id, success: false, symbol: s, time_in: at, time_out: at }));
        continue;
      }
      c.subscribed.add(s);
      c.ws.send(JSON.stringify({ method: 'subscribe', req_id: msg.req_id, result: { channel: 'ticker', snapshot: true, symbol: s }, success: true, time_in: at, time_out: at }));
      const snap = this.snapshots.get(s);
      if (snap) c.ws.send(JSON.stringify({ channel: 'ticker', type: 'snapshot', data: [snap] }));
    }
  }

  entry(symbol: string, v: { last: number; change: number; time: number; volume?: number }): Json {
    return {
      ...KRAKEN_TICKER_EXAMPLE, symbol, last: v.last, bid: v.last - 0.5, ask: v.last + 0.5, change: v.change,
      change_pct: (v.change / (v.last - v.change)) * 100, high: v.last + 10, low: v.last - 10, volume: v.volume ?? 42.5,
      timestamp: new Date(v.time).toISOString(),
    };
  }

  send(entry: Json, type: 'snapshot' | 'update' = 'update'): void {
    const s = entry.symbol as string;
    for (const c of this.open) if (c.subscribed.has(s)) c.ws.send(JSON.stringify({ channel: 'ticker', type, data: [entry] }));
  }
}

// ---------------------------------------------------------------------------------------------
// Finnhub: the handshake needs ?token=KEY (401 otherwise); subscribe per symbol, no answer;
// {"type":"ping"} now and then; REST /quote with X-Finnhub-Token (zeros for unknown symbols).

/** The documented trade message shape (finnhub.io/docs/api/websocket-trades). */
export const FINNHUB_TRADE_EXAMPLE = {
  data: [{ p: 7296.89, s: 'BINANCE:BTCUSDT', t: 1575526691134, v: 0.011467 }],
  type: 'trade',
};

export class FakeFinnhub extends FakeSource {
  readonly quotes = new Map<string, { c: number; d: number; dp: number; h: number; l: number; o: number; pc: number; t: number }>();
  restCalls = 0;
  /** Tokens seen anywhere (query or header) that were wrong. */
  badTokens = 0;

  constructor(private readonly key: string, private readonly pingMs = 1000) {
    super();
  }

  async start(): Promise<this> {
    await super.start();
    this.every(this.pingMs, () => this.broadcast({ type: 'ping' }));
    return this;
  }

  protected refuseUpgrade(req: http.IncomingMessage): number | undefined {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    if (token === this.key) return undefined;
    this.badTokens++;
    return 401;
  }

  protected onMessage(c: FakeConnection, msg: Json): void {
    if (msg.type === 'subscribe' && typeof msg.symbol === 'string') c.subscribed.add(msg.symbol);
    else if (msg.type === 'unsubscribe' && typeof msg.symbol === 'string') c.subscribed.delete(msg.symbol);
    else c.ws.send(JSON.stringify({ type: 'error', msg: 'Invalid message' }));
  }

  protected rest(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.restCalls++;
    const u = new URL(req.url ?? '/', 'http://x');
    if (req.headers['x-finnhub-token'] !== this.key) {
      this.badTokens++;
      return void json(res, 401, { error: 'Invalid API key' });
    }
    if (u.pathname !== '/quote') return void json(res, 404, { error: 'not found' });
    const q = this.quotes.get(u.searchParams.get('symbol') ?? '');
    json(res, 200, q ?? { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 });
  }

  trades(trades: { s: string; p: number; t: number; v?: number }[]): void {
    for (const c of this.open) {
      const mine = trades.filter((t) => c.subscribed.has(t.s)).map((t) => ({ c: ['1', '12'], p: t.p, s: t.s, t: t.t, v: t.v ?? 100 }));
      if (mine.length) c.ws.send(JSON.stringify({ data: mine, type: 'trade' }));
    }
  }
}
