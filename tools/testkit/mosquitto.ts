// A throw-away mosquitto: its own temp folder, config and log, a random free port on 127.0.0.1,
// TCP_NODELAY, and persistence only when asked for. It can be killed (SIGKILL: a crash, nothing
// saved), stopped (SIGTERM: mosquitto saves its database first) and started again on the same port
// with the same database. Every process is stopped by its own pid (processes.ts).
//
// When mosquitto is not installed, startMosquitto() throws a clear error: the fault scenarios that
// need it then FAIL in `npm run test:faults` (they are @slow, so `npm test` does not run them).
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Broker, ConnectRecord, brokerUrls } from './broker';
import { freePort, waitForListening } from './ports';
import { stop, track } from './processes';
import type { TestPki } from './tls';

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
    throw new Error('mosquitto is not installed: this scenario runs against a real mosquitto 2.x broker. ' +
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
  /**
   * TLS listener with this key and certificate (PEM files); with `caFile` client certificates are
   * checked against it, and with `requireCertificate` a client without one is refused (mutual TLS).
   */
  tls?: { keyFile: string; certFile: string; caFile?: string; requireCertificate?: boolean };
  /** No log at all (benches); connects() then throws. */
  quiet?: boolean;
  /** Extra config lines, appended as they are. */
  extra?: string[];
}

export interface Mosquitto extends Broker {
  readonly kind: 'mosquitto';
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
}

function configText(port: number, dir: string, o: MosquittoOptions): string {
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'set_tcp_nodelay true',
    `persistence ${o.persistence === true ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    'persistence_file mosquitto.db',
  ];
  if (o.quiet === true) {
    lines.push('log_dest none');
  } else {
    lines.push(`log_dest file ${path.join(dir, 'mosquitto.log')}`, 'log_type error', 'log_type warning', 'log_type notice',
      'log_type information', 'connection_messages true', 'log_timestamp true', 'log_timestamp_format %s');
  }
  if (o.persistence === true && o.autosaveIntervalSec !== undefined) lines.push(`autosave_interval ${o.autosaveIntervalSec}`);
  if (o.maxQueuedMessages !== undefined) lines.push(`max_queued_messages ${o.maxQueuedMessages}`);
  if (o.maxPacketSize !== undefined) lines.push(`max_packet_size ${o.maxPacketSize}`);
  if (o.tls !== undefined) lines.push(`keyfile ${o.tls.keyFile}`, `certfile ${o.tls.certFile}`);
  if (o.tls?.caFile !== undefined) lines.push(`cafile ${o.tls.caFile}`);
  if (o.tls?.requireCertificate === true) lines.push('require_certificate true');
  // Running as root, mosquitto would drop to the "mosquitto" user and could not write its folder.
  if (typeof process.getuid === 'function' && process.getuid() === 0) lines.push('user root');
  lines.push(...(o.extra ?? []));
  return `${lines.join('\n')}\n`;
}

/** Starts a mosquitto on a free loopback port and waits until it accepts connections. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = requireMosquitto();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-mosquitto-'));
  const port = await freePort();
  const confFile = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(confFile, configText(port, dir, options));
  const logFile = path.join(dir, 'mosquitto.log');
  const log = (): string[] => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.length > 0) : []);
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    let stderr = '';
    const c = track(spawn(bin, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] }));
    child = c;
    c.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    await waitForListening(port, 10_000, () => {
      if (c.exitCode === null && c.signalCode === null) return undefined;
      return `mosquitto exited at start (code ${c.exitCode}): ${stderr.trim()} ${log().slice(-5).join(' | ')}`.trim();
    });
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (c !== undefined) await stop(c, signal);
  };

  const connects = (): ConnectRecord[] => {
    if (options.quiet === true) throw new Error('a quiet mosquitto keeps no log of its CONNECTs');
    return mosquittoConnects(log());
  };

  await launch();
  let closed = false;
  return {
    kind: 'mosquitto',
    port,
    ...brokerUrls('127.0.0.1', port, options.tls !== undefined),
    dir,
    pid: () => (child !== undefined && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    log,
    connects,
    connectsOf: (id) => connects().filter((c) => c.id === id),
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    start: async () => {
      if (child !== undefined) throw new Error('mosquitto is already running');
      await launch();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await end('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PROTOCOL_LEVELS: Record<string, number> = { p1: 3, p2: 4, p5: 5 };

/**
 * The client connections in mosquitto's log ("<time>: New client connected from … as <id> (p2, c1,
 * k60…)"): p1 = MQTT 3.1, p2 = 3.1.1, p5 = 5; c1 = clean session.
 */
export function mosquittoConnects(lines: string[]): ConnectRecord[] {
  const out: ConnectRecord[] = [];
  const re = /^\d+: New client connected from \S+ as (\S+) \((p\d), c(\d)/;
  for (const line of lines) {
    const m = re.exec(line);
    if (m) out.push({ id: m[1], version: PROTOCOL_LEVELS[m[2]] ?? 0, clean: m[3] === '1' });
  }
  return out;
}

/** mosquitto with TLS from `pki` that refuses a client without a certificate from pki's CA (mutual TLS). */
export function startMutualTlsMosquitto(pki: TestPki): Promise<Mosquitto> {
  return startMosquitto({
    tls: { keyFile: pki.serverKeyFile, certFile: pki.serverCertFile, caFile: pki.caFile, requireCertificate: true },
  });
}
