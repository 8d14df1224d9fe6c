// The embedded MQTT broker of `quotefeed broker` and `quotefeed demo`: the test kit's aedes broker
// (tools/testkit/aedes.ts: in memory, TCP_NODELAY on every connection) with quotefeed's credentials
// check and its one-line errors.
import type net from 'node:net';
import { startAedes } from '../../testkit/aedes';
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
  const port = opts.port ?? 1883;
  const check = opts.authenticate ?? (opts.credentials
    ? (u: string | undefined, p: string | undefined) => u === opts.credentials!.username && p === opts.credentials!.password
    : undefined);
  const aedesModule = await loadAedes();
  try {
    const b = await startAedes({
      host,
      port,
      log: opts.log,
      aedesModule: aedesModule as never,
      authenticate: check === undefined ? undefined : (_client, username, password, done) => {
        if (check(username, password?.toString('utf8'))) done(null, true);
        else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
      },
    });
    return { host: b.host, port: b.port, url: b.mqttUrl, aedes: b.aedes as unknown as AedesLike, server: b.server, close: () => b.close() };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const where = `${host}:${port}`;
    if (err.code === 'EADDRINUSE') throw new CliError(`cannot listen on ${where}: address already in use`, ExitCode.OTHER);
    if (err.code === 'EACCES') throw new CliError(`cannot listen on ${where}: permission denied`, ExitCode.OTHER);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new CliError(`cannot listen on ${where}: no such local address`, ExitCode.OTHER);
    throw new CliError(`cannot listen on ${where}: ${err.code ?? err.message}`, ExitCode.OTHER);
  }
}
