// Connecting an mqtt.js client the way every quotefeed command wants it: no automatic reconnect
// (reconnectPeriod 0: a CLI run fails fast and says why), TCP_NODELAY on the socket (Nagle adds
// ~18 ms p50 to QoS 0 at moderate rates, see docs/mqtt-reliability-and-performance.md §5.2), a
// bounded connect timeout, and failures mapped to BrokerError with a readable, password-free reason.
import fs from 'node:fs';
import type { Socket } from 'node:net';
import type { MqttClient, IClientOptions } from 'mqtt';
import { BrokerError, BrokerErrorKind } from './errors';
import { BrokerAddress } from './brokerUrl';
import { loadMqtt } from './deps';

export interface ConnectOptions {
  username?: string;
  password?: string;
  clientId?: string;
  /** Bound on TCP connect + CONNACK, in ms (default 5000). */
  connectTimeoutMs?: number;
  keepaliveSec?: number;
  clean?: boolean;
  protocolVersion?: 3 | 4 | 5;
  /** For mqtts: verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  // client certificates (mutual TLS)
  /** TLS: CA file (PEM) to verify the broker with instead of Node's store. */
  caFile?: string;
  /** TLS: client certificate file (PEM). */
  certFile?: string;
  /** TLS: its private key (PEM); the certificate file when undefined. */
  keyFile?: string;
  /** TLS: the password of an encrypted private key (never printed). */
  keyPassword?: string;
  /** Extra mqtt.js options (e.g. `will`, `properties`); reconnectPeriod stays 0. */
  extra?: Partial<IClientOptions>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

const SOCKET_REASONS: Record<string, [BrokerErrorKind, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ECONNRESET: ['unreachable', 'connection reset'],
  ENOTFOUND: ['unreachable', 'host not found'],
  EAI_AGAIN: ['unreachable', 'host name lookup failed'],
  ETIMEDOUT: ['timeout', 'connection timed out'],
  EHOSTUNREACH: ['unreachable', 'host unreachable'],
  ENETUNREACH: ['unreachable', 'network unreachable'],
  EPIPE: ['unreachable', 'connection closed'],
};

/** Maps an mqtt.js / socket error to a BrokerError. Never includes credentials. */
export function classifyConnectError(err: unknown, display: string): BrokerError {
  const e = err as { code?: unknown; message?: string };
  const code = e?.code;
  if (typeof code === 'number') {
    // CONNACK return codes (3.1.1) and reason codes (5.0).
    if (code === 4 || code === 134) return new BrokerError('badCredentials', `${display} rejected the credentials: bad user name or password`);
    if (code === 5 || code === 135) return new BrokerError('notAuthorized', `${display} refused the connection: not authorized`);
    if (code === 1 || code === 132) return new BrokerError('refused', `${display} refused the connection: unsupported protocol version`);
    if (code === 2 || code === 133) return new BrokerError('refused', `${display} refused the connection: client identifier rejected`);
    if (code === 3 || code === 136) return new BrokerError('refused', `${display} refused the connection: server unavailable`);
    return new BrokerError('refused', `${display} refused the connection (code ${code})`);
  }
  if (typeof code === 'string') {
    const known = SOCKET_REASONS[code];
    if (known) return new BrokerError(known[0], `cannot connect to ${display}: ${known[1]}`);
    // client certificates (mutual TLS): the broker's TLS alert, as OpenSSL names it
    if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(code)) {
      return new BrokerError('tls', `${display} requires a client certificate (--cert/--key): ${code}`);
    }
    if (/ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|CERTIFICATE_UNKNOWN)/.test(code)) {
      return new BrokerError('tls', `${display} refused the client certificate: ${code}`);
    }
    if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
      return new BrokerError('tls', `TLS handshake with ${display} failed: ${code}`);
    }
    return new BrokerError('unreachable', `cannot connect to ${display}: ${code}`);
  }
  if (/connack timeout/i.test(e?.message ?? '')) return new BrokerError('timeout', `no answer from ${display} (connect timed out)`);
  return new BrokerError('unreachable', `cannot connect to ${display}: ${(e?.message ?? String(err)).split('\n')[0]}`);
}

/** mqtt.js's `ca`, `cert` and `key` from the files of `opts` (read here; quotefeed checked they are readable). */
export function tlsFiles(opts: ConnectOptions): Partial<IClientOptions> {
  const out: Partial<IClientOptions> = {};
  if (opts.caFile !== undefined) out.ca = fs.readFileSync(opts.caFile);
  if (opts.certFile !== undefined) {
    out.cert = fs.readFileSync(opts.certFile);
    out.key = fs.readFileSync(opts.keyFile ?? opts.certFile);
    if (opts.keyPassword !== undefined) out.passphrase = opts.keyPassword;
  }
  return out;
}

/** The client's socket (net.Socket or TLSSocket), if it has one. */
export function socketOf(client: MqttClient): Socket | undefined {
  return client.stream as unknown as Socket | undefined;
}

/**
 * Connects and resolves once CONNACK accepted us; rejects with a BrokerError otherwise. Attach
 * message handlers before awaiting if you subscribe with a persistent session (queued messages can
 * arrive in the same read as CONNACK, §3.4 of the reliability notes).
 */
export async function connectMqtt(address: BrokerAddress, opts: ConnectOptions = {}, onClient?: (c: MqttClient) => void): Promise<MqttClient> {
  const mqtt = await loadMqtt();
  const timeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = mqtt.connect(address.url, {
    ...opts.extra,
    clientId: opts.clientId ?? `quotefeed-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    username: opts.username,
    password: opts.password,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    keepalive: opts.keepaliveSec ?? 30,
    clean: opts.clean ?? true,
    protocolVersion: opts.protocolVersion ?? 4,
    rejectUnauthorized: opts.rejectUnauthorized ?? true,
    ...tlsFiles(opts),
  });
  socketOf(client)?.setNoDelay?.(true);
  onClient?.(client);
  return new Promise<MqttClient>((resolve, reject) => {
    let done = false;
    const finish = (err: BrokerError | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.removeListener('connect', onConnect);
      client.removeListener('close', onClose);
      if (err) {
        client.removeListener('error', onError);
        client.on('error', () => {});
        client.end(true);
        reject(err);
      } else {
        // From here on errors surface as 'close'; keep one listener so an 'error' never throws.
        client.removeListener('error', onError);
        client.on('error', () => {});
        resolve(client);
      }
    };
    const onConnect = (): void => {
      socketOf(client)?.setNoDelay?.(true);
      finish(null);
    };
    const onError = (err: unknown): void => finish(classifyConnectError(err, address.display));
    const onClose = (): void => finish(new BrokerError('unreachable', `cannot connect to ${address.display}: connection closed before CONNACK`));
    const timer = setTimeout(
      () => finish(new BrokerError('timeout', `no answer from ${address.display} within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)} s`)),
      timeoutMs,
    );
    client.once('connect', onConnect);
    client.on('error', onError);
    client.once('close', onClose);
  });
}

/** Ends the client politely (DISCONNECT after flushing), or forcibly after `timeoutMs`. */
export async function endClient(client: MqttClient, timeoutMs = 2000): Promise<void> {
  if (client.disconnected && !client.connected) {
    client.end(true);
    return;
  }
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      client.end(true, {}, () => resolve());
      setTimeout(resolve, 100).unref();
    }, timeoutMs);
    t.unref();
    client.end(false, {}, () => {
      clearTimeout(t);
      resolve();
    });
  });
}
