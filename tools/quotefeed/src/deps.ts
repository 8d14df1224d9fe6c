// Loads the npm packages quotefeed keeps external to its bundle (mqtt, aedes). The bundle may run
// from outside the project (the test runner writes bundles to the OS temp dir), so resolution
// tries the bundle's own location, then $QUOTEFEED_ROOT, then the working directory and its parents.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as MqttModule from 'mqtt';

function anchors(): string[] {
  const out: string[] = [import.meta.url];
  const root = process.env.QUOTEFEED_ROOT;
  if (root) out.push(path.join(path.resolve(root), 'package.json'));
  let dir = process.cwd();
  for (;;) {
    out.push(path.join(dir, 'package.json'));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Absolute path of the entry point of `name`, or an error naming what to install. */
export function resolvePackage(name: string): string {
  for (const anchor of anchors()) {
    try {
      return createRequire(anchor).resolve(name);
    } catch {
      // try the next anchor
    }
  }
  throw new Error(`cannot find the npm package "${name}" (run npm install in the QuoteDeck project)`);
}

const cache = new Map<string, Promise<unknown>>();

async function importPackage<T>(name: string): Promise<T> {
  let p = cache.get(name);
  if (!p) {
    const file = resolvePackage(name);
    p = import(pathToFileURL(fs.realpathSync(file)).href);
    cache.set(name, p);
  }
  return (await p) as T;
}

export type Mqtt = typeof MqttModule;

export async function loadMqtt(): Promise<Mqtt> {
  // mqtt is CommonJS: import() gives module.exports as `default` (named exports may be detected too).
  const mod = await importPackage<{ default?: Mqtt; connect?: unknown }>('mqtt');
  return (typeof mod.connect === 'function' ? mod : mod.default) as Mqtt;
}

// aedes ships its own types, but only for ESM consumers; we keep the surface we use small.
export interface AedesClientLike {
  id: string;
}
export interface AedesLike {
  handle: (stream: import('node:net').Socket) => unknown;
  close(cb?: () => void): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  authenticate: (
    client: AedesClientLike,
    username: string | undefined,
    password: Buffer | undefined,
    done: (err: (Error & { returnCode?: number }) | null, ok: boolean | null) => void,
  ) => void;
  connectedClients: number;
}
export interface AedesModule {
  Aedes: { createBroker(opts?: Record<string, unknown>): Promise<AedesLike> };
}

export async function loadAedes(): Promise<AedesModule> {
  return importPackage<AedesModule>('aedes');
}

// ws (MQTT over WebSocket for `quotefeed broker --ws-port`): the small surface we use.
export interface WsLike {
  /** The subprotocol the server chose ("" when none). */
  protocol?: string;
  on(event: string, listener: (...args: any[]) => void): unknown;
}
export interface WsServerLike {
  on(event: 'connection', listener: (ws: WsLike, req: import('node:http').IncomingMessage) => void): unknown;
  close(cb?: () => void): void;
}
export interface WsModule {
  WebSocketServer: new (opts: Record<string, unknown>) => WsServerLike;
  createWebSocketStream(ws: WsLike): import('node:stream').Duplex;
}

export async function loadWs(): Promise<WsModule> {
  // ws is CommonJS: the named exports sit on `default`.
  const mod = await importPackage<Partial<WsModule> & { default?: WsModule }>('ws');
  return (typeof mod.WebSocketServer === 'function' ? mod : mod.default) as WsModule;
}
