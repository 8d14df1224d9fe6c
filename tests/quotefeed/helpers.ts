// Shared helpers for the quotefeed tests: the project root, spawning the real CLI through its bin
// with a hard timeout, free ports on 127.0.0.1, and a plain mqtt.js subscriber that collects.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, ChildProcess } from 'node:child_process';
import type { MqttClient } from 'mqtt';
import { loadMqtt } from '../../tools/quotefeed/src/deps';

export function projectRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'quotedeck') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('run the tests from inside the QuoteDeck project');
    dir = parent;
  }
}

export const BIN = path.join(projectRoot(), 'tools', 'quotefeed', 'bin', 'quotefeed.js');
export const FIXTURES = path.join(projectRoot(), 'tests', 'quotefeed', 'fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface SpawnOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts the CLI; `done` resolves when it exits (SIGKILLed after timeoutMs). */
export function startCli(args: string[], opts: SpawnOptions = {}): { child: ChildProcess; done: Promise<CliResult>; stderrLines: () => string[] } {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, done, stderrLines: () => stderr.split('\n').filter(Boolean) };
}

export function runCli(args: string[], opts: SpawnOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Waits until `pred` holds, polling every 10 ms, or throws after timeoutMs. */
export async function waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Received {
  topic: string;
  payload: Record<string, unknown>;
  retain: boolean;
  at: number;
}

export interface Collector {
  client: MqttClient;
  messages: Received[];
  close(): Promise<void>;
}

/** A plain mqtt.js subscriber that collects every message on `filter`. */
export async function subscribe(url: string, filter = 'finance/+/quotes', qos: 0 | 1 = 0): Promise<Collector> {
  const mqtt = await loadMqtt();
  const messages: Received[] = [];
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000 });
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: JSON.parse(payload.toString()), retain: packet.retain, at: performance.now() });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(filter, { qos });
  return { client, messages, close: () => client.endAsync(true) };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'quotefeed-test-'));
}

/** The non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
