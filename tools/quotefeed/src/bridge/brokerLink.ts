// The bridge's side of the broker: quotefeed's Publisher (the simulator's publishing path: retained,
// QoS 1), kept alive. The first connect must succeed (a wrong URL or password fails fast, exit 3);
// a link lost later is retried with the app's full-jitter backoff, and once it is back the latest
// quote of every symbol is published again, so nothing sent into the dead link is lost (the app
// drops the copies it already has as duplicates).
import { MathRandom, ReconnectConfig, ReconnectPolicy, SystemClock } from '@quotedeck/core';
import type { BrokerAddress } from '../brokerUrl';
import { Publisher, PublisherOptions } from '../publisher';

export type BrokerState = 'connected' | 'waiting' | 'connecting' | 'closed';

export class BrokerLink {
  state: BrokerState = 'connected';
  lastError = '';
  reconnects = 0;
  retryInMs = 0;
  /** Messages handed to the broker client (republished ones included). */
  published = 0;
  private pub: Publisher;
  private readonly latest = new Map<string, string>();
  private readonly policy = new ReconnectPolicy(new SystemClock(), new MathRandom(), new ReconnectConfig());
  private retryTimer: NodeJS.Timeout | undefined;
  private closing = false;

  private constructor(
    pub: Publisher,
    private readonly address: BrokerAddress,
    private readonly options: PublisherOptions,
    private readonly onChange: () => void,
  ) {
    this.pub = pub;
    this.watch(pub);
  }

  static async connect(address: BrokerAddress, options: PublisherOptions, onChange: () => void = () => {}): Promise<BrokerLink> {
    const opts: PublisherOptions = { ...options, qos: 1, retain: true };
    return new BrokerLink(await Publisher.connect(address, opts), address, opts, onChange);
  }

  get display(): string {
    return this.address.display;
  }

  publish(topic: string, payload: string): void {
    this.latest.set(topic, payload);
    if (this.state !== 'connected') return; // republished on reconnect
    this.pub.publish(topic, payload);
    this.published++;
  }

  /** Waits for outstanding acknowledgements (bounded), then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.state === 'connected') await this.pub.flush(5000);
    await this.pub.close();
    this.state = 'closed';
  }

  /** QoS 1 messages not acknowledged yet. */
  get pending(): number {
    return this.pub.pending;
  }

  private watch(pub: Publisher): void {
    this.policy.linkUp();
    pub.client.on('close', () => {
      if (this.closing || pub !== this.pub) return;
      this.policy.linkDown();
      this.lastError = pub.lost?.message ?? `lost the connection to ${this.address.display}`;
      this.retryLater();
    });
  }

  private retryLater(): void {
    this.state = 'waiting';
    this.retryInMs = this.policy.nextBackoffDelayMs();
    this.onChange();
    this.retryTimer = setTimeout(() => void this.reconnect(), this.retryInMs);
  }

  private async reconnect(): Promise<void> {
    if (this.closing) return;
    this.state = 'connecting';
    this.policy.recordAttempt();
    try {
      const pub = await Publisher.connect(this.address, this.options);
      if (this.closing) {
        await pub.close();
        return;
      }
      this.pub = pub;
      this.watch(pub);
      this.state = 'connected';
      this.reconnects++;
      for (const [topic, payload] of this.latest) {
        pub.publish(topic, payload);
        this.published++;
      }
      this.onChange();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.retryLater();
    }
  }
}
