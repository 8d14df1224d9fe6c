// Broker URLs as users type them, checked by the app's own rules (common's BrokerUrl: tcp://,
// mqtt://, ssl://, mqtts://, ws://, wss://, default ports 1883/8883/80/443, WebSocket path /mqtt,
// no credentials in the URL) and turned into what mqtt.js wants (mqtt://, mqtts://, ws://, wss://;
// mqtt.js speaks MQTT over WebSocket through the ws package).
import { BrokerUrl } from '@quotedeck/core';
import { UsageError } from './errors';

export interface BrokerAddress {
  protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  /** TLS on (mqtts, wss): decided by the app's BrokerUrl. */
  secure: boolean;
  /** Lower-case host name or IP (IPv6 without brackets). */
  host: string;
  port: number;
  /** The WebSocket path (e.g. "/mqtt"); empty for mqtt:// and mqtts://. */
  path: string;
  /** For mqtt.js, e.g. `mqtt://127.0.0.1:1883` or `ws://127.0.0.1:8080/mqtt`. */
  url: string;
  /** The form used in messages (same as `url`). */
  display: string;
}

/** Parses a broker URL; a refused one is a UsageError (exit 2) with the app's reason. */
export function parseBrokerUrl(input: string, command?: string): BrokerAddress {
  const r = BrokerUrl.parse(input);
  if (!r.ok) throw new UsageError(`bad broker URL: ${r.reason}`, command);
  const webSocket = r.path.length > 0;
  const protocol = webSocket ? (r.secure ? 'wss' : 'ws') : (r.secure ? 'mqtts' : 'mqtt');
  const host = r.host.includes(':') ? `[${r.host}]` : r.host;
  const url = `${protocol}://${host}:${r.port}${r.path}`;
  return { protocol, secure: r.secure, host: r.host, port: r.port, path: r.path, url, display: url };
}
