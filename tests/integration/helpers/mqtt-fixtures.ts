// Shared fixtures for the MQTT integration tests: an in-process aedes broker on 127.0.0.1 (random
// free port, TCP_NODELAY), optionally behind TLS, a self-signed certificate made with openssl at
// test time, a free-but-closed port, a silent TCP server, and small waiting helpers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Aedes } from 'aedes';

export interface BrokerOptions {
  authenticate?: (client: unknown, username: string | undefined, password: Buffer | undefined,
    done: (err: (Error & { returnCode?: number }) | null, ok?: boolean) => void) => void;
  authorizeSubscribe?: (client: unknown, sub: { topic: string; qos: number },
    done: (err: Error | null, sub?: { topic: string; qos: number } | null) => void) => void;
  tls?: { key: Buffer; cert: Buffer };
  /** aedes preConnect: sees every CONNECT packet first and may refuse it (done(err, false)). */
  preConnect?: (client: { conn: net.Socket }, packet: { protocolVersion: number; clientId: string },
    done: (err: Error | null, ok: boolean) => void) => void;
}

export interface TestBroker {
  broker: Aedes;
  port: number;
  url: string;
  /** Server-side sockets currently open. */
  sockets: Set<net.Socket>;
  /** protocolVersion of every CONNECT the broker accepted, in order, with the client id. */
  connects: Array<{ id: string; version: number; clean: boolean }>;
  close(): Promise<void>;
}

export async function startBroker(options: BrokerOptions = {}): Promise<TestBroker> {
  const opts: Record<string, unknown> = {};
  if (options.authenticate) opts.authenticate = options.authenticate;
  if (options.authorizeSubscribe) opts.authorizeSubscribe = options.authorizeSubscribe;
  if (options.preConnect) opts.preConnect = options.preConnect;
  const broker = await Aedes.createBroker(opts);
  const sockets = new Set<net.Socket>();
  const connects: TestBroker['connects'] = [];
  broker.on('client', (c: { id: string; version: number; clean: boolean }) => {
    connects.push({ id: c.id, version: c.version, clean: c.clean });
  });
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server: net.Server = options.tls
    ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, (s) => {
      track(s);
      broker.handle(s);
    })
    : net.createServer({ noDelay: true }, (s) => {
      track(s);
      broker.handle(s);
    });
  if (options.tls) {
    server.on('connection', (s: net.Socket) => s.setNoDelay(true));
    server.on('tlsClientError', () => undefined);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    broker,
    port,
    url: `${options.tls ? 'ssl' : 'tcp'}://127.0.0.1:${port}`,
    sockets,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never answers (for connect timeouts). */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A self-signed certificate for localhost / 127.0.0.1 made with openssl, or a reason why not.
 * The files live in a temp folder the caller removes with `cleanup()`.
 */
export function selfSignedCert(): { key: Buffer; cert: Buffer; certFile: string; cleanup(): void } | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore', timeout: 20000 });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { skip: `openssl could not make a test certificate (${(e as Error).message.split('\n')[0]})` };
  }
  return {
    key: fs.readFileSync(keyFile),
    cert: fs.readFileSync(certFile),
    certFile,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 10 ms until it is true; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
