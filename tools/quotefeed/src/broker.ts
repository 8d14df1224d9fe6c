// An embedded MQTT broker (aedes, in-memory) for local runs, demos and tests. Its TCP server sets
// noDelay on every connection (the broker-to-app hop is the one whose latency the app sees).
import net from 'node:net';
import { CliError, ExitCode } from './errors';
import { AedesLike, loadAedes } from './deps';

export interface BrokerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 1883; 0 picks a free port. */
  port?: number;
  /** When set, CONNECT must carry exactly these credentials (else CONNACK "bad user name or password"). */
  credentials?: { username: string; password: string };
  /** Custom check instead of `credentials`. */
  authenticate?: (username: string | undefined, password: string | undefined) => boolean;
  /** Called with one-line events (client connected/disconnected, errors). */
  log?: (line: string) => void;
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  readonly aedes: AedesLike;
  readonly server: net.Server;
  /** Stops accepting, drops clients and closes aedes. Safe to call twice. */
  close(): Promise<void>;
}

export async function startBroker(opts: BrokerOptions = {}): Promise<RunningBroker> {
  const host = opts.host ?? '127.0.0.1';
  const { Aedes } = await loadAedes();
  const aedes = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  const check = opts.authenticate ?? (opts.credentials
    ? (u: string | undefined, p: string | undefined) => u === opts.credentials!.username && p === opts.credentials!.password
    : undefined);
  if (check) {
    aedes.authenticate = (_client, username, password, done) => {
      if (check(username, password?.toString('utf8'))) {
        done(null, true);
      } else {
        const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        done(err, null);
      }
    };
  }
  const log = opts.log;
  if (log) {
    aedes.on('client', (c: { id: string }) => log(`client connected: ${c.id}`));
    aedes.on('clientDisconnect', (c: { id: string }) => log(`client disconnected: ${c.id}`));
    aedes.on('clientError', (c: { id: string }, e: Error) => log(`client error: ${c?.id}: ${e.message}`));
  }
  aedes.on('connectionError', () => {});

  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      aedes.close();
      const where = `${host}:${opts.port ?? 1883}`;
      if (err.code === 'EADDRINUSE') reject(new CliError(`cannot listen on ${where}: address already in use`, ExitCode.OTHER));
      else if (err.code === 'EACCES') reject(new CliError(`cannot listen on ${where}: permission denied`, ExitCode.OTHER));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new CliError(`cannot listen on ${where}: no such local address`, ExitCode.OTHER));
      else reject(new CliError(`cannot listen on ${where}: ${err.code ?? err.message}`, ExitCode.OTHER));
    });
    server.listen(opts.port ?? 1883, host, () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  const urlHost = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    host: addr.address,
    port: addr.port,
    url: `mqtt://${urlHost}:${addr.port}`,
    aedes,
    server,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {});
        for (const s of sockets) s.destroy();
        aedes.close(() => resolve());
      });
      return closing;
    },
  };
}
