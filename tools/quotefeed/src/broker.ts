// The embedded MQTT broker of `quotefeed broker` and `quotefeed demo`: the test kit's aedes broker
// (tools/testkit/aedes.ts: in memory, TCP_NODELAY on every connection) with quotefeed's credentials
// check and its one-line errors. With `wsPort` it also serves MQTT over WebSocket (the ws package;
// each WebSocket becomes a stream for aedes), on any path, offering the "mqtt" subprotocol.
import net from 'node:net';
import tls from 'node:tls';
import { startAedes, tlsServerOptions } from '../../testkit/aedes';
import { CliError, ExitCode } from './errors';
import { AedesLike, loadAedes, loadWs, WsServerLike } from './deps';

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
  /** Also serve MQTT over WebSocket on this port (0 = any free port); off when undefined. */
  wsPort?: number;
  /** Serve the WebSocket port over TLS (wss://) with this key and certificate (PEM). */
  wsTls?: { key: Buffer; cert: Buffer };
  // client certificates (mutual TLS)
  /** Also serve MQTT over TLS on this port (0 = any free port) with `tls`; off when undefined. */
  tlsPort?: number;
  /** Key and certificate of the TLS port; `ca` and `requireClientCert` ask for client certificates. */
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer; requireClientCert?: boolean };
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  /** The WebSocket port when `wsPort` was given. */
  readonly wsPort?: number;
  /** e.g. ws://127.0.0.1:8080/mqtt (wss:// with `wsTls`) when `wsPort` was given. */
  readonly wsUrl?: string;
  /** The TLS port when `tlsPort` was given. */
  readonly tlsPort?: number;
  /** e.g. mqtts://127.0.0.1:8883 when `tlsPort` was given. */
  readonly tlsUrl?: string;
  /** Drops every open connection (TCP and WebSocket) without closing the broker: a network cut. */
  dropConnections(): void;
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
  const log = opts.log;
  const listenError = (err: NodeJS.ErrnoException, where: string): CliError => {
    if (err.code === 'EADDRINUSE') return new CliError(`cannot listen on ${where}: address already in use`, ExitCode.OTHER);
    if (err.code === 'EACCES') return new CliError(`cannot listen on ${where}: permission denied`, ExitCode.OTHER);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new CliError(`cannot listen on ${where}: no such local address`, ExitCode.OTHER);
    return new CliError(`cannot listen on ${where}: ${err.code ?? err.message}`, ExitCode.OTHER);
  };
  const aedesModule = await loadAedes();
  let b: Awaited<ReturnType<typeof startAedes>>;
  try {
    b = await startAedes({
      host,
      port,
      log,
      aedesModule: aedesModule as never,
      authenticate: check === undefined ? undefined : (_client, username, password, done) => {
        if (check(username, password?.toString('utf8'))) done(null, true);
        else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
      },
    });
  } catch (e) {
    throw listenError(e as NodeJS.ErrnoException, `${host}:${port}`);
  }
  const aedes = b.aedes as unknown as AedesLike;
  const urlHost = b.host.includes(':') ? `[${b.host}]` : b.host;
  const wsSockets = new Set<net.Socket>();
  let wsServer: WsServerLike | undefined;
  let wsHttp: import('node:http').Server | undefined;
  let wsPort: number | undefined;
  if (opts.wsPort !== undefined) {
    const { WebSocketServer, createWebSocketStream } = await loadWs();
    const refuse = (_req: unknown, res: import('node:http').ServerResponse): void => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
    };
    const httpServer: import('node:http').Server = opts.wsTls !== undefined
      ? (await import('node:https')).createServer({ key: opts.wsTls.key, cert: opts.wsTls.cert }, refuse)
      : (await import('node:http')).createServer(refuse);
    wsServer = new WebSocketServer({
      server: httpServer,
      // answer with "mqtt" when the client offers it (paho and mqtt.js do)
      handleProtocols: (protocols: Set<string>) => (protocols.has('mqtt') ? 'mqtt' : false),
    });
    wsServer.on('connection', (ws, req) => {
      log?.(`websocket connection: GET ${req.url ?? ''} (subprotocol "${ws.protocol ?? ''}")`);
      ws.on('error', () => {});
      const stream = createWebSocketStream(ws);
      stream.on('error', () => {});
      const socket = (ws as unknown as { _socket?: net.Socket })._socket;
      if (socket) {
        socket.setNoDelay(true);
        wsSockets.add(socket);
        socket.on('close', () => wsSockets.delete(socket));
      }
      aedes.handle(stream as unknown as net.Socket);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, `${host}:${opts.wsPort}`)));
        httpServer.listen(opts.wsPort, host, () => resolve());
      });
    } catch (e) {
      await b.close();
      throw e;
    }
    wsPort = (httpServer.address() as net.AddressInfo).port;
    wsHttp = httpServer;
  }
  // the TLS port: the test kit's TLS listener options over the same aedes
  let tlsServer: tls.Server | undefined;
  let tlsPort: number | undefined;
  const tlsSockets = new Set<net.Socket>();
  if (opts.tlsPort !== undefined) {
    if (opts.tls === undefined) throw new CliError('a TLS port needs a key and a certificate', ExitCode.USAGE);
    const server = tls.createServer(tlsServerOptions(opts.tls), (s: tls.TLSSocket) => {
      tlsSockets.add(s);
      s.on('close', () => tlsSockets.delete(s));
      s.on('error', () => {});
      aedes.handle(s as unknown as net.Socket);
    });
    server.on('connection', (s: net.Socket) => s.setNoDelay(true));
    server.on('tlsClientError', (err: Error) => log?.(`tls client refused: ${err.message}`));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, `${host}:${opts.tlsPort}`)));
        server.listen(opts.tlsPort, host, () => resolve());
      });
    } catch (e) {
      wsServer?.close();
      wsHttp?.close();
      await b.close();
      throw e;
    }
    tlsServer = server;
    tlsPort = (server.address() as net.AddressInfo).port;
  }
  let closing: Promise<void> | undefined;
  return {
    host: b.host,
    port: b.port,
    url: b.mqttUrl,
    wsPort,
    wsUrl: wsPort !== undefined ? `${opts.wsTls !== undefined ? 'wss' : 'ws'}://${urlHost}:${wsPort}/mqtt` : undefined,
    tlsPort,
    tlsUrl: tlsPort !== undefined ? `mqtts://${urlHost}:${tlsPort}` : undefined,
    aedes,
    server: b.server,
    dropConnections(): void {
      for (const s of b.sockets) s.destroy();
      for (const s of wsSockets) s.destroy();
      for (const s of tlsSockets) s.destroy();
    },
    close(): Promise<void> {
      closing ??= (async (): Promise<void> => {
        wsServer?.close();
        wsHttp?.close();
        tlsServer?.close();
        for (const s of tlsSockets) s.destroy();
        for (const s of wsSockets) s.destroy();
        await b.close();
      })();
      return closing;
    },
  };
}
