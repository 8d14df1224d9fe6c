// Subscriber for the network benches (its own process, forked by run.mjs with an IPC channel).
// Modes:
//   bare    mqtt.js client that only counts messages: the baseline.
//   ohos    the @ohos/mqtt client as the app sees it on Node (the emulation over mqtt.js) doing the
//           app's transport-level work and nothing else (see ohosMode): the denominator of B1.
//   engine  the app's full pipeline: FeedClient → FeedChannel → FeedController → FeedEngine →
//           MqttSession → OhosMqttTransport (the app's adapter) over the @ohos/mqtt emulation on mqtt.js
//           → QuoteCodec → QuoteProcessor (dedupe) → 50 alert rules (TickObserver) → Coalescer → a
//           QuoteBatch every 100 ms → QuoteStore.apply.
//   direct  diagnostic: mqtt.js 'message' → FeedEngine.ingest (same engine, alerts and store, but
//           without the emulation, adapter and session), to tell the engine's cost from the adapter's.
// Every mode uses a persistent session (clean=false, QoS 1 subscription), as the app does.
// Throughput counts from the message at 30 % of `count` (after connection and JIT warm-up) to the
// last one; the main thread's CPU time over the same span is reported too. With `latency` set,
// records for each tick the time from its arrival at the engine to the QuoteStore.apply of the batch
// that carries it (B4).
// Backlog mode (B1): the process first creates the persistent session (clean=false, QoS 1 subscription
// to finance/+/quotes) and disconnects ({type:'primed'}); the broker then queues everything the
// publisher sends; on {cmd:'consume'} the subscriber connects with the same client id and drains the
// queue as fast as it can, so neither the publisher nor anything else limits its rate.
// IPC out: {type:'primed'}, {type:'connected'}, {type:'ready'} (subscription live), {type:'result', ...}.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { MqttAsync, MqttMessage } from '@ohos/mqtt';
import {
  clientStatusTopic, ConnectionOptions, ConnectionState, ConnectionStatus, DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_KEEP_ALIVE_SECONDS, FeedChannel, FeedCommand, FeedController, FeedEngine,
  FeedEngineOptions, FeedEngineSink, FeedEvent, FeedStartConfig, MathRandom, Quote, QuoteBatch, STATUS_OFFLINE,
  STATUS_ONLINE, SystemClock, SystemTimers, TickObserver, TransportMessage
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { SYMBOLS, attachBenchAlerts, batchAlerts, BenchAlerts, mainThreadTimes, percentileSorted } from './shared';

interface Options {
  port: number; qos: 0 | 1; count: number; mode: 'bare' | 'ohos' | 'engine' | 'direct'; latency?: boolean; timeoutMs?: number;
  /** Backlog mode: prime a persistent session, let the publisher fill it, then connect and drain it. */
  backlog?: boolean;
}
const o: Options = JSON.parse(process.argv[2]);
const send = (m: object): void => {
  process.send?.(m);
  // The result is the last word: exit by ourselves (so that a --cpu-prof profile gets written).
  if ((m as { type: string }).type === 'result') setTimeout(() => process.exit(0), 100);
};
const url = `mqtt://127.0.0.1:${o.port}`;
// Measured from here: the first 30 % cover connecting and the JIT warming up (a cold engine needs
// ~20-30k messages to reach its steady cost; the app runs for hours).
const warmAt = Math.max(1, Math.floor(o.count * 0.3));

let received = 0;
let t0 = 0;
let cpu0 = { cpuNs: 0, waitNs: 0 };
// Socket reads: how many messages one read brings decides much of a client's cost per message (a
// consumer that is quick per turn reads small chunks, a slow one large ones), so it is reported.
let reads = 0;
let reads0 = 0;
const socketEmit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (this: net.Socket, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'data') reads++;
  return socketEmit.call(this, event, ...args);
} as typeof net.Socket.prototype.emit;
let finished = false;
let finish: (timedOut: boolean) => void = () => undefined;

