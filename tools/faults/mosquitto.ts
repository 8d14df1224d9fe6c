// A throw-away mosquitto for one fault scenario: its own temp folder, config and log, a random free
// port on 127.0.0.1, TCP_NODELAY, and persistence only when the scenario asks for it. It can be
// killed (SIGKILL: a crash, nothing saved), stopped (SIGTERM: mosquitto saves its database first) and
// started again on the same port with the same database. Every process is stopped by its own pid in
// stop()/close(), and a last-chance exit hook kills whatever a failing test left behind.
//
// When mosquitto is not installed, requireMosquitto() throws a clear error: the scenarios that need
// it then FAIL in `npm run test:faults` (they are marked @slow, so `npm test` does not run them).
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/bin/mosquitto', '/opt/homebrew/sbin/mosquitto'];

/**
 * Path of the mosquitto binary ($MOSQUITTO, the usual places, then PATH), or undefined.
 * QUOTEDECK_NO_MOSQUITTO=1 pretends it is missing (to check that the scenarios then fail loudly).
 */
export function findMosquitto(): string | undefined {
  if (process.env.QUOTEDECK_NO_MOSQUITTO === '1') return undefined;
  const fromEnv = process.env.MOSQUITTO;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  for (const c of CANDIDATES) if (fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found.length > 0 ? found : undefined;
}

/** The binary, or an Error that says what is missing and how to get it. */
export function requireMosquitto(): string {
  const bin = findMosquitto();
  if (bin === undefined) {
    throw new Error('mosquitto is not installed: this fault scenario runs against a real mosquitto 2.x broker. ' +
      'Install it (Debian/Ubuntu: apt-get install mosquitto; .ci/run does this) or set $MOSQUITTO to its path.');
  }
  return bin;
}

export interface MosquittoOptions {
  /** Keep sessions, queued messages and retained messages in a database across restarts. */
  persistence?: boolean;
  /** Seconds between automatic saves of the database (only with persistence; mosquitto's default 1800). */
  autosaveIntervalSec?: number;
  /** Per-client queue of QoS 1/2 messages beyond the in-flight ones; undefined keeps mosquitto's default (1000), 0 is unlimited. */
  maxQueuedMessages?: number;
  /** Largest packet the broker accepts (bytes); undefined keeps the default. */
  maxPacketSize?: number;
  /** TLS listener with this key and certificate (PEM files). */
  tls?: { keyFile: string; certFile: string };
  /** Extra config lines, appended as they are. */
  extra?: string[];
}

export interface Mosquitto {
  readonly port: number;
  /** tcp://127.0.0.1:port or ssl://127.0.0.1:port (the engine's form). */
  readonly url: string;
  /** mqtt://127.0.0.1:port or mqtts://… (mqtt.js's form). */
  readonly mqttUrl: string;
  readonly dir: string;
  /** pid of the running broker, undefined while it is down. */
  pid(): number | undefined;
  /** Every line of the broker's log so far (connection messages are on). */
  log(): string[];
  /** Crash: SIGKILL, nothing saved. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Clean stop: SIGTERM, mosquitto writes its database (if persistent) and exits. */
  stop(): Promise<void>;
  /** Starts the broker again on the same port with the same config and database folder. */
  start(): Promise<void>;
  /** Stops the broker (SIGKILL if needed) and removes its folder. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function configText(port: number, dir: string, o: MosquittoOptions): string {
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'set_tcp_nodelay true',
    `persistence ${o.persistence === true ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    'persistence_file mosquitto.db',
    `log_dest file ${path.join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    'log_timestamp true',
    'log_timestamp_format %s',
  ];
  if (o.persistence === true && o.autosaveIntervalSec !== undefined) lines.push(`autosave_interval ${o.autosaveIntervalSec}`);
  if (o.maxQueuedMessages !== undefined) lines.push(`max_queued_messages ${o.maxQueuedMessages}`);
  if (o.maxPacketSize !== undefined) lines.push(`max_packet_size ${o.maxPacketSize}`);
  if (o.tls !== undefined) {
    lines.push(`keyfile ${o.tls.keyFile}`, `certfile ${o.tls.certFile}`);
  }
  // Running as root, mosquitto would drop to the "mosquitto" user and could not write its folder.
  if (typeof process.getuid === 'function' && process.getuid() === 0) lines.push('user root');
  lines.push(...(o.extra ?? []));
  return `${lines.join('\n')}\n`;
}

/** Starts a mosquitto on a free loopback port and waits until it accepts connections. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = requireMosquitto();
  installExitHook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-mosquitto-'));
  const port = await freePort();
  const confFile = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(confFile, configText(port, dir, options));
  const logFile = path.join(dir, 'mosquitto.log');
  let child: ChildProcess | undefined;
  let stderr = '';

  const launch = async (): Promise<void> => {
    stderr = '';
    const c = spawn(bin, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    running.add(c);
    c.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    c.on('exit', () => running.delete(c));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join(' | ') : '';
        throw new Error(`mosquitto exited at start (code ${c.exitCode}): ${stderr.trim()} ${log}`.trim());
      }
      if (await canConnect(port)) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on 127.0.0.1:${port} within 10 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    if (c.pid !== undefined) process.kill(c.pid, signal);
    const timer = setTimeout(() => {
      if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  const scheme = options.tls !== undefined ? 'ssl' : 'tcp';
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    mqttUrl: `${options.tls !== undefined ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    dir,
    pid: () => (child !== undefined && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.length > 0) : []),
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    start: async () => {
      if (child !== undefined) throw new Error('mosquitto is already running');
      await launch();
    },
    close: async () => {
      await end('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Client connections mosquitto logged for `clientId` ("New client connected from … as <id> (p2, c0, k60)"),
 * with the protocol level: p2 = MQTT 3.1.1, p1 = MQTT 3.1, p5 = MQTT 5.
 */
export function mosquittoConnects(lines: string[], clientId: string): Array<{ at: number; protocol: string }> {
  const out: Array<{ at: number; protocol: string }> = [];
  const re = /^(\d+): New client connected from \S+ as (\S+) \((p\d)/;
  for (const line of lines) {
    const m = re.exec(line);
    if (m && m[2] === clientId) out.push({ at: Number(m[1]) * 1000, protocol: m[3] });
  }
  return out;
}
