// Recording: subscribe to a topic filter and write one NDJSON line per message, `{topic, ...payload}`,
// the format `replay` reads. Retained messages (the broker's snapshot of the past) are skipped
// unless asked for; payloads that are not JSON objects are counted and skipped.
import type { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { quoteTopicFilter } from '@quotedeck/core';
import { BrokerAddress } from './brokerUrl';
import { connectMqtt, ConnectOptions, endClient } from './connect';
import { BrokerError } from './errors';
import { DEFAULT_PREFIX } from './quote';

export interface RecordOptions {
  /** Topic filter (default `finance/+/quotes`). */
  topic?: string;
  qos?: 0 | 1;
  durationMs?: number;
  /** Stop after this many written lines. */
  count?: number;
  includeRetained?: boolean;
  signal?: AbortSignal;
  /** Called once the subscription is in place (e.g. to start a publisher in a test). */
  onSubscribed?(): void;
  onSkip?(reason: string): void;
}

export interface RecordResult {
  written: number;
  skipped: number;
  reason: 'duration' | 'count' | 'aborted';
}

/** One NDJSON line for a received message, or null when the payload is not a JSON object. */
export function recordLine(topic: string, payload: Buffer | string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const line: Record<string, unknown> = { topic };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (k !== 'topic') line[k] = v;
  return JSON.stringify(line);
}

export async function recordTo(out: Writable, address: BrokerAddress, conn: ConnectOptions, opts: RecordOptions = {}): Promise<RecordResult> {
  const topic = opts.topic ?? quoteTopicFilter(DEFAULT_PREFIX);
  let written = 0;
  let skipped = 0;
  let finish: ((r: RecordResult['reason']) => void) | undefined;
  const ended = new Promise<RecordResult['reason']>((resolve) => (finish = resolve));
  // The handler goes on before CONNECT: queued messages can arrive with the CONNACK.
  const onMessage = (t: string, payload: Buffer, packet: { retain?: boolean }): void => {
    if (packet.retain && !opts.includeRetained) return;
    const line = recordLine(t, payload);
    if (line === null) {
      skipped++;
      opts.onSkip?.(`payload on ${t} is not a JSON object`);
      return;
    }
    if (opts.count !== undefined && written >= opts.count) return;
    out.write(`${line}\n`);
    written++;
    if (opts.count !== undefined && written >= opts.count) finish?.('count');
  };
  const client: MqttClient = await connectMqtt(address, conn, (c) => c.on('message', onMessage));
  let lost: BrokerError | undefined;
  const onClose = (): void => {
    lost = new BrokerError('lost', `lost the connection to ${address.display} after ${written} messages`);
    finish?.('aborted');
  };
  client.on('close', onClose);
  try {
    const granted = await client.subscribeAsync(topic, { qos: opts.qos ?? 0 });
    if (granted.some((g) => g.qos === 128 || g.qos > 2)) {
      throw new BrokerError('notAuthorized', `${address.display} refused the subscription to ${topic}`);
    }
    opts.onSubscribed?.();
    const timer = opts.durationMs !== undefined ? setTimeout(() => finish?.('duration'), opts.durationMs) : undefined;
    const onAbort = (): void => finish?.('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const reason = await ended;
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    client.removeListener('message', onMessage);
    if (lost) throw lost;
    return { written, skipped, reason };
  } finally {
    client.removeListener('close', onClose);
    await endClient(client);
  }
}