/** Counts one delivered quote; called in the same place the work ends for each mode. */
function counted(): void {
  received++;
  if (received === warmAt) {
    t0 = performance.now();
    cpu0 = mainThreadTimes();
    reads0 = reads;
  } else if (received === o.count) {
    finish(false);
  }
}

function measure(timedOut: boolean): Record<string, number | boolean> {
  const t1 = performance.now();
  const cpu1 = mainThreadTimes();
  const n = received - warmAt;
  const wallMs = t1 - t0;
  return {
    received, timedOut, measured: n, wallMs, rate: n / (wallMs / 1000),
    cpuNsPerMsg: (cpu1.cpuNs - cpu0.cpuNs) / n, waitMs: (cpu1.waitNs - cpu0.waitNs) / 1e6,
    cpuShare: (cpu1.cpuNs - cpu0.cpuNs) / 1e6 / wallMs, msgsPerRead: n / Math.max(1, reads - reads0),
  };
}

function armTimeout(onTimeout: () => void): void {
  setTimeout(() => {
    if (!finished) onTimeout();
  }, o.timeoutMs ?? 40_000).unref();
}

const clientId = `bench-${o.mode}-${process.pid}`;

/**
 * An mqtt.js client on the bench's persistent session: `onMessage` is attached before the CONNACK
 * (queued session messages arrive with it). Subscribes unless `subscribe` is false.
 */
async function connectMqttJs(onMessage: (topic: string, payload: Buffer) => void, subscribe: boolean): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 0, keepalive: 60 });
  client.on('message', onMessage);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  if (subscribe) await client.subscribeAsync('finance/+/quotes', { qos: 1 });
  return client;
}

/** Creates the persistent session with its subscription, then disconnects (the broker keeps it). */
async function prime(): Promise<void> {
  const c = await connectMqttJs(() => undefined, true);
  await c.endAsync();
  send({ type: 'primed' });
  await new Promise<void>((resolve) => {
    process.on('message', (m: { cmd: string }) => {
      if (m.cmd === 'consume') resolve();
    });
  });
}

// ---- bare -------------------------------------------------------------------------------------

async function bare(): Promise<void> {
  const client = await connectMqttJs(() => counted(), !o.backlog);
  send({ type: 'connected' });
  finish = (timedOut: boolean): void => {
    if (finished) return;
    finished = true;
    const m = measure(timedOut);
    send({ type: 'result', mode: 'bare', ...m });
    client.end(true);
  };
  armTimeout(() => finish(true));
  send({ type: 'ready' });
}

// ---- ohos (the @ohos/mqtt emulation alone, doing the app's transport-level work) ---------------

/**
 * The transport as the app drives it, without the app, so that engine ÷ ohos is the app's own cost:
 * the client options OhosMqttTransportFactory uses; OhosMqttTransport's connect (the isConnected
 * check first, then a persistent session with the app's keep-alive, connect timeout and retained
 * `offline` Will); MqttSession's SUBSCRIBE after every connect and its retained `online` publish;
 * and per message the fields the adapter reads (payloadBinary, topic, qos, retained, dup). QoS 1
 * PUBACKs are sent by the library in both. What is left out is the app: the TransportMessage, the
 * session, the engine, the feed and the store.
 */
