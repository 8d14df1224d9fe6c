// A TCP proxy on loopback between a client and a broker that can cut every open connection on
// demand: the network drop of a phone, reproduced with real sockets.
import net from 'node:net';

export interface CuttingProxy {
  port: number;
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every open client and upstream socket (both ends see a reset). */
  cut(): number;
  /** While down, new connections are refused (closed at once). */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let accepted = 0;
  let down = false;
  const server = net.createServer({ noDelay: true }, (client) => {
    if (down) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `tcp://127.0.0.1:${port}`,
    accepted: () => accepted,
    cut: () => {
      const n = pairs.size;
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      return n;
    },
    setDown: (d: boolean) => {
      down = d;
    },
    close: async () => {
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
