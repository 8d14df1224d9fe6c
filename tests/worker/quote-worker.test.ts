// The real quote worker (entry/src/main/ets/workers/QuoteWorker.ets) in a Node worker thread with no
// ArkUI in it, as on a phone: bundled without the UI test globals, so a UI decorator, AppStorage or
// UI module reached through its imports breaks it while it loads. The UI side is the app's own:
// FeedSupervisor over WorkerFeedChannel (entry), FeedClient and QuoteStore (ui). Commands and
// events cross by structured clone through the @kit.ArkTS worker double (tools/node/kits/worker.ts),
// which is as strict as OpenHarmony 5.0's worker: posting after the worker ended throws 10200004.
import { afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mqtt from 'mqtt';
import { nodeWorkers, worker } from '@kit.ArkTS';
import {
  AlertKind, AlertRule, Bar, BarSnapshot, BarSnapshotReject, ConnectionOptions, ConnectionState, FeedChannel, FeedChannelFactory, FeedMode, FeedStartConfig,
  FeedSupervisor, InProcessFeedChannel, MathRandom, MINUTE_MS, RejectReason, SystemClock, SystemTimers, encodeBarSnapshot
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { BarInterval, ChartState, FeedClient, QuoteStore } from '@quotedeck/ui';
import { PayloadSigner, publicKeyText, rawOfPublicKey } from '../../tools/quotefeed/src/index';
import { WorkerFeedChannel } from '../../entry/src/main/ets/feed/WorkerFeedChannel';
import { startAedes as startBroker, waitFor } from '../../tools/testkit';
import { testStartConfig, connectPublisher } from '../../tools/testkit/feed';

const WORKER_URL = 'entry/ets/workers/QuoteWorker.ets';
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', '0700.HK', 'BTC-USD'];
const root = process.cwd();
let quoteWorkerBundle = '';
let bundleDir = '';
let bundleWorker: (entry: string, out: string) => Promise<string>;

before(async () => {
  // At run time, from the project (a bundled test cannot bundle esbuild itself).
  const bundler = await import(pathToFileURL(path.join(root, 'tools/node/bundle.mjs')).href);
  bundleDir = fs.mkdtempSync(bundler.cacheDir('worker-test-'));
  bundleWorker = (entry: string, out: string) => bundler.bundleForNode(entry, out, { thread: 'worker' });
  quoteWorkerBundle = await bundleWorker(path.join(root, 'entry/src/main/ets/workers/QuoteWorker.ets'),
    path.join(bundleDir, 'QuoteWorker.mjs'));
  process.on('exit', () => fs.rmSync(bundleDir, { recursive: true, force: true }));
});

// A failed test must not leave a worker behind for the next one.
afterEach(() => {
  for (const w of nodeWorkers.running()) {
    try {
      w.terminate();
    } catch {
      // already ended
    }
  }
});

const LIMIT = { timeout: 60_000 };

/** Runs every cleanup step even when one fails (a listening broker would keep the run alive), then reports the first failure. */
async function cleanup(...steps: Array<() => Promise<unknown>>): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** The app's channels (AppFeedChannels) with the Node @ohos/mqtt emulation under both. */
class Channels implements FeedChannelFactory {
  workerChannel(onFailure: (reason: string) => void): FeedChannel {
    return new WorkerFeedChannel(onFailure);
  }

  uiThreadChannel(): FeedChannel {
    return new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  }
}

/** The UI thread of the app: supervisor, feed client, store and chart, as AppServices wires them. */
class UiSide {
  readonly store = new QuoteStore();
  readonly chart = new ChartState();
  readonly supervisor = new FeedSupervisor(new Channels(), FeedMode.WORKER, new SystemTimers());
  readonly client = new FeedClient(this.supervisor, this.store, new SystemClock());
  readonly fallbacks: string[] = [];

  constructor() {
    this.supervisor.onFallback = (reason: string) => this.fallbacks.push(reason);
    this.client.attachChart(this.chart);
  }

  /** What the app sends at a cold start from an alert notification: rules, the chart, START. */
  start(url: string, clientId: string, chartSymbol: string): void {
    this.openChart(chartSymbol);
    this.client.start(startConfig(url, clientId));
  }

  openChart(chartSymbol: string): void {
    this.client.setAlertRules([priceAbove('MSFT', 1e6)]);
    this.chart.open(chartSymbol);
    this.client.setChartSymbol(chartSymbol);
  }

  /** Stops the feed (bounded: a broken feed must not hang the test) and closes its channel. */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.client.stop(), new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      this.supervisor.close();
    }
  }
}