async function ohosMode(): Promise<void> {
  const client = MqttAsync.createMqtt({ url: `tcp://127.0.0.1:${o.port}`, clientId, persistenceType: 1 });
  let bytes = 0;
  let flagged = 0;
  // Registered before connect, as the adapter does.
  client.messageArrived((_err: Error, msg: MqttMessage) => {
    if (msg.payloadBinary instanceof ArrayBuffer) bytes += msg.payloadBinary.byteLength;
    if (msg.topic.length === 0 || msg.qos > 2) return;
    if (msg.retained !== 0 || msg.dup !== 0) flagged++;
    counted();
  });
  client.connectLost(() => undefined);
  // Ready to finish before connecting: a backlog can be drained before the SUBACK, which the broker
  // queues behind it.
  finish = (timedOut: boolean): void => {
    if (finished) return;
    finished = true;
    send({ type: 'result', mode: 'ohos', ...measure(timedOut), payloadBytes: bytes, flagged });
  };
  armTimeout(() => finish(true));
  const statusTopic = clientStatusTopic('finance', clientId);
  await client.isConnected();
  const r = await client.connect({
    keepAliveInterval: DEFAULT_KEEP_ALIVE_SECONDS, connectTimeout: DEFAULT_CONNECT_TIMEOUT_SECONDS, cleanSession: false,
    willOptions: { topicName: statusTopic, message: STATUS_OFFLINE, retained: true, qos: 1 },
  });
  if (r.code !== 0) throw new Error(`@ohos/mqtt connect: ${r.code} ${r.message}`);
  send({ type: 'connected' });
  if (o.backlog) send({ type: 'ready' }); // the backlog flows from the CONNACK on
  await client.subscribe({ topic: 'finance/+/quotes', qos: 1 });
  await client.publish({ topic: statusTopic, payload: STATUS_ONLINE, qos: 1, retained: true });
  if (!o.backlog) send({ type: 'ready' });
}

// ---- shared by engine and direct ---------------------------------------------------------------

/** Counts applied ticks (registered after the alert stage, so it sees every applied tick last). */
class CountingObserver implements TickObserver {
  onTick(_q: Quote, _arrivalMs: number): void {
    counted();
  }
}

/** B4: arrival time (performance.now) at the engine of each tick still waiting for a batch, per symbol. */
const waiting = new Map<string, number[]>();
const latencies: number[] = [];
let lastArrival = 0;
let batchesApplied = 0;
let batchAlertCount = 0;
let batchGapMax = 0;
let lastApplyAt = 0;

class ArrivalObserver implements TickObserver {
  onTick(q: Quote, _arrivalMs: number): void {
    let list = waiting.get(q.symbol);
    if (list === undefined) {
      list = [];
      waiting.set(q.symbol, list);
    }
    list.push(lastArrival);
  }
}

/** Wraps store.apply to time the handover of each batch (and, for B4, each tick's latency). */
function instrumentStore(store: QuoteStore): void {
  const apply = store.apply.bind(store);
  store.apply = (batch: QuoteBatch): void => {
    const t = performance.now();
    batchesApplied++;
    batchAlertCount += batchAlerts(batch).length;
    if (lastApplyAt > 0) batchGapMax = Math.max(batchGapMax, t - lastApplyAt);
    lastApplyAt = t;
    if (o.latency) {
      for (const s of batch.snapshots) {
        const list = waiting.get(s.quote.symbol);
        if (list === undefined) continue;
        for (let i = 0; i < list.length; i++) latencies.push(t - list[i]);
        list.length = 0;
      }
    }
    apply(batch);
  };
}

