// The app's feed engine as the fault scenarios drive it: FeedClient + QuoteStore on the "UI side",
// an InProcessFeedChannel running FeedController → FeedEngine → MqttSession → OhosMqttTransport
// (over the @ohos/mqtt emulation) on the "feed side", with recorders in between that do not change
// what they pass on:
//  - RecordingRandom: every jitter draw of the reconnect policy (the only user of this source);
//  - RecordingFactory: every connect attempt (start, end, result), subscribe, message and link loss;
//  - FaultChannel: every event the feed posts (statuses, batches, failures), optionally delivered to
//    the UI side through a slow, worker-like asynchronous hop (R7).
import {
  BrokerUrl, ConnectionOptions, ConnectionState, ConnectionStatus, FeedChannel, FeedCommand, FeedCommandKind, FeedController, FeedEvent,
  FeedEventKind, FeedStartConfig, InProcessFeedChannel, MathRandom, MqttTransport, MqttTransportFactory, Quote,
  RandomSource, SystemClock, SystemTimers, TransportConnectOptions, TransportListener, TransportMessage,
  TransportResult
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteItem, QuoteStore } from '@quotedeck/ui';

export class RecordingRandom implements RandomSource {
  readonly draws: Array<{ at: number; value: number }> = [];
  private readonly inner: RandomSource;
  private readonly scale: number;

  /**
   * `scale` < 1 compresses the jitter (value·scale), e.g. to fit 20 reconnects into a test run; the
   * draws recorded are the values the policy actually got.
   */
  constructor(inner: RandomSource = new MathRandom(), scale = 1) {
    this.inner = inner;
    this.scale = scale;
  }

  next(): number {
    const value = this.inner.next() * this.scale;
    this.draws.push({ at: Date.now(), value });
    return value;
  }
}

export interface AttemptRecord {
  /** The broker URL of the client that made the attempt (failover: which node). */
  url: string;
  startedAt: number;
  endedAt: number;
  ok: boolean | undefined;
  kind: string;
  code: number;
  message: string;
}

export interface MessageRecord {
  at: number;
  topic: string;
  retained: boolean;
  dup: boolean;
  bytes: number;
}

/** Wraps the app's transport factory and records what the session does with it. */
export class RecordingFactory implements MqttTransportFactory {
  readonly attempts: AttemptRecord[] = [];
  readonly subscribes: Array<{ at: number; topic: string; ok: boolean }> = [];
  readonly losses: number[] = [];
  /** Transports created (the session reuses one across retries; a new one after a watchdog or error). */
  created = 0;
  messages = 0;
  retainedMessages = 0;
  dupMessages = 0;
  /** Set to keep a record of every message (off by default: floods would fill the heap). */
  keepMessages = false;
  readonly messageLog: MessageRecord[] = [];
  /** Called for each message before the engine sees it. */
  onMessage: ((m: TransportMessage) => void) | undefined = undefined;
  private readonly inner: MqttTransportFactory;

  constructor(inner: MqttTransportFactory = new OhosMqttTransportFactory()) {
    this.inner = inner;
  }

