// Builds (once per source change) and loads the Node-API binding over paho.mqtt.c's asynchronous
// client, native/paho_async.c. The binding is compiled with the system C compiler against Node's
// own headers and linked to libpaho-mqtt3as (the TLS build of MQTTAsync, as on the phone). It is
// cached under node_modules/.cache/quotedeck; a missing compiler, header or library gives a
// PahoUnavailable error that says what to install.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An opaque native client (a paho MQTTAsync handle and its event queue). */
export type PahoHandle = object & { readonly __pahoHandle: true };

/** An MQTT 5 property list as the binding reports it (by property type). */
export interface PahoProperties {
  integerProperties: number[];
  strProperties: string[];
  userProperties: Array<{ key: string; val: string }>;
}

/** What paho reported on one of its threads, delivered on the JS thread in paho's order. */
export interface PahoEvent {
  kind: 'success' | 'failure' | 'lost' | 'message';
  /** The request id given to the call whose callback this is (0 for lost/message). */
  request: number;
  code: number;
  reasonCode: number;
  /** Failure message or connection-lost cause; null when paho gave none. */
  message: string | null;
  properties: PahoProperties;
  /** success: granted QoS (3.1.1) or reason codes (5) of a subscribe. */
  granted?: number[];
  mqttVersion?: number;
  sessionPresent?: number;
  topic?: string;
  payload?: ArrayBuffer;
  qos?: number;
  retained?: number;
  dup?: number;
  msgid?: number;
}

/** paho connect options by paho's own field names; absent fields keep paho's initializer values. */
export interface PahoConnectOptions {
  MQTTVersion: number;
  keepAliveInterval?: number;
  cleansession?: number;
  connectTimeout?: number;
  retryInterval?: number;
  automaticReconnect?: number;
  minRetryInterval?: number;
  maxRetryInterval?: number;
  username?: string;
  password?: string;
  serverURIs?: string[];
  ssl?: {
    trustStore?: string;
    keyStore?: string;
    privateKey?: string;
    privateKeyPassword?: string;
    enabledCipherSuites?: string;
    CApath?: string;
    enableServerCertAuth?: number;
    verify?: number;
    sslVersion?: number;
  };
  will?: { topicName?: string; message?: string; retained?: number; qos?: number };
}

/** The binding's functions: one paho call each, returning paho's return code. */
export interface PahoBinding {
  create(url: string, clientId: string, persistenceType: number, mqttVersion: number,
    onEvent: (e: PahoEvent) => void): PahoHandle | number;
  setMessageArrived(h: PahoHandle): number;
  setConnectionLost(h: PahoHandle): number;
  connect(h: PahoHandle, options: PahoConnectOptions, request: number): number;
  subscribeMany(h: PahoHandle, topics: string[], qos: number[], request: number, v5: boolean): number;
  unsubscribeMany(h: PahoHandle, topics: string[], request: number, v5: boolean): number;
  /** Returns [rc, token]. */
  sendMessage(h: PahoHandle, topic: string, payload: ArrayBuffer, qos: number, retained: number, request: number,
    v5: boolean, userProperties: Array<[string, string]>): [number, number];
  /** paho's blocking MQTTAsync_waitForCompletion on a worker thread, then whether the request's callback ran. */
  waitForCompletion(h: PahoHandle, token: number, timeoutMs: number, request: number): Promise<{ rc: number; finished: number }>;
  disconnect(h: PahoHandle, timeoutMs: number, request: number, v5: boolean): number;
  reconnect(h: PahoHandle): number;
  isConnected(h: PahoHandle): boolean;
  destroy(h: PahoHandle): Promise<void>;
  setTrace(level: number): void;
  version(): string | null;
}

/** paho.mqtt.c cannot be used on this machine; `message` says why and what to install. */
export class PahoUnavailable extends Error {}

const SOURCE_NAME = path.join('tools', 'node', 'ohos-mqtt-paho', 'native', 'paho_async.c');
const LIBRARY = 'paho-mqtt3as';

/** The project folder: the nearest ancestor of this module (or of the cwd) holding the C source. */
function projectRoot(): string {
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, SOURCE_NAME))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new PahoUnavailable(`the binding source ${SOURCE_NAME} was not found above ${starts.join(' or ')}`);
}

/** Node's C headers (node_api.h): next to this node binary, or where npm builds addons from. */
function nodeIncludeDir(): string {
  const candidates = [path.resolve(path.dirname(process.execPath), '..', 'include', 'node')];
  try {
    const nodedir = execFileSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', timeout: 10000 }).trim();
    if (nodedir && nodedir !== 'undefined') candidates.push(path.join(nodedir, 'include', 'node'));
  } catch {
    /* npm not reachable: the first candidate is all we have */
  }
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
  if (!found) throw new PahoUnavailable(`Node's C headers (node_api.h) were not found in ${candidates.join(', ')}`);
  return found;
}

function build(root: string): string {
  const source = path.join(root, SOURCE_NAME);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(source)).update(process.version).digest('hex').slice(0, 16);
  const dir = path.join(root, 'node_modules', '.cache', 'quotedeck', 'ohos-mqtt-paho');
  const out = path.join(dir, `paho_async-${hash}.node`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const args = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-fPIC', '-shared', '-I', nodeIncludeDir(), source,
    '-o', tmp, `-l${LIBRARY}`, '-lpthread'];
  try {
    execFileSync('cc', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    const text = `${err.stderr ?? ''}${err.message}`;
    fs.rmSync(tmp, { force: true });
    if (err.code === 'ENOENT') throw new PahoUnavailable('no C compiler (cc) to build the paho binding');
    if (/MQTTAsync\.h/.test(text)) throw new PahoUnavailable('paho.mqtt.c headers are missing: install the Debian package libpaho-mqtt-dev');
    if (/cannot find -l/.test(text)) throw new PahoUnavailable(`lib${LIBRARY} is missing: install the Debian packages libpaho-mqtt1.3 and libpaho-mqtt-dev`);
    throw new PahoUnavailable(`building the paho binding failed:\n${text}`);
  }
  fs.renameSync(tmp, out); // atomic: parallel test processes never load a half-written file
  return out;
}

let loaded: PahoBinding | PahoUnavailable | undefined;

/** The binding, built if needed; throws PahoUnavailable with the reason when it cannot be had. */
export function paho(): PahoBinding {
  if (loaded === undefined) {
    try {
      // QUOTEDECK_NO_PAHO=1 pretends the library is missing (to check that CI then fails loudly)
      if (process.env.QUOTEDECK_NO_PAHO === '1') throw new PahoUnavailable('QUOTEDECK_NO_PAHO=1: paho.mqtt.c treated as missing');
      const file = build(projectRoot());
      const binding = createRequire(import.meta.url)(file) as PahoBinding;
      // QUOTEDECK_PAHO_TRACE=1..7 prints paho's own trace to stderr (1 = everything)
      const traceLevel = Number(process.env.QUOTEDECK_PAHO_TRACE ?? 0);
      if (traceLevel > 0) binding.setTrace(traceLevel);
      loaded = binding;
    } catch (e) {
      loaded = e instanceof PahoUnavailable ? e : new PahoUnavailable(`loading the paho binding failed: ${(e as Error).message}`);
    }
  }
  if (loaded instanceof PahoUnavailable) throw loaded;
  return loaded;
}

/** Whether paho.mqtt.c can be used here: undefined when it can, else the reason. */
export function pahoUnavailableReason(): string | undefined {
  try {
    paho();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