function priceAbove(symbol: string, level: number): AlertRule {
  const r = new AlertRule();
  r.id = 'far-above';
  r.symbol = symbol;
  r.kind = AlertKind.CROSSES_ABOVE;
  r.level = level;
  return r;
}

function startConfig(url: string, clientId: string): FeedStartConfig {
  return testStartConfig(url, clientId, SYMBOLS);
}

function payload(symbol: string, seq: number, price: number): string {
  return JSON.stringify({ symbol, price, timestamp: Date.now(), seq, volume: seq * 100, prevClose: 100 });
}

/** Publishes seq from..to for every symbol at QoS 1; returns the last price of each symbol. */
async function publishRange(pub: mqtt.MqttClient, from: number, to: number): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  const sends: Promise<unknown>[] = [];
  for (let seq = from; seq <= to; seq++) {
    for (const s of SYMBOLS) {
      const price = 100 + seq / 100 + SYMBOLS.indexOf(s);
      last.set(s, price);
      sends.push(pub.publishAsync(`finance/${s}/quotes`, payload(s, seq, price), { qos: 1 }));
    }
  }
  await Promise.all(sends);
  return last;
}

function runningWorker(): worker.ThreadWorker {
  const running = nodeWorkers.running();
  assert.equal(running.length, 1, 'one quote worker');
  return running[0];
}

test('the real quote worker, with no ArkUI in its thread, carries a QoS 1 feed into the store: exact final state', LIMIT, async () => {
  nodeWorkers.register(WORKER_URL, quoteWorkerBundle);
  const broker = await startBroker();
  const pub = await connectPublisher(broker.url);
  const ui = new UiSide();
  try {
    ui.start(broker.url, 'quotedeck-worker-1', 'AAPL');
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'engine connected in the worker');
    await new Promise((r) => setTimeout(r, 200)); // the subscription follows the CONNACK
    const last = await publishRange(pub, 1, 200);
    await pub.publishAsync('finance/AAPL/quotes', '{"symbol":"AAPL","price":-5,"timestamp":1}', { qos: 1 });
    await pub.publishAsync('finance/AAPL/quotes', 'not json', { qos: 1 });
    await pub.publishAsync('finance/ZZZZ/quotes', payload('ZZZZ', 1, 5), { qos: 1 });
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)) &&
      ui.store.stats.rejectedByReason[RejectReason.NOT_JSON] === 1, 15000, 'final prices');
    await new Promise((r) => setTimeout(r, 300));
    for (const s of SYMBOLS) {
      const item = ui.store.item(s)!;
      assert.equal(item.price, last.get(s), `${s} final price`);
      assert.equal(item.ticks, 200, `${s}: each tick applied once`);
      assert.equal(item.gaps, 0);
      assert.equal(item.stale, false);
      assert.equal(item.change, last.get(s)! - 100);
    }
    assert.equal(ui.store.stats.accepted, 1000);
    assert.equal(ui.store.stats.droppedUnwatched, 1);
    assert.equal(ui.store.stats.rejectedByReason[RejectReason.BAD_PRICE], 1);
    assert.equal(ui.store.stats.rejectedByReason[RejectReason.NOT_JSON], 1);
    assert.equal(ui.store.lostBatches, 0);
    assert.equal(ui.chart.symbol, 'AAPL');
    assert.equal(ui.chart.lastClose, last.get('AAPL'), 'the chart got its bars from the worker');
    // It all ran in the worker: no fallback happened.
    assert.deepEqual(ui.fallbacks, []);
    assert.equal(ui.supervisor.mode(), FeedMode.WORKER);
    assert.ok(ui.client.batchesApplied < 200, `${ui.client.batchesApplied} batches: coalesced`);
  } finally {
    await cleanup(() => ui.stop(), () => pub.endAsync(), () => broker.close());
  }
});

