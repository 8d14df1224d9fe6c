// R7 — a flood into a slow UI side. A publisher in its own process (harness/flood-publisher.mjs)
// runs 20k msg/s QoS 1 over 50 symbols; the engine
// coalesces (latest per symbol, one batch per 100 ms flush) and posts batches to the UI side, which
// here is slow: a worker-like asynchronous hop (FaultChannel) that takes `uiDelayMs` to apply each
// batch. Expected: the number of batches follows the flush clock, not the message rate; batches do
// not pile up between the feed and the UI; the heap stays bounded; and when the flood stops the
// store catches up to the exact final state (every tick of every symbol applied once).
// Before the flow-control fix (FeedEngine MAX_BATCHES_IN_FLIGHT + FeedCommand BATCH_APPLIED) a UI
// slower than the flush interval let batches queue without bound and the UI fell further behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ConnectionState, MAX_BATCHES_IN_FLIGHT } from '@quotedeck/core';
import { EngineUnderTest, attachTickAudit } from '../harness/engine';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { symbolNames } from '../harness/ticks';
import { Broker, projectPath, sleep, waitFor } from '../../../tools/testkit';
import { heapAfterGc } from './r6-hostile';

export interface FloodOptions {
  broker: Broker;
  ratePerSec: number;
  durationMs: number;
  uiDelayMs: number;
  symbols: number;
  /** Measure the engine without flow control (the UI does not acknowledge batches); skips the bounds checks. */
  noFlowControl?: boolean;
  log: (l: string) => void;
}

export interface FloodResult {
  broker: string;
  uiDelayMs: number;
  published: number;
  achievedRate: number;
  durationMs: number;
  catchUpMs: number;
  /** Batches the UI applied from the engine's last tick until it showed it. */
  uiBatchesBehind: number;
  batchesPosted: number;
  batchesPerSecond: number;
  maxBatchesQueued: number;
  heapBaselineMb: number;
  heapMaxMb: number;
  heapGrowthMb: number;
  heapEndMb: number;
  lostBatches: number;
}

