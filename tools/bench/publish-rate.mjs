#!/usr/bin/env node
// Quick measurement (not a test): can `quotefeed publish` sustain its target rate to an embedded
// broker on loopback? Runs `quotefeed broker` in its own process (the test kit's aedes process), a
// counting mqtt.js subscriber in this one, and `quotefeed publish` in a third; reports sent,
// received, rates and the publish→receive latency (payload timestamp vs receive time, ms resolution).
// Usage: node tools/bench/publish-rate.mjs [--quick]
import path from 'node:path';
import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { projectRoot } from '../node/bundle.mjs';
import { loadKit } from './kit.mjs';

const bin = path.join(projectRoot, 'tools', 'quotefeed', 'bin', 'quotefeed.js');
const quick = process.argv.includes('--quick');
const kit = await loadKit();

function run(args) {
  const child = kit.track(spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise((resolve) => child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); }));
  return { child, done };
}

function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function scenario(url, label, args) {
  const sub = mqtt.connect(url, { reconnectPeriod: 0 });
  await new Promise((r) => sub.once('connect', r));
  sub.stream.setNoDelay(true);
  await sub.subscribeAsync('finance/+/quotes', { qos: args.includes('--qos') ? 1 : 0 });
  const lat = [];
  const steady = [];
  let n = 0;
  let first = 0;
  let last = 0;
  sub.on('message', (_t, payload, packet) => {
    if (packet.retain) return;
    const now = Date.now();
    if (!n) first = now;
    n++;
    last = now;
    const l = now - JSON.parse(payload).timestamp;
    lat.push(l);
    if (now - first >= 1000) steady.push(l);
  });
  const pub = run(['publish', '--broker', url, '--no-retain', '--quiet', ...args]);
  const res = await pub.done;
  await new Promise((r) => setTimeout(r, 500));
  await sub.endAsync();
  const sent = Number(/published ([\d,]+)/.exec(res.out)?.[1].replace(/,/g, '') ?? NaN);
  const pubRate = /: ([\d,]+) msg\/s/.exec(res.out)?.[1];
  lat.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  const recvRate = Math.round(n / Math.max(0.001, (last - first) / 1000));
  console.log(`${label}: publisher ${pubRate} msg/s (${sent} sent, exit ${res.code}); subscriber ${n} received at ${recvRate} msg/s; latency p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${lat[lat.length - 1]} ms; after the first second p50 ${pct(steady, 50)} / p99 ${pct(steady, 99)} ms`);
  if (res.code !== 0) console.log(res.err.trim());
}

const broker = await kit.startAedesProcess();
const url = broker.mqttUrl;
try {
  const d = quick ? '2' : '5';
  await scenario(url, 'burst profile (10k msg/s target, QoS 0)', ['--profile', 'burst', '--duration', d]);
  await scenario(url, 'active profile (2k msg/s target, QoS 0)', ['--profile', 'active', '--duration', d]);
  await scenario(url, '10k msg/s, QoS 1', ['--profile', 'burst', '--qos', '1', '--duration', d]);
  if (!quick) await scenario(url, 'ceiling probe: 40k msg/s target, QoS 0', ['--profile', 'burst', '--rate', '40000', '--duration', '3']);
} finally {
  await broker.close();
}
