// aedes (in memory: sessions and retained messages die with it) in this process, on loopback:
// a random free port unless one is given (a "restart" is close() then startAedes on the same
// port), TCP_NODELAY on every connection, optionally TLS, an authentication, subscription or
// pre-connect hook.
// quotefeed's embedded broker (`quotefeed broker`, `quotefeed demo`) is this broker too.
import net from 'node:net';
import tls from 'node:tls';
import type { Aedes, AedesOptions } from 'aedes';
import { Broker, ConnectRecord, brokerUrls } from './broker';

type AuthenticateHook = NonNullable<AedesOptions['authenticate']>;
type AuthorizeSubscribeHook = NonNullable<AedesOptions['authorizeSubscribe']>;
type PreConnectHook = NonNullable<AedesOptions['preConnect']>;

/** A TLS listener: key and certificate (PEM); with `ca` client certificates from that CA are asked for, and with `requireClientCert` a client without a trusted one is refused (mutual TLS). */
export interface AedesTlsOptions {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
  requireClientCert?: boolean;
}

/** Node's TLS server options for `o`. */
export function tlsServerOptions(o: AedesTlsOptions): tls.TlsOptions {
  const out: tls.TlsOptions = { key: o.key, cert: o.cert };
  if (o.ca !== undefined) {
    out.ca = o.ca;
    out.requestCert = true;
    out.rejectUnauthorized = o.requireClientCert === true;
  } else if (o.requireClientCert === true) {
    out.requestCert = true;
    out.rejectUnauthorized = true;
  }
  return out;
}

export interface AedesBrokerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** A TLS listener with this key and certificate (PEM). */
  tls?: AedesTlsOptions;
  authenticate?: AuthenticateHook;
  authorizeSubscribe?: AuthorizeSubscribeHook;
  /** Sees every CONNECT packet first and may refuse it (done(err, false)): a broker stricter than aedes. */
  preConnect?: PreConnectHook;
  /** One-line events: client connected / disconnected / error. */
  log?: (line: string) => void;
  /**
   * The aedes package. Default: imported next to this code; quotefeed passes the one it resolved
   * itself, because its bundle may run from outside the project.
   */
  aedesModule?: { Aedes: { createBroker(options?: AedesOptions): Promise<Aedes> } };
}

export interface AedesBroker extends Broker {
  readonly kind: 'aedes';
  /** The address actually listened on (e.g. 0.0.0.0). */
  readonly host: string;
  readonly aedes: Aedes;
  readonly server: net.Server;
  /** Server-side sockets currently open. */
  readonly sockets: Set<net.Socket>;
}

/** Starts aedes; rejects with the listen error (e.g. EADDRINUSE) after freeing what it made. */
export async function startAedes(options: AedesBrokerOptions = {}): Promise<AedesBroker> {
  const host = options.host ?? '127.0.0.1';
  const { Aedes } = options.aedesModule ?? (await import('aedes'));
  const hooks: AedesOptions = {};
  if (options.authenticate) hooks.authenticate = options.authenticate;
  if (options.authorizeSubscribe) hooks.authorizeSubscribe = options.authorizeSubscribe;
  if (options.preConnect) hooks.preConnect = options.preConnect;
  const aedes = await Aedes.createBroker(hooks);
  const connects: ConnectRecord[] = [];
  aedes.on('client', (c) => {
    connects.push({ id: c.id, version: c.version ?? 0, clean: c.clean });
  });
  const log = options.log;
  if (log) {
    aedes.on('client', (c) => log(`client connected: ${c.id}`));
    aedes.on('clientDisconnect', (c) => log(`client disconnected: ${c.id}`));
    aedes.on('clientError', (c, e) => log(`client error: ${c?.id}: ${e.message}`));
  }

  const sockets = new Set<net.Socket>();
  const accept = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    aedes.handle(s);
  };
  let server: net.Server;
  if (options.tls) {
    server = tls.createServer(tlsServerOptions(options.tls), accept);
    server.on('connection', (s: net.Socket) => s.setNoDelay(true));
    server.on('tlsClientError', () => undefined);
  } else {
    server = net.createServer({ noDelay: true }, accept);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw e;
  }
  const addr = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    kind: 'aedes',
    host: addr.address,
    port: addr.port,
    ...brokerUrls(addr.address, addr.port, options.tls !== undefined),
    aedes,
    server,
    sockets,
    connects: () => connects,
    connectsOf: (id) => connects.filter((c) => c.id === id),
    close: () => {
      closing ??= (async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
      })();
      return closing;
    },
  };
}