function latencyFigures(): Record<string, number | number[]> {
  if (!o.latency) return {};
  let undelivered = 0;
  waiting.forEach((l) => { undelivered += l.length; });
  const sorted = Float64Array.from(latencies).sort();
  return {
    latencies: Array.from(latencies), latencySamples: sorted.length, undelivered, p50: percentileSorted(sorted, 50), p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99), p999: percentileSorted(sorted, 99.9), max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

function storeChecks(store: QuoteStore): Record<string, number> {
  let ticks = 0;
  for (const item of store.items) ticks += item.ticks;
  return { storeTicks: ticks, storeAccepted: store.stats.accepted, storeRejected: store.stats.rejected, batchesApplied, batchGapMaxMs: batchGapMax };
}

// ---- engine (the full app pipeline) -----------------------------------------------------------

/** InProcessFeedChannel, with its controller reachable so the bench can add the alert stage. */
class BenchChannel implements FeedChannel {
  readonly controller: FeedController;
  private receiver: (event: FeedEvent) => void = () => undefined;
  constructor() {
    this.controller = new FeedController(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom(),
      (event: FeedEvent) => this.receiver(event));
  }
  send(command: FeedCommand): void {
    void this.controller.handle(command);
  }
  setReceiver(receiver: (event: FeedEvent) => void): void {
    this.receiver = receiver;
  }
  close(): void {
    this.receiver = () => undefined;
  }
}

async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function addStages(engine: FeedEngine): BenchAlerts {
  const alerts = attachBenchAlerts(engine, Date.now() - 1000);
  if (o.latency) {
    engine.addObserver(new ArrivalObserver());
    const onMessage = engine.onMessage.bind(engine);
    engine.onMessage = (m: TransportMessage, arrivalMs: number): void => {
      lastArrival = performance.now();
      onMessage(m, arrivalMs);
    };
  }
  engine.addObserver(new CountingObserver());
  return alerts;
}

async function engineMode(): Promise<void> {
  const store = new QuoteStore();
  instrumentStore(store);
  const channel = new BenchChannel();
  const client = new FeedClient(channel, store, new SystemClock());
  const config = new FeedStartConfig();
  config.connection = ConnectionOptions.forBroker(`tcp://127.0.0.1:${o.port}`, clientId);
  config.symbols = SYMBOLS.slice();
  config.flushIntervalMs = 100;
  client.start(config);
  await channel.controller.idle();
  const engine = channel.controller.engineForTest();
  if (engine === undefined) throw new Error('engine did not start');
  const alerts = addStages(engine);
  await waitUntil(() => store.status.state === ConnectionState.CONNECTED, 10_000, 'engine connected');
  send({ type: 'connected' });
  // The session subscribes after the CONNACK; run.mjs has the publisher send probe quotes for an
  // unwatched symbol until the engine has seen one. (In backlog mode the session already exists.)
  if (!o.backlog) await waitUntil(() => engine.processorForTest().stats.droppedUnwatched > 0, 10_000, 'subscription');
  finish = (timedOut: boolean): void => {
    if (finished) return;
    finished = true;
    const m = measure(timedOut);
    // Let the last batch reach the store, then check it holds every tick.
    setTimeout(() => {
      void client.stop().then(() => {
        send({ type: 'result', mode: 'engine', ...m, ...storeChecks(store), ...latencyFigures(), alertsFired: batchAlertCount + alerts.observerFired(), alertsVia: alerts.via });
        channel.close();
      });
    }, 150);
  };
  armTimeout(() => finish(true));
  send({ type: 'ready' });
}

// ---- direct (diagnostic) ----------------------------------------------------------------------

async function directMode(): Promise<void> {
  const store = new QuoteStore();
  store.setWatchlist(SYMBOLS);
  instrumentStore(store);
  const sink: FeedEngineSink = {
    onBatch: (batch: QuoteBatch): void => store.apply(batch),
    onStatus: (_s: ConnectionStatus): void => undefined,
  };
  const options = new FeedEngineOptions();
  options.flushIntervalMs = 100;
  const engine = new FeedEngine(options, new SystemClock(), new SystemTimers(), sink);
  engine.setSymbols(SYMBOLS);
  const alerts = addStages(engine);
  const client = await connectMqttJs((topic: string, payload: Buffer) => {
    if (o.latency) lastArrival = performance.now();
    const copy = payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length);
    engine.ingest(topic, copy as ArrayBuffer, Date.now());
  }, !o.backlog);
  send({ type: 'connected' });
  finish = (timedOut: boolean): void => {
    if (finished) return;
    finished = true;
    const m = measure(timedOut);
    setTimeout(() => {
      engine.flushNow();
      send({ type: 'result', mode: 'direct', ...m, ...storeChecks(store), ...latencyFigures(), alertsFired: batchAlertCount + alerts.observerFired(), alertsVia: alerts.via });
      client.end(true);
    }, 150);
  };
  armTimeout(() => finish(true));
  send({ type: 'ready' });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'exit') process.exit(0);
});
const main = o.mode === 'bare' ? bare : o.mode === 'ohos' ? ohosMode : o.mode === 'engine' ? engineMode : directMode;
(o.backlog ? prime().then(main) : main()).catch((e: Error) => {
  send({ type: 'error', message: e.message });
  setTimeout(() => process.exit(1), 100);
});
