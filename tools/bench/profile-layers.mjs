#!/usr/bin/env node
// Attributes a subscriber's V8 CPU profile (BENCH_PROFILE=<dir> npm run bench -- --only=b1) to the
// layers of the pipeline, over the receiving window only (from the first PUBLISH mqtt.js handles):
//   node tools/bench/profile-layers.mjs <file.cpuprofile>...
// Each sample goes to the innermost layer on its stack that is listed below, in this order.
import fs from 'node:fs';
import path from 'node:path';

// The app's code and the @ohos/mqtt emulation are bundled into the subscriber (url ends with
// subscriber.mjs); mqtt.js and its parser live in node_modules.
const APP = (url) => url.endsWith('subscriber.mjs');
const MQTTJS = (url) => /node_modules\/(mqtt|mqtt-packet|bl|readable-stream)\//.test(url);
const LAYERS = [
  // [layer, function names, where] — the first layer found walking up from the leaf wins.
  ['engine: codec (QuoteCodec.decode)', ['decode', 'scan', 'scanNumber', 'decodeFields'], APP],
  ['engine: processor (dedupe, stats)', ['accept'], APP],
  ['engine: alert rules (50, TickObserver)', ['evaluate', 'evaluateInto'], APP],
  ['engine: coalescer + flush + batch', ['markChanged', 'scheduleFlush', 'flushNow', 'drain'], APP],
  ['store: QuoteStore.apply', ['applySnapshot', 'onEvent'], APP],
  ['engine: ingest (rest)', ['ingest'], APP],
  ['app adapter + session (OhosMqttTransport, MqttSession)', ['onMessageArrived', 'handleMessage'], APP],
  ['@ohos/mqtt emulation (packet → MqttMessage, dispatch)', ['onPublish', 'toMqttMessage', 'deliver', 'drainOutbox', 'v5Properties'], APP],
  ['mqtt.js (socket read, packet parse, acks)', null, MQTTJS],
];

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOf = new Map();
  const classify = (id) => {
    if (layerOf.has(id)) return layerOf.get(id);
    const stack = [];
    for (let x = id; x !== undefined; x = parent.get(x)) stack.push(byId.get(x).callFrame);
    const leaf = stack[0].functionName;
    let layer = leaf === '(garbage collector)' ? 'garbage collector' : leaf === '(idle)' || leaf === '(program)' ? 'idle' : 'other (timers, event loop, startup)';
    if (layer.startsWith('other')) {
      outer: for (const frame of stack) {
        for (const [name, fns, where] of LAYERS) {
          if ((fns === null || fns.includes(frame.functionName)) && where(frame.url)) { layer = name; break outer; }
        }
      }
    }
    layerOf.set(id, layer);
    return layer;
  };
  const isPublish = (id) => {
    for (let x = id; x !== undefined; x = parent.get(x)) if (byId.get(x).callFrame.functionName === 'handlePublish') return true;
    return false;
  };
  let t = p.startTime;
  let started = false;
  const totals = new Map();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const id = p.samples[i];
    if (!started && isPublish(id)) started = true;
    if (!started) continue;
    const layer = classify(id);
    if (layer === 'idle') continue;
    const dt = p.timeDeltas[i + 1] ?? 0;
    busy += dt;
    totals.set(layer, (totals.get(layer) ?? 0) + dt);
  }
  console.log(`${path.basename(file)}: ${(busy / 1000).toFixed(0)} ms busy while receiving`);
  for (const [layer, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${layer}`);
  }
}
