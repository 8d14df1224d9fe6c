// One WebSocket link to a market-data source, kept alive: connect, subscribe (messages spaced by the
// source's inbound limit), answer pings (the ws client pongs by itself), send the protocol's own
// keepalive where it has one, notice silence (no message for `silenceMs` → reconnect), and reconnect
// after any drop — including the source's scheduled ones — with full-jitter exponential backoff
// (core's ReconnectPolicy, the app's own). The protocol itself lives in the adapter's session.
import { Clock, MathRandom, RandomSource, ReconnectConfig, ReconnectPolicy, SystemClock, SystemTimers, Timers } from '@quotedeck/core';
import type { SourceAdapter, SourceEvent, SourceSession } from './source';
import { loadWs, WebSocketLike } from './wsClient';

export type LinkState = 'connecting' | 'subscribing' | 'streaming' | 'waiting' | 'stopped';

export interface LinkStatus {
  state: LinkState;
  /** Why the last connection ended or failed (no secrets). */
  lastError: string;
  /** When `waiting`: ms until the next attempt. */
  retryInMs: number;
  attempt: number;
}

export interface SourceLinkOptions {
  adapter: SourceAdapter;
  /** The URL to open (may carry a key: never shown). */
  url: string;
  /** Source symbols to subscribe. */
  symbols: readonly string[];
  silenceMs?: number;
  reconnect?: Partial<ReconnectConfig>;
  onEvent(event: SourceEvent): void;
  onStatus?(status: LinkStatus): void;
  /** A failure that retrying cannot fix (e.g. the key was refused). */
  onFatal(reason: string): void;
  clock?: Clock;
  timers?: Timers;
  random?: RandomSource;
}

export class SourceLink {
  /** Connections opened (the first one included). */
  connects = 0;
  /** Connections opened after a drop. */
  reconnects = 0;
  /** Links dropped because nothing arrived for silenceMs. */
  silences = 0;
  /** Text frames received. */
  messages = 0;
  readonly status: LinkStatus = { state: 'stopped', lastError: '', retryInMs: 0, attempt: 0 };

  private readonly opts: SourceLinkOptions;
  private readonly timers: Timers;
  private readonly clock: Clock;
  private readonly policy: ReconnectPolicy;
  private readonly silenceMs: number;
  private symbols: string[];
  private ws: WebSocketLike | undefined;
  private session: SourceSession | undefined;
  private running = false;
  private retryTimer: number | undefined;
  private silenceTimer: number | undefined;
  private keepaliveTimer: number | undefined;
  private sendTimers: number[] = [];
  private closed: (() => void) | undefined;
  /** Why we are dropping the current connection ourselves (silence, maintenance). */
  private dropReason: string | undefined;
  /** The socket's own error, for a connection that failed before opening. */
  private socketError: string | undefined;
  private opened = false;

