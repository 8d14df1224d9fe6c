#!/usr/bin/env node
// A flood publisher in its own process (R7), so that publishing 20k msg/s does not compete for the
// test process's core with the broker (aedes runs in-process) and the engine.
// Usage: node tests/faults/harness/flood-publisher.mjs <mqtt://host:port> <symbols> <ratePerSec> <durationMs> [qos] [window]
// Publishes {"symbol","price","timestamp","seq","volume","prevClose"} round-robin on
// finance/<SYMnnn>/quotes (seq per symbol 1, 2, 3…), waits for every PUBACK, then prints one JSON line:
// {sent, acked, elapsedMs, rate, published: {SYM: n}, last: {SYM: {seq, price, timestamp}}}.
import mqtt from 'mqtt';

const [url, symbolsArg, rateArg, durationArg, qosArg, windowArg] = process.argv.slice(2);
const nSymbols = Number(symbolsArg ?? 50);
const rate = Number(rateArg ?? 20000);
const durationMs = Number(durationArg ?? 5000);
const qos = Number(qosArg ?? 1);
const window = Number(windowArg ?? 4000);
const symbols = Array.from({ length: nSymbols }, (_v, i) => `SYM${String(i).padStart(3, '0')}`);
const seqs = new Array(nSymbols).fill(0);
const last = {};

function priceAt(i, seq) {
  return Math.round((50 + i * 3 + (seq % 997) / 10) * 100) / 100;
}

const client = await mqtt.connectAsync(url, { clientId: `qd-flood-${process.pid}`, reconnectPeriod: 0, clean: true, connectTimeout: 5000 });
client.stream.setNoDelay?.(true);
let sent = 0;
let acked = 0;
let failed = 0;
let rr = 0;
let wake;
const start = performance.now();
for (;;) {
  const elapsed = performance.now() - start;
  if (elapsed >= durationMs) break;
  let due = Math.floor((elapsed * rate) / 1000) - sent;
  while (due > 0 && sent - acked - failed < window) {
    const i = rr;
    rr = (rr + 1) % nSymbols;
    const seq = ++seqs[i];
    const price = priceAt(i, seq);
    const timestamp = Date.now();
    const symbol = symbols[i];
    last[symbol] = { seq, price, timestamp };
    sent++;
    due--;
    client.publish(`finance/${symbol}/quotes`, JSON.stringify({ symbol, price, timestamp, seq, volume: seq * 10, prevClose: 50 }), { qos, retain: false }, (err) => {
      if (err) failed++;
      else acked++;
      if (wake) {
        const w = wake;
        wake = undefined;
        w();
      }
    });
  }
  if (sent - acked - failed >= window) await new Promise((r) => { wake = r; });
  else await new Promise((r) => setTimeout(r, 2));
}
const elapsedMs = performance.now() - start;
const deadline = Date.now() + 60000;
while (acked + failed < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
const published = {};
symbols.forEach((s, i) => { published[s] = seqs[i]; });
process.stdout.write(`${JSON.stringify({ sent, acked, failed, elapsedMs, rate: (sent * 1000) / elapsedMs, published, last })}\n`);
await client.endAsync();