  create(connection: ConnectionOptions, listener: TransportListener): MqttTransport | undefined {
    const rec = this;
    const tap: TransportListener = {
      onMessage(message: TransportMessage): void {
        rec.messages++;
        if (message.retained) rec.retainedMessages++;
        if (message.dup) rec.dupMessages++;
        if (rec.keepMessages) {
          rec.messageLog.push({ at: Date.now(), topic: message.topic, retained: message.retained, dup: message.dup, bytes: message.payload.byteLength });
        }
        rec.onMessage?.(message);
        listener.onMessage(message);
      },
      onConnectionLost(reason: TransportResult): void {
        rec.losses.push(Date.now());
        listener.onConnectionLost(reason);
      },
    };
    const t = this.inner.create(connection, tap);
    if (t === undefined) return undefined;
    this.created++;
    return {
      connect: async (options: TransportConnectOptions): Promise<TransportResult> => {
        const a: AttemptRecord = { url: connection.broker.url, startedAt: Date.now(), endedAt: 0, ok: undefined, kind: '', code: 0, message: '' };
        rec.attempts.push(a);
        const r = await t.connect(options);
        a.endedAt = Date.now();
        a.ok = r.ok;
        a.kind = r.kind;
        a.code = r.code;
        a.message = r.message;
        return r;
      },
      subscribe: async (topic: string, qos: number): Promise<TransportResult> => {
        const r = await t.subscribe(topic, qos);
        rec.subscribes.push({ at: Date.now(), topic, ok: r.ok });
        return r;
      },
      unsubscribe: (topic: string) => t.unsubscribe(topic),
      publish: (topic: string, payload: string, qos: number, retained: boolean) => t.publish(topic, payload, qos, retained),
      disconnect: () => t.disconnect(),
      destroy: () => t.destroy(),
    };
  }

  successfulConnects(): AttemptRecord[] {
    return this.attempts.filter((a) => a.ok === true);
  }
}

export interface StatusRecord {
  at: number;
  status: ConnectionStatus;
}

/**
 * The channel between FeedClient and the feed. Events are recorded, then handed to the UI side
 * either synchronously (the in-process fallback) or, with `uiDelayMs`, through a queue drained by
 * an asynchronous consumer that takes `uiDelayMs` per batch (a busy UI thread behind a worker hop).
 */
export class FaultChannel implements FeedChannel {
  readonly inner: InProcessFeedChannel;
  readonly statuses: StatusRecord[] = [];
  readonly failures: string[] = [];
  /** Every text the feed posted to the UI (status details, failure messages), for the secret check. */
  readonly texts: string[] = [];
  batchesPosted = 0;
  batchesDelivered = 0;
  /** Largest number of events waiting for the UI side at once. */
  maxQueued = 0;
  private receiver: (event: FeedEvent) => void = () => undefined;
  private readonly uiDelayMs: number;
  private readonly queue: FeedEvent[] = [];
  private draining = false;

  constructor(factory: MqttTransportFactory, random: RandomSource, uiDelayMs = 0) {
    this.inner = new InProcessFeedChannel(factory, new SystemClock(), new SystemTimers(), random);
    this.uiDelayMs = uiDelayMs;
    this.inner.setReceiver((event: FeedEvent) => this.onFeedEvent(event));
  }

  queued(): number {
    return this.queue.length;
  }

  /** Drop the UI's BATCH_APPLIED acknowledgements: the feed then runs without flow control (as before it had any). */
  dropAcks = false;

  send(command: FeedCommand): void {
    if (this.dropAcks && command.kind === FeedCommandKind.BATCH_APPLIED) return;
    this.inner.send(command);
  }

  setReceiver(receiver: (event: FeedEvent) => void): void {
    this.receiver = receiver;
  }

  close(): void {
    this.receiver = () => undefined;
    this.inner.close();
  }

  private onFeedEvent(event: FeedEvent): void {
    if (event.kind === FeedEventKind.STATUS && event.status !== undefined) {
      this.statuses.push({ at: Date.now(), status: event.status });
      this.texts.push(event.status.detail);
    } else if (event.kind === FeedEventKind.FAILED) {
      this.failures.push(event.message);
      this.texts.push(event.message);
    } else if (event.kind === FeedEventKind.BATCH) {
      this.batchesPosted++;
    }
    if (event.message.length > 0) this.texts.push(event.message);
    if (this.uiDelayMs <= 0) {
      this.deliver(event);
      return;
    }
    this.queue.push(event);
    if (this.queue.length > this.maxQueued) this.maxQueued = this.queue.length;
    if (!this.draining) void this.drain();
  }

  /** Called after each batch the UI side has applied. */
  onBatchDelivered: (() => void) | undefined = undefined;