  constructor(opts: SourceLinkOptions) {
    this.opts = opts;
    this.timers = opts.timers ?? new SystemTimers();
    this.clock = opts.clock ?? new SystemClock();
    const config = Object.assign(new ReconnectConfig(), opts.reconnect ?? {});
    this.policy = new ReconnectPolicy(this.clock, opts.random ?? new MathRandom(), config);
    this.silenceMs = opts.silenceMs ?? opts.adapter.silenceMs;
    this.symbols = [...opts.symbols];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  /** Stops subscribing `symbol` on later connections (the source refused it). */
  drop(symbol: string): void {
    this.symbols = this.symbols.filter((s) => s !== symbol);
  }

  /** Ends the link; resolves once the socket is closed. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    if (ws && ws.readyState !== ws.CLOSED) {
      await new Promise<void>((resolve) => {
        this.closed = resolve;
        ws.close(1000);
        // A server that does not answer the close handshake does not hold us up.
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.setStatus('stopped');
  }

  /** Drops the current connection and opens a new one right away (source maintenance). */
  private restartSoon(reason: string): void {
    this.dropReason = reason;
    this.ws?.terminate();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.status.attempt++;
    this.setStatus('connecting');
    let WebSocket;
    try {
      WebSocket = await loadWs();
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    if (!this.running) return;
    this.policy.recordAttempt();
    this.dropReason = undefined;
    this.socketError = undefined;
    this.opened = false;
    const ws = new WebSocket(this.opts.url, { handshakeTimeout: 10_000, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('ping', () => this.armSilence());
    ws.on('unexpected-response', (_req, res) => {
      const code = res.statusCode ?? 0;
      const reason = `the source answered the WebSocket handshake with HTTP ${code}`;
      this.socketError = reason;
      ws.terminate();
      if (code === 401 || code === 403) this.fail(`${reason} (the key was refused)`);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      this.socketError ??= err.code ? `${err.code}` : err.message.split('\n')[0];
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onOpen(ws: WebSocketLike): void {
    if (ws !== this.ws) return;
    this.opened = true;
    this.connects++;
    if (this.connects > 1) this.reconnects++;
    this.policy.linkUp();
    this.status.attempt = 0;
    this.session = this.opts.adapter.newSession(this.symbols);
    this.setStatus(this.opts.adapter.acknowledges ? 'subscribing' : 'streaming');
    const messages = this.symbols.length ? this.session.subscribeMessages() : [];
    messages.forEach((m, i) => {
      const t = this.timers.setTimeout(() => {
        if (ws.readyState === ws.OPEN) ws.send(m);
        if (i === messages.length - 1 && !this.opts.adapter.acknowledges) this.opts.onEvent({ kind: 'subscribed', symbols: [...this.symbols] });
      }, i * this.opts.adapter.sendIntervalMs);
      this.sendTimers.push(t);
    });
    const keepalive = this.opts.adapter.keepaliveMs;
    if (keepalive !== undefined && this.session.keepaliveMessage) this.scheduleKeepalive(ws, keepalive);
    this.armSilence();
  }

  private scheduleKeepalive(ws: WebSocketLike, everyMs: number): void {
    this.keepaliveTimer = this.timers.setTimeout(() => {
      if (ws !== this.ws || ws.readyState !== ws.OPEN || !this.session?.keepaliveMessage) return;
      ws.send(this.session.keepaliveMessage());
      this.scheduleKeepalive(ws, everyMs);
    }, everyMs);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.armSilence();
    this.messages++;
    if (isBinary || !this.session) {
      this.opts.onEvent({ kind: 'malformed', reason: 'binary frame' });
      return;
    }
    for (const e of this.session.parse(data.toString('utf8'), this.clock.now())) {
      if (e.kind === 'subscribed' && this.status.state === 'subscribing') this.setStatus('streaming');
      if (e.kind === 'reconnect') this.restartSoon(e.reason);
      if (e.kind === 'error' && e.fatal) this.fail(e.reason);
      this.opts.onEvent(e);
    }
  }

  private armSilence(): void {
    if (this.silenceTimer !== undefined) this.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.timers.setTimeout(() => {
      this.silenceTimer = undefined;
      this.silences++;
      this.restartSoon(`no message for ${Math.round(this.silenceMs / 1000)} s`);
    }, this.silenceMs);
  }

  private onClose(ws: WebSocketLike, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    this.session = undefined;
    this.clearTimers();
    this.policy.linkDown();
    if (!this.running) {
      this.closed?.();
      return;
    }
    this.status.lastError = this.dropReason ??
      (this.opened ? `closed by the source (code ${code}${reason ? `: ${reason}` : ''})` : `cannot connect: ${this.socketError ?? `code ${code}`}`);
    const delay = this.policy.nextBackoffDelayMs();
    this.status.retryInMs = delay;
    this.setStatus('waiting');
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private fail(reason: string): void {
    this.status.lastError = reason;
    this.running = false;
    this.clearTimers();
    this.ws?.terminate();
    this.setStatus('stopped');
    this.opts.onFatal(reason);
  }

  private clearTimers(): void {
    for (const t of this.sendTimers) this.timers.clearTimeout(t);
    this.sendTimers = [];
    if (this.silenceTimer !== undefined) this.timers.clearTimeout(this.silenceTimer);
    if (this.keepaliveTimer !== undefined) this.timers.clearTimeout(this.keepaliveTimer);
    this.silenceTimer = undefined;
    this.keepaliveTimer = undefined;
  }

  private setStatus(state: LinkState): void {
    this.status.state = state;
    this.opts.onStatus?.(this.status);
  }
}