test('a worker whose imports reach UI code dies while loading; posting to it falls back without a throw, chart restored', LIMIT, async () => {
  // The worker as it was before the split of `common`: one import of a HAR holding @ObservedV2
  // classes and AppStorageV2 providers.
  const entry = path.join(bundleDir, 'QuoteWorkerWithUi.ets');
  fs.writeFileSync(entry, `import '@quotedeck/ui';\nimport ${JSON.stringify(path.join(root, 'entry/src/main/ets/workers/QuoteWorker.ets'))};\n`);
  nodeWorkers.register(WORKER_URL, await bundleWorker(entry, path.join(bundleDir, 'QuoteWorkerWithUi.mjs')));
  const broker = await startBroker();
  const pub = await connectPublisher(broker.url);
  const ui = new UiSide();
  try {
    const thread = runningWorker();
    const errors: string[] = [];
    thread.on('error', (e: Object) => errors.push((e as { message: string }).message));
    // A cold start from an alert notification: rules and the chart go out while the worker loads
    // (accepted, then lost with it)...
    ui.openChart('MSFT');
    assert.deepEqual(ui.fallbacks, []);
    // ...the app awaits preferences and the Asset Store, the worker dies meanwhile...
    assert.ok(thread.waitThreadEnded(10000), 'the worker thread ended while loading');
    // ...and START is posted before the worker's onerror has reached the UI thread.
    assert.throws(() => thread.postMessage({ probe: 1 }), (e: { code?: number; message?: string }) =>
      e.code === 10200004 && /^The Worker instance is not running/.test(e.message ?? ''));
    assert.doesNotThrow(() => ui.client.start(startConfig(broker.url, 'quotedeck-worker-2')));
    assert.equal(ui.supervisor.mode(), FeedMode.UI_THREAD);
    assert.equal(ui.fallbacks.length, 1);
    assert.match(ui.fallbacks[0], /^posting to the quote worker failed: code 10200004, The Worker instance is not running/);
    // The worker's own error arrives later: the phone's "ReferenceError: … is not defined".
    await waitFor(() => errors.length > 0, 5000, 'onerror of the dead worker');
    assert.match(errors[0], /^ReferenceError: (ObservedV2|Trace|Local|Monitor) is not defined/);
    await waitFor(() => nodeWorkers.running().length === 0, 5000, 'onexit of the dead worker');
    assert.throws(() => thread.terminate(), (e: { code?: number }) => e.code === 10200004);
    assert.equal(ui.fallbacks.length, 1, 'one fallback, however many ways the worker reported its end');

    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'the UI-thread feed connected');
    await new Promise((r) => setTimeout(r, 200));
    const last = await publishRange(pub, 1, 20);
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)), 10000, 'quotes on the UI thread');
    assert.equal(ui.store.item('MSFT')!.ticks, 20);
    // The chart open at the fallback gets its bars: the chart symbol was sent to the new feed.
    await waitFor(() => ui.chart.lastClose === last.get('MSFT'), 5000, 'chart bars of MSFT');
    assert.equal(ui.chart.symbol, 'MSFT');
  } finally {
    await cleanup(() => ui.stop(), () => pub.endAsync(), () => broker.close());
  }
});

test('a worker that crashes while streaming: onerror, the feed moves to the UI thread with its chart, quotes keep coming', LIMIT, async () => {
  nodeWorkers.register(WORKER_URL, quoteWorkerBundle);
  const broker = await startBroker();
  const pub = await connectPublisher(broker.url);
  const ui = new UiSide();
  try {
    ui.start(broker.url, 'quotedeck-worker-3', 'NVDA');
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'engine connected in the worker');
    await new Promise((r) => setTimeout(r, 200));
    let last = await publishRange(pub, 1, 20);
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)), 10000, 'quotes from the worker');
    runningWorker().crash('native crash in the MQTT library');
    await waitFor(() => ui.fallbacks.length === 1, 5000, 'the fallback');
    assert.match(ui.fallbacks[0], /^quote worker failed: Error: native crash in the MQTT library/);
    assert.equal(ui.supervisor.mode(), FeedMode.UI_THREAD);
    // Posting while the feed moves over must never throw (a @Monitor calling setSymbols, say).
    assert.doesNotThrow(() => ui.client.setSymbols(SYMBOLS.slice()));
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'the UI-thread feed connected');
    await new Promise((r) => setTimeout(r, 200));
    last = await publishRange(pub, 21, 40);
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)), 10000, 'quotes on the UI thread');
    for (const s of SYMBOLS) assert.equal(ui.store.item(s)!.stale, false);
    await waitFor(() => ui.chart.lastClose === last.get('NVDA'), 5000, 'chart bars of NVDA after the fallback');
    await waitFor(() => nodeWorkers.running().length === 0, 5000, 'the crashed worker ended');
    assert.equal(ui.fallbacks.length, 1);
  } finally {
    await cleanup(() => ui.stop(), () => pub.endAsync(), () => broker.close());
  }
});

