// The two real brokers the scenarios run against, behind one small interface: aedes in this process
// (the fixture of the integration tests) and mosquitto in its own process (tools/faults/mosquitto).
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startBroker, TestBroker } from '../../integration/helpers/mqtt-fixtures';
import { Mosquitto, MosquittoOptions, mosquittoConnects, startMosquitto } from '../../../tools/faults/mosquitto';

export type BrokerKind = 'aedes' | 'mosquitto';

export interface Broker {
  kind: BrokerKind;
  port: number;
  url: string;
  /** Connects the broker accepted for `clientId` so far (MQTT protocol level 3 = 3.1, 4 = 3.1.1). */
  connectsOf(clientId: string): Array<{ protocol: number }>;
  close(): Promise<void>;
  aedes?: TestBroker;
  mosquitto?: Mosquitto;
}

export async function startAedes(): Promise<Broker> {
  const b = await startBroker();
  return {
    kind: 'aedes',
    port: b.port,
    url: b.url,
    connectsOf: (id) => b.connects.filter((c) => c.id === id).map((c) => ({ protocol: c.version })),
    close: () => b.close(),
    aedes: b,
  };
}

export async function startMosquittoBroker(o: MosquittoOptions = {}): Promise<Broker> {
  const m = await startMosquitto(o);
  return {
    kind: 'mosquitto',
    port: m.port,
    url: m.url,
    connectsOf: (id) => mosquittoConnects(m.log(), id).map((c) => ({ protocol: c.protocol === 'p1' ? 3 : c.protocol === 'p5' ? 5 : 4 })),
    close: () => m.close(),
    mosquitto: m,
  };
}

/**
 * An aedes (in-memory: sessions and retained messages die with it) on a fixed loopback port, so that
 * a "restart" is close() then startAedesOn(samePort): the fresh broker R2 needs.
 */
export async function startAedesOn(port: number): Promise<Broker> {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker({});
  const sockets = new Set<net.Socket>();
  const connects: Array<{ id: string; protocol: number }> = [];
  broker.on('client', (c: { id: string; version: number }) => connects.push({ id: c.id, protocol: c.version }));
  const server = net.createServer({ noDelay: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    broker.handle(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as net.AddressInfo).port;
  return {
    kind: 'aedes',
    port: actual,
    url: `tcp://127.0.0.1:${actual}`,
    connectsOf: (id) => connects.filter((c) => c.id === id).map((c) => ({ protocol: c.protocol })),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

/** aedes in its own process (tools/faults/aedes-process.mjs), stopped by its pid in close(). */
export async function startAedesProcess(): Promise<Broker> {
  const script = path.join(process.cwd(), 'tools', 'faults', 'aedes-process.mjs');
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`aedes process did not start: ${err}`)), 10000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aedes process exited (${code}): ${err}`));
    });
  });
  return {
    kind: 'aedes',
    port,
    url: `tcp://127.0.0.1:${port}`,
    connectsOf: () => [],
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
