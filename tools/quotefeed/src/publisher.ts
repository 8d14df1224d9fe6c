// Publishing quotes: a Publisher wraps one connected mqtt.js client (TCP_NODELAY, no automatic
// reconnect) with flow control — it tells the pacer to wait while the socket needs draining or
// QoS 1 PUBACKs are outstanding beyond a window — and counts what was sent and acknowledged.
// `publishSimulation` drives a MarketSimulator through the pacer onto `<prefix>/<SYMBOL>/quotes`.
import type { MqttClient } from 'mqtt';
import { BrokerAddress } from './brokerUrl';
import { connectMqtt, ConnectOptions, endClient, socketOf } from './connect';
import { BrokerError } from './errors';
import { MarketSimulator } from './simulator';
import { encodeQuote, TimestampFormat } from '@quotedeck/core';
import { quoteTopic, DEFAULT_PREFIX, Quote } from './quote';
import { runPaced, PaceResult, PaceStats } from './pacer';
import type { PayloadSigner } from './signing';

export type QoS = 0 | 1;

export interface PublisherOptions extends ConnectOptions {
  qos?: QoS;
  /** Retained by default: a late subscriber gets the last quote of every symbol. */
  retain?: boolean;
  /** Unacknowledged QoS 1 messages (or unwritten QoS 0 ones) before the pacer waits (default 1000). */
  window?: number;
  /** Signs every payload (quotes and bar snapshots) with this key (`--sign FILE`). */
  signer?: PayloadSigner;
}

export class Publisher {
  readonly client: MqttClient;
  readonly address: BrokerAddress;
  readonly qos: QoS;
  readonly retain: boolean;
  private readonly window: number;
  private readonly signer: PayloadSigner | undefined;
  /** Messages handed to the client. */
  sent = 0;
  /** Messages written (QoS 0) or acknowledged (QoS 1). */
  completed = 0;
  failed = 0;
  private lostError: BrokerError | undefined;
  private waiters: (() => void)[] = [];
  private closing = false;

  private constructor(client: MqttClient, address: BrokerAddress, opts: PublisherOptions) {
    this.client = client;
    this.address = address;
    this.qos = opts.qos ?? 0;
    this.retain = opts.retain ?? true;
    this.window = opts.window ?? 1000;
    this.signer = opts.signer;
    client.on('close', () => {
      if (!this.closing && !this.lostError) {
        this.lostError = new BrokerError('lost', `lost the connection to ${address.display} after ${this.sent} messages`);
      }
      this.wake();
    });
    socketOf(client)?.on('drain', () => this.wake());
  }

  static async connect(address: BrokerAddress, opts: PublisherOptions = {}): Promise<Publisher> {
    const client = await connectMqtt(address, opts);
    return new Publisher(client, address, opts);
  }

  get pending(): number {
    return this.sent - this.completed - this.failed;
  }

  /** Set when the connection dropped while publishing. */
  get lost(): BrokerError | undefined {
    return this.lostError;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  publish(topic: string, payload: string | Buffer, opts?: { qos?: QoS; retain?: boolean; onDone?: (ok: boolean) => void }): void {
    if (this.lostError) throw this.lostError;
    this.sent++;
    const body = this.signer !== undefined ? this.signer.sign(topic, payload) : payload;
    this.client.publish(topic, body, { qos: opts?.qos ?? this.qos, retain: opts?.retain ?? this.retain }, (err) => {
      if (err) this.failed++;
      else this.completed++;
      opts?.onDone?.(!err);
      if (this.waiters.length && !this.mustWait()) this.wake();
    });
  }

  private readonly topics = new Map<string, string>();

  /** Publishes `q` on `<prefix>/<SYMBOL>/quotes`, timestamps as epoch ms unless told otherwise. */
  publishQuote(prefix: string, q: Quote, timestamps: TimestampFormat = TimestampFormat.EPOCH_MS): void {
    const key = `${prefix}\u0000${q.symbol}`;
    let topic = this.topics.get(key);
    if (topic === undefined) {
      topic = quoteTopic(prefix, q.symbol);
      this.topics.set(key, topic);
    }
    this.publish(topic, encodeQuote(q, timestamps));
  }

  private mustWait(): boolean {
    if (this.lostError) return false;
    return this.pending >= this.window || socketOf(this.client)?.writableNeedDrain === true;
  }

  /** A promise to await before publishing more, or undefined when there is room now. */
  waitForCapacity(): Promise<void> | undefined {
    if (!this.mustWait()) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Throws the BrokerError if the connection was lost. */
  check(): void {
    if (this.lostError) throw this.lostError;
  }

  /** Waits until every message is written (QoS 0) or acknowledged (QoS 1), up to `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && !this.lostError && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.pending === 0;
  }

  async close(): Promise<void> {
    this.closing = true;
    await endClient(this.client);
    this.wake();
  }
}

export interface PublishSimulationOptions {
  prefix?: string;
  count?: number;
  durationMs?: number;
  signal?: AbortSignal;
  /** Use the simulator's own timestamps (it needs a start time) instead of the wall clock. */
  simulatedTime?: boolean;
  /** Write timestamps as ISO-8601 strings instead of epoch ms. */
  isoTime?: boolean;
  onProgress?(stats: PaceStats): void;
  onQuote?(q: Quote): void;
}

/** Publishes the simulator's ticks on schedule (its rates) until count, duration or abort. */
export async function publishSimulation(pub: Publisher, sim: MarketSimulator, opts: PublishSimulationOptions = {}): Promise<PaceResult> {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const simulated = opts.simulatedTime === true && sim.startTime !== undefined;
  const timestamps = opts.isoTime === true ? TimestampFormat.ISO : TimestampFormat.EPOCH_MS;
  const result = await runPaced<Quote>(
    { nextDue: () => sim.nextOffset(), take: () => sim.next(simulated ? undefined : Date.now()) },
    {
      send: (q) => {
        pub.publishQuote(prefix, q, timestamps);
        opts.onQuote?.(q);
      },
      waitForCapacity: () => pub.waitForCapacity(),
      check: () => pub.check(),
      count: opts.count,
      durationMs: opts.durationMs,
      signal: opts.signal,
      onProgress: opts.onProgress,
    },
  );
  return result;
}