  private deliver(event: FeedEvent): void {
    if (event.kind === FeedEventKind.BATCH) this.batchesDelivered++;
    this.receiver(event);
    if (event.kind === FeedEventKind.BATCH) this.onBatchDelivered?.();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const event = this.queue.shift() as FeedEvent;
      if (event.kind === FeedEventKind.BATCH) await new Promise((r) => setTimeout(r, this.uiDelayMs));
      this.deliver(event);
    }
    this.draining = false;
  }
}

export interface EngineOptions {
  url: string;
  clientId: string;
  symbols: string[];
  userName?: string;
  password?: string;
  caFile?: string;
  flushIntervalMs?: number;
  staleAfterMs?: number;
  keepAliveSeconds?: number;
  connectTimeoutSeconds?: number;
  /** The library's MQTTVersion (issue 13): 0 Auto (default), 4, 5. */
  mqttVersion?: number;
  /** Jitter compression for RecordingRandom (1 = the real distribution). */
  jitterScale?: number;
  /** UI side delay per batch (ms), 0 for synchronous delivery. */
  uiDelayMs?: number;
  /** The UI side does not acknowledge batches (no flow control). */
  dropAcks?: boolean;
  /** Failover: the broker's other nodes, tried after `url` in this order (R9). */
  failoverUrls?: string[];
}

/** One app engine + UI store, wired like the app's fallback mode, with recorders. */
export class EngineUnderTest {
  readonly store = new QuoteStore();
  readonly factory = new RecordingFactory();
  readonly random: RecordingRandom;
  readonly channel: FaultChannel;
  readonly client: FeedClient;
  readonly options: EngineOptions;
  private stopped = false;

  constructor(options: EngineOptions) {
    this.options = options;
    this.random = new RecordingRandom(new MathRandom(), options.jitterScale ?? 1);
    this.channel = new FaultChannel(this.factory, this.random, options.uiDelayMs ?? 0);
    this.channel.dropAcks = options.dropAcks ?? false;
    this.client = new FeedClient(this.channel, this.store, new SystemClock());
  }

  startConfig(): FeedStartConfig {
    const o = this.options;
    const c = new FeedStartConfig();
    c.connection = ConnectionOptions.forBroker(o.url, o.clientId);
    c.connection.userName = o.userName ?? '';
    c.connection.password = o.password ?? '';
    c.connection.tls.caFile = o.caFile ?? '';
    c.connection.keepAliveSeconds = o.keepAliveSeconds ?? 30;
    c.connection.connectTimeoutSeconds = o.connectTimeoutSeconds ?? 5;
    c.connection.mqttVersion = o.mqttVersion ?? 0;
    c.connection.failoverBrokers = (o.failoverUrls ?? []).map((u) => BrokerUrl.parse(u));
    c.symbols = o.symbols.slice();
    c.flushIntervalMs = o.flushIntervalMs ?? 100;
    c.staleAfterMs = o.staleAfterMs ?? 30000;
    return c;
  }

  start(): void {
    this.client.start(this.startConfig());
  }

  item(symbol: string): QuoteItem {
    const i = this.store.item(symbol);
    if (i === undefined) throw new Error(`${symbol} is not on the watch list`);
    return i;
  }

  state(): ConnectionState {
    return this.store.status.state;
  }

  /** The engine's own counters, read in the feed (not the last batch the UI got). */
  engineStats() {
    const controller = (this.channel.inner as unknown as { controller: FeedController }).controller;
    const engine = controller.engineForTest();
    return engine === undefined ? undefined : engine.processorForTest().stats;
  }