export async function runFlood(o: FloodOptions): Promise<FloodResult> {
  const symbols = symbolNames(o.symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({
    url: o.broker.url, clientId: `qd-r7-${o.broker.kind}`, symbols, userName: 'quotes', password: PASSWORD, uiDelayMs: o.uiDelayMs,
    dropAcks: o.noFlowControl === true,
  });
  let sampling = true;
  const heap: number[] = [];
  const queued: number[] = [];
  try {
    engine.start();
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'connect');
    const baseline = heapAfterGc();
    const sampler = (async () => {
      while (sampling) {
        await sleep(500);
        heap.push(heapAfterGc());
        queued.push(engine.channel.queued());
      }
    })();
    // How far the UI is behind the engine, in batches rather than in time (which a busy machine
    // stretches): the batches the UI applied from the engine's last tick until it shows it.
    const audit = await attachTickAudit(engine);
    const deliveredAtTick = new Map<string, number>();
    audit.onEach = (q) => deliveredAtTick.set(q.symbol, engine.channel.batchesDelivered);
    let fed: FloodRun | undefined;
    let deliveredWhenCaughtUp = -1;
    const caughtUp = (): boolean => fed !== undefined &&
      symbols.every((s) => engine.item(s).ticks === fed!.published[s] && engine.item(s).price === fed!.last[s].price);
    const noteCaughtUp = (): void => {
      if (deliveredWhenCaughtUp < 0 && caughtUp()) deliveredWhenCaughtUp = engine.channel.batchesDelivered;
    };
    engine.channel.onBatchDelivered = noteCaughtUp;
    const postedBefore = engine.channel.batchesPosted;
    const started = Date.now();
    fed = await publishFlood(o.broker.url.replace(/^tcp:/, 'mqtt:'), o.symbols, o.ratePerSec, o.durationMs);
    const fedAt = Date.now();
    noteCaughtUp();
    await waitFor(caughtUp, 120000, 'the store catches up');
    const caughtUpAt = Date.now();
    sampling = false;
    await sampler;
    const elapsed = caughtUpAt - started;
    const posted = engine.channel.batchesPosted - postedBefore;
    for (const s of symbols) {
      const item = engine.item(s);
      assert.equal(item.price, fed.last[s].price);
      assert.equal(item.timestamp, fed.last[s].timestamp);
      assert.equal(item.ticks, fed.published[s], `${s}: every tick applied once`);
      assert.equal(item.gaps, 0);
    }
    assert.equal(engine.store.lostBatches, 0);
    // Batches follow the 100 ms flush clock (plus the few status-driven ones), whatever the rate.
    assert.ok(posted <= Math.ceil(elapsed / 100) + 10, `${posted} batches in ${elapsed} ms`);
    const heapMax = Math.max(...heap);
    // Flow control: never more than MAX_BATCHES_IN_FLIGHT batches between the feed and the UI, so
    // the UI is never more than a couple of batches behind and catches up at once.
    if (o.noFlowControl !== true) assert.ok(engine.channel.maxQueued <= MAX_BATCHES_IN_FLIGHT, `${engine.channel.maxQueued} batches waited for the UI at once`);
    // When the engine applied its last tick, at most MAX_BATCHES_IN_FLIGHT batches waited for the
    // UI; the next one carries that tick, and at most one more (counters only) can slip in before.
    const behind = deliveredWhenCaughtUp - Math.max(...deliveredAtTick.values());
    if (o.noFlowControl !== true) assert.ok(behind <= MAX_BATCHES_IN_FLIGHT + 2, `the UI applied ${behind} batches after the engine's last tick before it showed it`);
    assert.ok(heapMax - baseline < 32 * 1048576, `heap grew ${((heapMax - baseline) / 1048576).toFixed(1)} MB`);
    const result: FloodResult = {
      broker: o.broker.kind,
      uiDelayMs: o.uiDelayMs,
      published: fed.sent,
      achievedRate: Math.round(fed.rate),
      durationMs: Math.round(fed.elapsedMs),
      catchUpMs: caughtUpAt - fedAt,
      uiBatchesBehind: behind,
      batchesPosted: posted,
      batchesPerSecond: +((posted * 1000) / elapsed).toFixed(1),
      maxBatchesQueued: engine.channel.maxQueued,
      heapBaselineMb: +(baseline / 1048576).toFixed(1),
      heapMaxMb: +(heapMax / 1048576).toFixed(1),
      heapGrowthMb: +((heapMax - baseline) / 1048576).toFixed(1),
      heapEndMb: +(heapAfterGc() / 1048576).toFixed(1),
      lostBatches: engine.store.lostBatches,
    };
    o.log(`queue samples: ${queued.join(' ')}`);
    o.log(`heap samples MB: ${heap.map((h) => (h / 1048576).toFixed(0)).join(' ')}`);
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    return result;
  } finally {
    sampling = false;
    await engine.stop();
    watch.uninstall();
  }
}

interface FloodRun {
  sent: number;
  acked: number;
  elapsedMs: number;
  rate: number;
  published: Record<string, number>;
  last: Record<string, { seq: number; price: number; timestamp: number }>;
}

/** Runs harness/flood-publisher.mjs and returns what it published. */
function publishFlood(url: string, symbols: number, rate: number, durationMs: number): Promise<FloodRun> {
  const script = projectPath('tests', 'faults', 'harness', 'flood-publisher.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, url, String(symbols), String(rate), String(durationMs), '1', '4000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), durationMs + 90000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line.length === 0) {
        reject(new Error(`flood publisher failed (exit ${code}): ${err.trim()}`));
        return;
      }
      const r = JSON.parse(line) as FloodRun;
      if (r.acked !== r.sent) reject(new Error(`flood publisher: ${r.sent - r.acked} publishes not acknowledged`));
      else resolve(r);
    });
  });
}
