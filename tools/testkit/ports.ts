// Loopback ports: a free one, waiting until something listens, and a server that accepts
// connections and never answers (for connect timeouts).
import net from 'node:net';
import { sleep } from './wait';

/**
 * A port on 127.0.0.1 that nothing listened on a moment ago: for a broker to start on, or as a
 * port where a connect is refused.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a TCP connect to 127.0.0.1:port succeeds now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Waits until 127.0.0.1:port accepts connections; `gone()` says why to stop early (e.g. the
 * process that should listen has exited). Throws after `timeoutMs`.
 */
export async function waitForListening(port: number, timeoutMs: number, gone: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = gone();
    if (why !== undefined) throw new Error(why);
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export interface SilentServer {
  port: number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers. */
export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
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