/** A proxy whose links can freeze: the broker side closes, the app's side stays open and silent. */
async function startFreezingProxy(targetPort: number): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    // What a phone suspended in the background comes back to: the broker dropped the link after
    // 1.5x keep-alive, but the phone's socket never heard of it (no FIN reached it).
    freeze: () => {
      for (const pair of [...pairs]) {
        const [client, upstream] = pair;
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.destroy();
        client.removeAllListeners('data');
        client.on('data', () => undefined); // swallowed: no answer will ever come
        client.on('error', () => undefined);
        pairs.delete(pair);
      }
    },
    close: async () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      server.close();
    },
  };
}

test('a background/foreground cycle: the link that died while suspended is replaced at once, in the worker', LIMIT, async () => {
  nodeWorkers.register(WORKER_URL, quoteWorkerBundle);
  const broker = await startBroker();
  const proxy = await startFreezingProxy(broker.port);
  const pub = await connectPublisher(broker.url);
  const ui = new UiSide();
  try {
    ui.start(proxy.url, 'quotedeck-worker-4', 'AAPL');
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'engine connected');
    await new Promise((r) => setTimeout(r, 200));
    let last = await publishRange(pub, 1, 5);
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)), 10000, 'first quotes');
    proxy.freeze();
    // Nothing tells the library (keep-alive 60 s): left alone it would show CONNECTED for a minute.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(ui.store.status.state, ConnectionState.CONNECTED);
    last = await publishRange(pub, 6, 10); // queued by the broker for the persistent session
    const back = Date.now();
    ui.client.checkLink(); // EntryAbility.onForeground → AppServices.onForeground
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED && ui.store.status.reconnects === 1,
      15000, 'a fresh link');
    const took = Date.now() - back;
    assert.ok(took < 10000, `reconnected ${took} ms after the return, well before 1.5x keep-alive (90 s)`);
    await waitFor(() => SYMBOLS.every((s) => ui.store.item(s)?.price === last.get(s)), 10000, 'quotes queued while frozen');
    for (const s of SYMBOLS) assert.equal(ui.store.item(s)!.gaps, 0, `${s}: nothing lost`);
    assert.equal(ui.supervisor.mode(), FeedMode.WORKER);
  } finally {
    await cleanup(() => ui.stop(), () => pub.endAsync(), () => proxy.close(), () => broker.close());
  }
});

