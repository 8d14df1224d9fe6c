// The publisher side of the fault scenarios: a deterministic tick book (per-symbol seq 1, 2, 3…,
// price a pure function of symbol and seq, so the expected final state is known exactly) and a
// paced mqtt.js publisher with a PUBACK window, so a scenario can run a 2k or 20k msg/s QoS 1 feed
// and still know which ticks the broker acknowledged.
import mqtt from 'mqtt';

export interface Tick {
  symbol: string;
  seq: number;
  price: number;
  timestamp: number;
  topic: string;
  payload: string;
}

/** `SYM000`, `SYM001`, … (valid symbols of the payload schema). */
export function symbolNames(n: number, prefix = 'SYM'): string[] {
  return Array.from({ length: n }, (_v, i) => `${prefix}${String(i).padStart(3, '0')}`);
}

/** The price of `symbol` at `seq`: 2 decimals, > 0, different from one seq to the next. */
export function priceAt(symbolIndex: number, seq: number): number {
  return Math.round((50 + symbolIndex * 3 + (seq % 997) / 10) * 100) / 100;
}

export function encodeTick(symbol: string, seq: number, price: number, timestamp: number): string {
  return JSON.stringify({ symbol, price, timestamp, seq, volume: seq * 10, prevClose: 50 });
}

/** What the publisher has produced: per symbol the last seq and the last tick it published. */
export class TickBook {
  readonly symbols: string[];
  readonly prefix: string;
  private readonly index = new Map<string, number>();
  private readonly seqs = new Map<string, number>();
  private readonly lastPublished = new Map<string, Tick>();
  /** Ticks per symbol produced upstream but never handed to the broker (an outage): seqs skipped. */
  readonly skipped = new Map<string, number>();
  /** Ticks handed to the broker, per symbol. */
  readonly published = new Map<string, number>();
  private rr = 0;

  constructor(symbols: string[], prefix = 'finance') {
    this.symbols = symbols.slice();
    this.prefix = prefix;
    symbols.forEach((s, i) => {
      this.index.set(s, i);
      this.seqs.set(s, 0);
      this.skipped.set(s, 0);
      this.published.set(s, 0);
    });
  }

  /** The next tick of `symbol` (seq + 1), counted as published. */
  next(symbol: string, timestamp = Date.now()): Tick {
    const seq = (this.seqs.get(symbol) ?? 0) + 1;
    this.seqs.set(symbol, seq);
    const price = priceAt(this.index.get(symbol) ?? 0, seq);
    const tick: Tick = { symbol, seq, price, timestamp, topic: `${this.prefix}/${symbol}/quotes`, payload: encodeTick(symbol, seq, price, timestamp) };
    this.lastPublished.set(symbol, tick);
    this.published.set(symbol, (this.published.get(symbol) ?? 0) + 1);
    return tick;
  }

  /** The next tick in round-robin order over the symbols. */
  nextRoundRobin(timestamp = Date.now()): Tick {
    const s = this.symbols[this.rr];
    this.rr = (this.rr + 1) % this.symbols.length;
    return this.next(s, timestamp);
  }

  /** `n` ticks of every symbol that never reach the broker (lost upstream during an outage). */
  skipAll(n: number): void {
    for (const s of this.symbols) {
      this.seqs.set(s, (this.seqs.get(s) ?? 0) + n);
      this.skipped.set(s, (this.skipped.get(s) ?? 0) + n);
    }
  }

  seqOf(symbol: string): number {
    return this.seqs.get(symbol) ?? 0;
  }

  last(symbol: string): Tick | undefined {
    return this.lastPublished.get(symbol);
  }

  totalPublished(): number {
    let n = 0;
    for (const v of this.published.values()) n += v;
    return n;
  }
}

export interface FeedPublisherOptions {
  qos?: 0 | 1;
  retain?: boolean;
  /** Unacknowledged QoS 1 messages before the pacer waits (default 2000). */
  window?: number;
  clientId?: string;
}

/** One mqtt.js client publishing ticks; counts what the broker acknowledged. */
export class FeedPublisher {
  readonly client: mqtt.MqttClient;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  private readonly window: number;
  sent = 0;
  acked = 0;
  failed = 0;
  private waiters: Array<() => void> = [];

  private constructor(client: mqtt.MqttClient, o: FeedPublisherOptions) {
    this.client = client;
    this.qos = o.qos ?? 1;
    this.retain = o.retain ?? true;
    this.window = o.window ?? 2000;
    client.on('close', () => this.wake());
  }

  /** Connects (clean session, no automatic reconnect) to an mqtt:// or tcp:// URL. */
  static async connect(url: string, o: FeedPublisherOptions = {}): Promise<FeedPublisher> {
    const client = await mqtt.connectAsync(url.replace(/^tcp:/, 'mqtt:'), {
      clientId: o.clientId ?? `qd-faults-pub-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      clean: true,
    });
    const stream = client.stream as unknown as { setNoDelay?: (b: boolean) => void };
    stream.setNoDelay?.(true);
    return new FeedPublisher(client, o);
  }

  get pending(): number {
    return this.sent - this.acked - this.failed;
  }

  publish(tick: Tick, opts?: { qos?: 0 | 1; retain?: boolean }): void {
    this.sent++;
    this.client.publish(tick.topic, tick.payload, { qos: opts?.qos ?? this.qos, retain: opts?.retain ?? this.retain }, (err) => {
      if (err) this.failed++;
      else this.acked++;
      if (this.waiters.length > 0 && this.pending < this.window) this.wake();
    });
  }

  /** Publishes raw bytes on a topic (hostile input), counted like ticks. */
  publishRaw(topic: string, payload: Buffer | string, qos: 0 | 1 = this.qos, retain = false): void {
    this.sent++;
    this.client.publish(topic, payload, { qos, retain }, (err) => {
      if (err) this.failed++;
      else this.acked++;
      if (this.waiters.length > 0 && this.pending < this.window) this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private roomFor(): Promise<void> | undefined {
    if (this.pending < this.window || !this.client.connected) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /**
   * Publishes `next()` ticks at `ratePerSec` until `durationMs` passed, `count` were sent, or
   * `stop()` says so (checked every few ms). Returns the number sent and the achieved rate.
   */
  async run(next: () => Tick, o: { ratePerSec: number; durationMs?: number; count?: number; stop?: () => boolean }): Promise<{ sent: number; elapsedMs: number; rate: number }> {
    const start = performance.now();
    let sent = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (o.durationMs !== undefined && elapsed >= o.durationMs) break;
      if (o.count !== undefined && sent >= o.count) break;
      if (o.stop?.() === true) break;
      if (!this.client.connected) throw new Error('publisher lost its connection');
      let due = Math.floor((elapsed * o.ratePerSec) / 1000) - sent;
      if (o.count !== undefined) due = Math.min(due, o.count - sent);
      while (due > 0) {
        const wait = this.roomFor();
        if (wait !== undefined) {
          await wait;
          break;
        }
        this.publish(next());
        sent++;
        due--;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const elapsedMs = performance.now() - start;
    return { sent, elapsedMs, rate: (sent * 1000) / Math.max(1, elapsedMs) };
  }

  /** Waits until every publish was acknowledged (QoS 1) or written (QoS 0). */
  async flush(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      if (Date.now() > deadline) throw new Error(`publisher: ${this.pending} publishes unacknowledged after ${timeoutMs} ms`);
      if (!this.client.connected) throw new Error(`publisher lost its connection with ${this.pending} publishes unacknowledged`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.endAsync(true);
    } catch {
      // closed already
    }
  }
}