  /** Stops the feed (its last batch applied) and closes the channel; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const done = this.client.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 15000);
    });
    await Promise.race([done, timeout]);
    clearTimeout(timer);
    await this.channel.inner.settled();
    this.channel.close();
  }
}

/**
 * Sees every tick the engine applies (a TickObserver on the running FeedEngine) and checks that
 * no seq is applied twice or out of order per symbol.
 */
export class TickAudit {
  readonly applied = new Map<string, number>();
  readonly lastSeq = new Map<string, number>();
  readonly violations: string[] = [];
  /** Called for every applied tick, after it was recorded. */
  onEach: ((quote: Quote) => void) | undefined = undefined;

  onTick(quote: Quote, _arrivalMs: number): void {
    this.record(quote);
    this.onEach?.(quote);
  }

  private record(quote: Quote): void {
    const last = this.lastSeq.get(quote.symbol) ?? -1;
    if (quote.seq >= 0) {
      if (quote.seq <= last && this.violations.length < 20) this.violations.push(`${quote.symbol}: seq ${quote.seq} applied after ${last}`);
      this.lastSeq.set(quote.symbol, quote.seq);
    }
    this.applied.set(quote.symbol, (this.applied.get(quote.symbol) ?? 0) + 1);
  }

  total(): number {
    let n = 0;
    for (const v of this.applied.values()) n += v;
    return n;
  }
}

/** Attaches a TickAudit to the engine once the feed has created it (after start()). */
export async function attachTickAudit(e: EngineUnderTest, timeoutMs = 5000): Promise<TickAudit> {
  const controller = (e.channel.inner as unknown as { controller: FeedController }).controller;
  const start = Date.now();
  for (;;) {
    const engine = controller.engineForTest();
    if (engine !== undefined) {
      const audit = new TickAudit();
      engine.addObserver(audit);
      return audit;
    }
    if (Date.now() - start > timeoutMs) throw new Error('the feed engine was not created');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * What the broker delivered, per symbol (from the transport tap, before the engine): copies of a
 * seq already delivered (redeliveries), seqs that came after a newer one (broker reordering), and
 * at the end the seqs never delivered (loss).
 */
export class DeliveryTracker {
  private readonly seen = new Map<string, Uint8Array>();
  private readonly maxSeen = new Map<string, number>();
  copies = 0;
  outOfOrder = 0;
  undecodable = 0;
  private readonly decoder = new TextDecoder();

  onMessage(m: TransportMessage): void {
    let sym: string;
    let seq: number;
    try {
      const j = JSON.parse(this.decoder.decode(m.payload)) as { symbol?: unknown; seq?: unknown };
      if (typeof j.symbol !== 'string' || typeof j.seq !== 'number' || !Number.isSafeInteger(j.seq) || j.seq < 0 || j.seq > 50_000_000) {
        this.undecodable++;
        return;
      }
      sym = j.symbol;
      seq = j.seq;
    } catch {
      this.undecodable++;
      return;
    }
    let bits = this.seen.get(sym);
    if (bits === undefined || seq >= bits.length * 8) {
      const grown = new Uint8Array(Math.max(1024, (bits?.length ?? 0) * 2, (seq >> 3) + 1024));
      if (bits !== undefined) grown.set(bits);
      bits = grown;
      this.seen.set(sym, bits);
    }
    const byte = seq >> 3;
    const mask = 1 << (seq & 7);
    if ((bits[byte] & mask) !== 0) {
      this.copies++;
      return;
    }
    bits[byte] |= mask;
    const max = this.maxSeen.get(sym) ?? -1;
    if (seq < max) this.outOfOrder++;
    else this.maxSeen.set(sym, seq);
  }

  delivered(symbol: string, seq: number): boolean {
    const bits = this.seen.get(symbol);
    return bits !== undefined && seq < bits.length * 8 && (bits[seq >> 3] & (1 << (seq & 7))) !== 0;
  }

  /** Seqs in [from, to] of `symbol` never delivered. */
  missing(symbol: string, from: number, to: number): number {
    let n = 0;
    for (let s = from; s <= to; s++) if (!this.delivered(symbol, s)) n++;
    return n;
  }
}
