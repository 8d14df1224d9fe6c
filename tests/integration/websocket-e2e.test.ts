// MQTT over WebSocket end to end on loopback: a publisher (TCP) → aedes → its WebSocket listener
// (the ws package, as `quotefeed broker --ws-port` runs it) → the app's engine over ws:// and
// wss:// (OhosMqttTransport over the @ohos/mqtt emulation, which speaks WebSocket like paho).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import {
  ConnectionOptions, ConnectionState, FeedStartConfig, InProcessFeedChannel, MathRandom, SystemClock, SystemTimers
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { startBroker, RunningBroker } from '../../tools/quotefeed/src/index';
import { selfSignedCert, sleep, waitFor } from '../../tools/testkit';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', '0700.HK', 'BTC-USD'];

function payload(symbol: string, seq: number, price: number, ts: number): string {
  return JSON.stringify({ symbol, price, timestamp: ts, seq, volume: seq * 100, prevClose: 100 });
}

function engine(url: string, clientId: string, caFile = ''): { store: QuoteStore; client: FeedClient } {
  const store = new QuoteStore();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock());
  const c = new FeedStartConfig();
  c.connection = ConnectionOptions.forBroker(url, clientId);
  assert.ok(c.connection.broker.ok, `the app accepts ${url}: ${c.connection.broker.reason}`);
  c.connection.tls.caFile = caFile;
  c.symbols = SYMBOLS.slice();
  c.flushIntervalMs = 100;
  client.start(c);
  return { store, client };
}

async function publisher(broker: RunningBroker): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(broker.url, { clientId: `ws-pub-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 0 });
}

/** Publishes `rounds` QoS 1 quotes per symbol; resolves with the last price of each. */
async function feed(pub: mqtt.MqttClient, fromSeq: number, rounds: number): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  const now = Date.now();
  const sends: Array<Promise<unknown>> = [];
  for (let seq = fromSeq; seq < fromSeq + rounds; seq++) {
    for (const s of SYMBOLS) {
      const price = 100 + seq / 100 + SYMBOLS.indexOf(s);
      last.set(s, price);
      sends.push(pub.publishAsync(`finance/${s}/quotes`, payload(s, seq, price, now + seq), { qos: 1 }));
    }
  }
  await Promise.all(sends);
  return last;
}

async function exactFinalState(broker: RunningBroker, url: string, clientId: string, caFile = ''): Promise<void> {
  const { store, client } = engine(url, clientId, caFile);
  const pub = await publisher(broker);
  try {
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, `engine connected over ${url}`);
    await sleep(200); // the subscription follows the CONNACK
    const last = await feed(pub, 1, 200);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === last.get(s)), 10000, 'final prices');
    await sleep(300);
    for (const s of SYMBOLS) {
      const item = store.item(s)!;
      assert.equal(item.price, last.get(s), `${s} final price`);
      assert.equal(item.ticks, 200, `${s}: each tick applied once`);
      assert.equal(item.gaps, 0, `${s}: nothing lost`);
    }
    assert.equal(store.stats.accepted, 1000);
    assert.equal(store.lostBatches, 0);
  } finally {
    await client.stop();
    await pub.endAsync();
  }
}

test('ws://: the engine streams a QoS 1 feed over WebSocket into the store exactly', async () => {
  const broker = await startBroker({ port: 0, wsPort: 0 });
  try {
    assert.match(broker.wsUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    await exactFinalState(broker, broker.wsUrl!, 'quotedeck-ws-1');
  } finally {
    await broker.close();
  }
});

test('ws://: the client asks for the URL\'s path (default /mqtt) with the "mqtt" subprotocol', async () => {
  const lines: string[] = [];
  const broker = await startBroker({ port: 0, wsPort: 0, log: (l) => lines.push(l) });
  try {
    const base = `ws://127.0.0.1:${broker.wsPort}`;
    for (const [url, path] of [[base, '/mqtt'], [`${base}/quotes/ws`, '/quotes/ws']]) {
      const { store, client } = engine(url, `quotedeck-ws-path-${path.length}`);
      try {
        await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, `engine connected over ${url}`);
      } finally {
        await client.stop();
      }
      assert.ok(lines.includes(`websocket connection: GET ${path} (subprotocol "mqtt")`), `${url}: ${lines.join(' | ')}`);
    }
  } finally {
    await broker.close();
  }
});

test('ws://: after the WebSocket is cut the engine reconnects, resubscribes and the feed goes on exactly', async () => {
  const broker = await startBroker({ port: 0, wsPort: 0 });
  const { store, client } = engine(broker.wsUrl!, 'quotedeck-ws-cut');
  const pub = await publisher(broker);
  try {
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    await sleep(200);
    await feed(pub, 1, 10);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.ticks === 10), 5000, 'first ticks');
    const wsClientsBefore = broker.aedes.connectedClients;
    broker.dropConnections(); // cuts the engine's socket (and the publisher's)
    await waitFor(() => store.status.state !== ConnectionState.CONNECTED, 5000, 'engine sees the cut');
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 20000, 'engine reconnected');
    assert.ok(wsClientsBefore >= 1);
    await sleep(300); // the resubscription follows the CONNACK
    const pub2 = await publisher(broker);
    try {
      const last = await feed(pub2, 11, 20);
      await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === last.get(s)), 10000, 'prices after the reconnect');
      await sleep(200);
      for (const s of SYMBOLS) {
        assert.equal(store.item(s)!.ticks, 30, `${s}: every quote before and after the cut applied once`);
        assert.equal(store.item(s)!.gaps, 0, `${s}: no gap`);
      }
      assert.ok(store.stats.reconnects >= 1, 'the reconnect is counted');
    } finally {
      await pub2.endAsync();
    }
  } finally {
    await client.stop();
    await pub.endAsync(true).catch(() => undefined);
    await broker.close();
  }
});

test('wss://: the engine streams over WebSocket on TLS, trusting the broker through its CA file', async (t) => {
  const cert = selfSignedCert();
  if ('skip' in cert) {
    t.skip(cert.skip);
    return;
  }
  const broker = await startBroker({ port: 0, wsPort: 0, wsTls: { key: cert.key, cert: cert.cert } });
  try {
    assert.match(broker.wsUrl ?? '', /^wss:\/\//);
    await exactFinalState(broker, broker.wsUrl!, 'quotedeck-wss-1', cert.certFile);
    // without the CA the certificate is not trusted: the engine does not connect
    const { store, client } = engine(broker.wsUrl!, 'quotedeck-wss-untrusted');
    try {
      await sleep(1500);
      assert.notEqual(store.status.state, ConnectionState.CONNECTED);
    } finally {
      await client.stop();
    }
  } finally {
    await broker.close();
    cert.cleanup();
  }
});
