// Broker URLs as users type them, checked by the app's own rules (common's BrokerUrl: tcp://,
// mqtt://, ssl://, mqtts://, default ports 1883/8883, no credentials in the URL) and turned into
// what mqtt.js wants (mqtt:// or mqtts://).
import { BrokerUrl } from '@quotedeck/core';
import { UsageError } from './errors';

export interface BrokerAddress {
  protocol: 'mqtt' | 'mqtts';
  /** Lower-case host name or IP (IPv6 without brackets). */
  host: string;
  port: number;
  /** For mqtt.js, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  /** The form used in messages (same as `url`). */
  display: string;
}

/** Parses a broker URL; a refused one is a UsageError (exit 2) with the app's reason. */
export function parseBrokerUrl(input: string, command?: string): BrokerAddress {
  const r = BrokerUrl.parse(input);
  if (!r.ok) throw new UsageError(`bad broker URL: ${r.reason}`, command);
  const protocol = r.secure ? 'mqtts' : 'mqtt';
  const host = r.host.includes(':') ? `[${r.host}]` : r.host;
  const url = `${protocol}://${host}:${r.port}`;
  return { protocol, host: r.host, port: r.port, url, display: url };
}