// Signed bar snapshots (docs/payload.md "Signed bar snapshots") are verified in the worker too, with
// the phone's OhosSignatureVerifier that QuoteWorker.ets installs.
test('the worker refuses forged bar snapshots by reason and charts only the one signed by the trusted key', LIMIT, async () => {
  nodeWorkers.register(WORKER_URL, quoteWorkerBundle);
  const broker = await startBroker();
  const pub = await connectPublisher(broker.url);
  const ui = new UiSide();
  const key = (): { signer: PayloadSigner; text: string } => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    return { signer: new PayloadSigner(privateKey), text: publicKeyText(rawOfPublicKey(publicKey)) };
  };
  const owner = key();
  const attacker = key();
  try {
    ui.openChart('AAPL');
    const config = startConfig(broker.url, 'quotedeck-worker-signed-bars');
    config.trustedKeys = [owner.text];
    ui.client.start(config);
    await waitFor(() => ui.store.status.state === ConnectionState.CONNECTED, 10000, 'engine connected in the worker');
    await new Promise((r) => setTimeout(r, 200));
    const topic = 'finance/AAPL/bars/1m';
    const asOf = Date.now() - 1000;
    const minute = Math.floor(asOf / MINUTE_MS) * MINUTE_MS;
    const history = (price: number): string => encodeBarSnapshot(new BarSnapshot('AAPL', MINUTE_MS, asOf,
      [0, 1, 2].map((i) => new Bar(minute - (2 - i) * MINUTE_MS, price, price + 1, price - 1, price, 10, 0))));
    await pub.publishAsync(topic, history(9000), { qos: 1 });
    await pub.publishAsync(topic, attacker.signer.sign(topic, history(9000)), { qos: 1 });
    await pub.publishAsync(topic, owner.signer.sign(topic, history(120)), { qos: 1 });
    await waitFor(() => ui.chart.barSnapshotStats().received === 3 && ui.chart.barCount === 3, 10000, 'snapshots handled');
    const stats = ui.chart.barSnapshotStats();
    assert.equal(stats.rejectedByReason[BarSnapshotReject.UNSIGNED], 1);
    assert.equal(stats.rejectedByReason[BarSnapshotReject.UNKNOWN_KEY], 1);
    assert.equal(stats.applied, 1);
    assert.equal(ui.chart.snapshotsForged, 2);
    assert.deepEqual(ui.chart.bars(BarInterval.ONE_MINUTE).map((b) => b.close), [120, 120, 120]);
    assert.deepEqual(ui.fallbacks, []);
    assert.equal(ui.supervisor.mode(), FeedMode.WORKER);
  } finally {
    await cleanup(() => ui.stop(), () => pub.endAsync(), () => broker.close());
  }
});

test('the worker double is as strict as the device: clones drop prototypes, functions refuse, an ended worker refuses', LIMIT, async () => {
  const entry = path.join(bundleDir, 'Echo.ts');
  fs.writeFileSync(entry, [
    "import { worker } from '@kit.ArkTS';",
    'const port = worker.workerPort;',
    'port.onmessage = (e) => {',
    '  const d = e.data as { close?: boolean };',
    '  port.postMessage({ plain: Object.getPrototypeOf(e.data) === Object.prototype, echo: e.data });',
    '  if (d.close) { port.close(); port.postMessage({ afterClose: true }); }',
    '};',
  ].join('\n'));
  nodeWorkers.register('entry/ets/workers/Echo.ets', await bundleWorker(entry, path.join(bundleDir, 'Echo.mjs')));
  assert.throws(() => worker.workerPort, /only inside a worker thread/);
  assert.throws(() => new worker.ThreadWorker('entry/ets/workers/Missing.ets'), (e: { code?: number }) => e.code === 10200007);
  const w = new worker.ThreadWorker('entry/ets/workers/Echo.ets');
  const got: Array<Record<string, unknown>> = [];
  let exitCode = -1;
  let messageErrors = 0;
  w.onmessage = (e) => got.push(e.data as Record<string, unknown>);
  w.onmessageerror = () => messageErrors++;
  w.onerror = () => undefined;
  w.onexit = (code: number) => { exitCode = code; };
  class Quote { symbol = 'AAPL'; price(): number { return 1; } }
  w.postMessage(new Quote());
  await waitFor(() => got.length === 1, 5000, 'echo');
  assert.equal(got[0].plain, true, 'the worker got a plain object');
  assert.deepEqual(got[0].echo, { symbol: 'AAPL' });
  assert.throws(() => w.postMessage({ f: () => 1 }), (e: { code?: number }) => e.code === 10200006);
  assert.equal(messageErrors, 1);
  w.postMessage({ close: true });
  await waitFor(() => exitCode !== -1, 5000, 'onexit');
  assert.equal(exitCode, 0);
  assert.equal(got.filter((m) => m.afterClose).length, 0, 'a closed worker posts nothing');
  assert.throws(() => w.postMessage({}), (e: { code?: number }) => e.code === 10200004);
  assert.throws(() => w.terminate(), (e: { code?: number }) => e.code === 10200004);
});
