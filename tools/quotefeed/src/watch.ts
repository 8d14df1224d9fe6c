// Watching a feed through QuoteDeck's own engine, exactly the app's code path: FeedClient →
// InProcessFeedChannel → FeedController → FeedEngine → MqttSession → OhosMqttTransport (over the
// Node emulation of @ohos/mqtt) → codec → processor → coalescer → batches applied to a QuoteStore.
//
// Two things the store does not keep are read on the way: each symbol's seq and duplicate count
// travel in the batches' QuoteSnapshots, so the channel's receiver is wrapped to remember the
// latest snapshot per symbol. The engine posts a batch after every kind of message (applied,
// duplicate, rejected or unwatched: its counters changed) and a final one when it stops, so the
// store and the snapshots end with the exact last state without any nudging from here.
import {
  BrokerUrl, BrokerUrlResult, clientStatusTopic, ConnectionOptions, ConnectionState, ConnectionStatus,
  DEFAULT_CONNECT_TIMEOUT_SECONDS, SignatureMode, EngineStats, FeedChannel, FeedEvent, FeedEventKind, FeedStartConfig,
  InProcessFeedChannel, latencyPercentileMs, MathRandom, meanLatencyMs, MqttTransport, MqttTransportFactory, QuoteSnapshot, REJECT_REASON_NAMES, SessionErrorKind,
  SystemClock, SystemTimers, TransportListener, TransportMessage, TransportResult
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { BrokerAddress, parseBrokerUrl } from './brokerUrl';
import { connectMqtt, ConnectOptions, endClient, tlsFiles } from './connect';
import { BrokerError, CliError, UsageError } from './errors';
import { DEFAULT_PREFIX, normalisePrefix } from './quote';
import { errorText } from './watchlist';
import { NodeSignatureVerifier } from './signing';

export interface WatchConfig {
  /** Broker URL as typed (mqtt://, tcp://, mqtts://, ssl://). */
  broker: string;
  symbols: readonly string[];
  /** Topic prefix: the engine subscribes to `<prefix>/+/quotes` (or one topic per symbol). */
  prefix?: string;
  perSymbol?: boolean;
  /** Default: a fresh `qf-<role>-<pid>-<random>` (≤ 23 characters), whose session is cleaned up after. */
  clientId?: string;
  username?: string;
  password?: string;
  connectTimeoutSec?: number;
  flushMs?: number;
  staleAfterMs?: number;
  /** mqtts: verify the server certificate and host name (default true). */
  verifyServer?: boolean;
  /** mqtts: CA bundle (absolute path). */
  caFile?: string;
  /** Client certificate (mutual TLS) and its key (PEM files). */
  certFile?: string;
  keyFile?: string;
  /** The password of an encrypted client key (never printed). */
  keyPassword?: string;
  /** The broker cluster's other nodes (app URLs), tried after `broker` by the app's failover. */
  failoverUrls?: string[];
  /** Keep retrying when the first connect fails (as the app does) instead of failing. */
  retry?: boolean;
  /** MQTT version (issue 13): the library's MQTTVersion, 0 (Auto, the app's default), 4 or 5. */
  mqttVersion?: number;
  /** Used in the generated client id (default "watch"). */
  role?: string;
  /** Trusted publisher keys (text form): signatures are then verified, by Node's crypto. */
  trustedKeys?: string[];
  /** With trustedKeys: unsigned quotes are applied too. */
  acceptUnsigned?: boolean;
}

/** Per-symbol state in the --json result. NaN and absent values are null. */
export interface SymbolResult {
  price: number | null;
  change: number | null;
  changePct: number | null;
  bid: number | null;
  ask: number | null;
  volume: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  prevClose: number | null;
  name: string | null;
  currency: string | null;
  /** Quote time, epoch ms. */
  timestamp: number | null;
  seq: number | null;
  /** Quotes applied. */
  ticks: number;
  duplicates: number;
  gaps: number;
  hasGap: boolean;
  stale: boolean;
  latencyMs: number | null;
  receivedAt: number | null;
}

export interface StatsResult {
  received: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  duplicates: number;
  gaps: number;
  droppedUnwatched: number;
  reconnects: number;
  seqResets: number;
  latencyMs: { mean: number | null; max: number | null; p50: number | null; p99: number | null };
}

export interface WatchResult {
  broker: string;
  topic: string;
  clientId: string;
  durationMs: number;
  /** `node`: host:port of the broker node the session is on (or was last trying). */
  connection: { state: string; lastError: string; reconnects: number; everConnected: boolean; node: string };
  /** Watched symbols in watch-list order. */
  symbols: Record<string, SymbolResult>;
  stats: StatsResult;
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const str = (v: string): string | null => (v ? v : null);

export function statsResult(s: EngineStats): StatsResult {
  const byReason: Record<string, number> = {};
  REJECT_REASON_NAMES.forEach((name, i) => {
    if (i > 0) byReason[name] = s.rejectedByReason[i] ?? 0;
  });
  return {
    received: s.received,
    accepted: s.accepted,
    rejected: s.rejected,
    rejectedByReason: byReason,
    duplicates: s.duplicates,
    gaps: s.gaps,
    droppedUnwatched: s.droppedUnwatched,
    reconnects: s.reconnects,
    seqResets: s.seqResets,
    latencyMs: {
      mean: num(meanLatencyMs(s)),
      max: num(s.latencyMaxMs),
      p50: num(latencyPercentileMs(s, 0.5)),
      p99: num(latencyPercentileMs(s, 0.99)),
    },
  };
}

/**
 * `<prefix>` of a topic filter `<prefix>/+/quotes` (normalised by the app's topic rules), or undefined
 * for any other filter and for a prefix the app would refuse or that is empty.
 */
export function prefixOfFilter(filter: string): string | undefined {
  const m = /^(.+)\/\+\/quotes$/.exec(filter.trim());
  if (!m) return undefined;
  const prefix = normalisePrefix(m[1]);
  return prefix === null || prefix === '' ? undefined : prefix;
}

export function generatedClientId(role: string): string {
  return `qf-${role}-${process.pid % 100000}-${Math.random().toString(16).slice(2, 6)}`;
}

/**
 * The CLI's error for a connection status that ends a run, or undefined if the run goes on.
 * Fatal kinds (bad credentials, not authorized, TLS, takeover, configuration) always end it; a
 * failure before the first successful connect ends it too, once every node (--broker and each
 * --failover) has been tried, unless `retry` (the app would retry).
 */
export function failureOf(status: ConnectionStatus, display: string, everConnected: boolean, retry: boolean, connectTimeoutSec: number): CliError | undefined {
  // while waiting, `attempt` is the upcoming one: past nodeCount, every node has failed once
  const everyNodeFailed = status.state === ConnectionState.OFFLINE ||
    (status.state === ConnectionState.RECONNECTING && status.attempt > status.nodeCount);
  const failedFirst = !everConnected && !retry && status.lastError !== SessionErrorKind.NONE && everyNodeFailed;
  if (status.state !== ConnectionState.ERROR && !failedFirst) return undefined;
  const lib = /failed: (.*)$/.exec(status.detail)?.[1] ?? status.detail;
  const why = lib ? ` (${lib.replace(/ \(code (-?\d+)\)$/, ', code $1')})` : '';
  switch (status.lastError) {
    case SessionErrorKind.BAD_CREDENTIALS:
      return new BrokerError('badCredentials', `${display} rejected the credentials: bad user name or password`);
    case SessionErrorKind.NOT_AUTHORIZED:
      return new BrokerError('notAuthorized', `${display} refused the connection: not authorized`);
    case SessionErrorKind.TLS:
      return new BrokerError('tls', `TLS handshake with ${display} failed${why}`);
    case SessionErrorKind.UNREACHABLE:
      return new BrokerError('unreachable', `cannot connect to ${display}: broker unreachable${why}`);
    case SessionErrorKind.REFUSED:
      return new BrokerError('refused', `${display} refused the connection${why}`);
    case SessionErrorKind.TIMEOUT:
      return new BrokerError('timeout', `no answer from ${display} within ${connectTimeoutSec} s`);
    case SessionErrorKind.BAD_URL:
      return new UsageError(`bad broker URL: ${status.detail}`);
    case SessionErrorKind.BAD_CONFIG:
      return new UsageError(status.detail || 'bad configuration');
    case SessionErrorKind.TAKEOVER:
      return new BrokerError('refused', `${display}: ${errorText(status.lastError)}`);
    default:
      return new BrokerError('lost', `cannot stay connected to ${display}: ${errorText(status.lastError)}${why}`);
  }
}

/**
 * The app's transport factory, counting the messages the broker delivers on the way in (the wire
 * rate, which the engine's counters only show at its next batch).
 */
class CountingTransportFactory implements MqttTransportFactory {
  messages = 0;
  constructor(private readonly inner: MqttTransportFactory) {}
  create(connection: ConnectionOptions, listener: TransportListener): MqttTransport | undefined {
    return this.inner.create(connection, {
      onMessage: (m: TransportMessage): void => {
        this.messages++;
        listener.onMessage(m);
      },
      onConnectionLost: (r: TransportResult): void => listener.onConnectionLost(r),
    });
  }
}

/** Wraps a channel so every event is seen before FeedClient applies it. */
class TappedChannel implements FeedChannel {
  constructor(private readonly inner: FeedChannel, private readonly tap: (e: FeedEvent) => void) {}
  send(command: Parameters<FeedChannel['send']>[0]): void {
    this.inner.send(command);
  }
  setReceiver(receiver: (event: FeedEvent) => void): void {
    this.inner.setReceiver((event: FeedEvent) => {
      this.tap(event);
      receiver(event);
    });
  }
  close(): void {
    this.inner.close();
  }
}

export class WatchSession {
  readonly config: WatchConfig;
  readonly address: BrokerAddress;
  readonly clientId: string;
  readonly generatedId: boolean;
  readonly prefix: string;
  readonly store = new QuoteStore();
  readonly client: FeedClient;
  /** The latest snapshot of each symbol (seq and duplicates live only there). */
  readonly snapshots = new Map<string, QuoteSnapshot>();
  everConnected = false;
  /** Set when the run must end with an error (see failureOf). */
  failure: CliError | undefined;
  /** Called on every status change the engine reports. */
  onStatus?: (status: ConnectionStatus, previous: ConnectionStatus) => void;
  /** The broker URL parsed by the app's rules (the connection options take it as it is). */
  private readonly broker: BrokerUrlResult;
  /** The library reads the connect timeout as an int32: whole seconds, at least 1. */
  private readonly connectTimeoutSeconds: number;
  private readonly channel: InProcessFeedChannel;
  private readonly factory: CountingTransportFactory;
  private startedAt = 0;
  private stoppedAt = 0;
  private readonly samples: Array<[number, number]> = [];
  private failureWaiters: Array<(e: CliError) => void> = [];
  /** The status just before stop() (the store then says "stopped"). */
  private finalStatus: ConnectionStatus | undefined;

  constructor(config: WatchConfig) {
    this.config = config;
    this.address = parseBrokerUrl(config.broker);
    this.broker = BrokerUrl.parse(config.broker);
    this.generatedId = config.clientId === undefined;
    this.clientId = config.clientId ?? generatedClientId(config.role ?? 'watch');
    this.prefix = config.prefix ?? DEFAULT_PREFIX;
    this.connectTimeoutSeconds = Math.max(1, Math.ceil(config.connectTimeoutSec ?? DEFAULT_CONNECT_TIMEOUT_SECONDS));
    this.factory = new CountingTransportFactory(new OhosMqttTransportFactory());
    this.channel = new InProcessFeedChannel(this.factory, new SystemClock(), new SystemTimers(), new MathRandom());
    this.channel.setSignatureVerifier(new NodeSignatureVerifier());
    this.client = new FeedClient(new TappedChannel(this.channel, (e) => this.onEvent(e)), this.store, new SystemClock());
  }

  get topic(): string {
    return this.config.perSymbol ? `${this.prefix}/<SYMBOL>/quotes (one per symbol)` : `${this.prefix}/+/quotes`;
  }

  start(): void {
    const c = new FeedStartConfig();
    c.connection = new ConnectionOptions(this.broker, this.clientId);
    c.connection.userName = this.config.username ?? '';
    c.connection.password = this.config.password ?? '';
    c.connection.tls.verifyServerCertificate = this.config.verifyServer !== false;
    c.connection.tls.caFile = this.config.caFile ?? '';
    c.connection.tls.clientCertFile = this.config.certFile ?? '';
    c.connection.tls.clientKeyFile = this.config.keyFile ?? '';
    c.connection.tls.clientKeyPassword = this.config.keyPassword ?? '';
    c.connection.connectTimeoutSeconds = this.connectTimeoutSeconds;
    c.connection.mqttVersion = this.config.mqttVersion ?? 0;
    c.connection.failoverBrokers = (this.config.failoverUrls ?? []).map((url) => BrokerUrl.parse(url));
    c.topicPrefix = this.prefix;
    c.subscriptionMode = this.config.perSymbol ? 'perSymbol' : 'wildcard';
    c.symbols = [...this.config.symbols];
    if (this.config.flushMs !== undefined) c.flushIntervalMs = this.config.flushMs;
    if (this.config.staleAfterMs !== undefined) c.staleAfterMs = this.config.staleAfterMs;
    c.trustedKeys = [...(this.config.trustedKeys ?? [])];
    if (c.trustedKeys.length > 0) c.signatureMode = this.config.acceptUnsigned ? SignatureMode.ACCEPT_UNSIGNED : SignatureMode.REQUIRE;
    this.startedAt = Date.now();
    this.client.start(c);
  }

  /** Resolves with the error that ends the run (never resolves while all is well). */
  failed(): Promise<CliError> {
    if (this.failure) return Promise.resolve(this.failure);
    return new Promise((resolve) => this.failureWaiters.push(resolve));
  }

  private onEvent(e: FeedEvent): void {
    if (e.kind === FeedEventKind.BATCH && e.batch !== undefined) {
      for (const s of e.batch.snapshots) this.snapshots.set(s.quote.symbol, s);
      return;
    }
    if (e.kind === FeedEventKind.STATUS && e.status !== undefined) {
      // Seen before FeedClient applies it: the store still holds the previous status.
      const previous = this.store.status;
      if (e.status.state === ConnectionState.CONNECTED) this.everConnected = true;
      this.check(e.status);
      this.onStatus?.(e.status, previous);
      return;
    }
    if (e.kind === FeedEventKind.FAILED) {
      const s = new ConnectionStatus();
      s.state = ConnectionState.ERROR;
      s.lastError = SessionErrorKind.BAD_CONFIG;
      s.detail = e.message;
      this.check(s);
    }
  }

  private check(status: ConnectionStatus): void {
    if (this.failure || this.stoppedAt > 0) return;
    const f = failureOf(status, this.address.display, this.everConnected, this.config.retry === true, this.connectTimeoutSeconds);
    if (!f) return;
    this.failure = f;
    const w = this.failureWaiters;
    this.failureWaiters = [];
    for (const resolve of w) resolve(f);
  }

  /** Messages the broker delivered to the engine so far. */
  get messages(): number {
    return this.factory.messages;
  }

  /** Records the message count now, for rate(); call a few times a second. */
  sample(now = Date.now()): void {
    this.samples.push([now, this.factory.messages]);
    while (this.samples.length > 2 && now - this.samples[1][0] >= 2000) this.samples.shift();
  }

  /** Messages per second delivered by the broker over the last ~2 s. */
  rate(): number {
    if (this.samples.length < 2) return 0;
    const [t0, r0] = this.samples[0];
    const [t1, r1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? ((r1 - r0) * 1000) / (t1 - t0) : 0;
  }

  /**
   * Stops the feed, waits (bounded) for the engine's final batch, then removes our throw-away
   * session from the broker.
   */
  async stop(timeoutMs = 8000): Promise<void> {
    if (this.stoppedAt > 0) return;
    this.stoppedAt = Date.now();
    this.finalStatus = this.store.status;
    const wasConnected = this.everConnected;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.stop(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.channel.close();
    if (wasConnected && this.generatedId) await this.cleanUpSession();
  }

  /**
   * The engine connects with a persistent session (cleanSession false) and leaves a retained
   * `offline` on `<prefix>/clients/<id>/status`, as the app should. For a generated, never reused
   * id both are litter: connect once more with a clean session and clear the retained status.
   * Best effort, bounded.
   */
  private async cleanUpSession(): Promise<void> {
    const opts: ConnectOptions = {
      clientId: this.clientId,
      clean: true,
      username: this.config.username,
      password: this.config.password,
      connectTimeoutMs: 2000,
      rejectUnauthorized: this.config.verifyServer !== false,
    };
    try {
      opts.extra = tlsFiles({
        caFile: this.config.caFile, certFile: this.config.certFile, keyFile: this.config.keyFile, keyPassword: this.config.keyPassword,
      });
    } catch {
      return;
    }
    const work = (async () => {
      const c = await connectMqtt(this.address, opts);
      try {
        await c.publishAsync(clientStatusTopic(this.prefix, this.clientId), '', { qos: 1, retain: true });
      } finally {
        await endClient(c, 1000);
      }
    })().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
  }

  /** The run's result: the store's last quotes plus seq/duplicates from the snapshots, and the counters. */
  result(): WatchResult {
    const symbols: Record<string, SymbolResult> = {};
    for (const item of this.store.items) {
      const snap = this.snapshots.get(item.symbol);
      symbols[item.symbol] = {
        price: num(item.price),
        change: num(item.change),
        changePct: num(item.changePct),
        bid: num(item.bid),
        ask: num(item.ask),
        volume: num(item.volume),
        open: num(item.open),
        high: num(item.high),
        low: num(item.low),
        prevClose: num(item.prevClose),
        name: str(item.name),
        currency: str(item.currency),
        timestamp: num(item.timestamp),
        seq: snap && snap.quote.seq >= 0 ? snap.quote.seq : null,
        ticks: item.ticks,
        duplicates: snap?.duplicates ?? 0,
        gaps: item.gaps,
        hasGap: item.hasGap,
        stale: item.ticks > 0 ? item.stale : false,
        latencyMs: num(item.latencyMs),
        receivedAt: num(item.receivedAt),
      };
    }
    const status = this.finalStatus ?? this.store.status;
    return {
      broker: this.address.display,
      topic: this.topic,
      clientId: this.clientId,
      durationMs: (this.stoppedAt || Date.now()) - this.startedAt,
      connection: {
        state: status.state, lastError: status.lastError, reconnects: status.reconnects, everConnected: this.everConnected, node: status.node,
      },
      symbols,
      stats: statsResult(this.store.stats),
    };
  }
}
