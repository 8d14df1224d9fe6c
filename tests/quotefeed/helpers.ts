// Shared helpers for the quotefeed tests: spawning the real CLI through its bin with a hard timeout,
// a plain mqtt.js subscriber that collects, temp folders. Ports and waits come from the test kit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, ChildProcess } from 'node:child_process';
import type { MqttClient } from 'mqtt';
import { loadMqtt } from '../../tools/quotefeed/src/deps';
import { projectPath, track } from '../../tools/testkit';

export const BIN = projectPath('tools', 'quotefeed', 'bin', 'quotefeed.js');
export const FIXTURES = projectPath('tests', 'quotefeed', 'fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SpawnOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts the CLI; `done` resolves when it exits (SIGKILLed after timeoutMs). */
export function startCli(args: string[], opts: SpawnOptions = {}): { child: ChildProcess; done: Promise<CliResult>; stderrLines: () => string[] } {
  const started = Date.now();
  const child = track(spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, done, stderrLines: () => stderr.split('\n').filter(Boolean) };
}

export function runCli(args: string[], opts: SpawnOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
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
