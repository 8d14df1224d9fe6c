// @each-double The app's MQTT adapter (OhosMqttTransport over '@ohos/mqtt') against an in-process
// aedes broker, through a Node double of @ohos/mqtt (tools/node/ohos-mqtt). Every test starts its
// own broker on a random port and closes it, its sockets and its clients before it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { hilog } from '@kit.PerformanceAnalysisKit';
import {
  ConnectionOptions, LastWill, MqttTransport, TransportConnectOptions, TransportErrorKind, TransportListener,
  TransportMessage, TransportResult
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { AedesBroker, AedesBrokerOptions, freePort, selfSignedCert, silentServer, sleep, startAedes, waitFor } from '../../tools/testkit';

const PASSWORD = 'S3cret-pw-9d1f';
const T = { timeout: 20000 };

class RecordingListener implements TransportListener {
  messages: TransportMessage[] = [];
  losses: TransportResult[] = [];
  onMessage(message: TransportMessage): void {
    this.messages.push(message);
  }
  onConnectionLost(reason: TransportResult): void {
    this.losses.push(reason);
  }
}

function options(patch: Partial<TransportConnectOptions> = {}): TransportConnectOptions {
  const o = new TransportConnectOptions();
  o.cleanSession = true;
  Object.assign(o, patch);
  return o;
}

interface ConnectionPatch {
  userName?: string;
  password?: string;
  connectTimeoutSeconds?: number;
  verifyServerCertificate?: boolean;
  caFile?: string;
}

/** Connection options for `url` (parsed by the app's BrokerUrl), keep-alive 30 s, connect timeout 3 s. */
function connection(url: string, clientId: string, patch: ConnectionPatch = {}): ConnectionOptions {
  const c = ConnectionOptions.forBroker(url, clientId);
  c.keepAliveSeconds = 30;
  c.connectTimeoutSeconds = patch.connectTimeoutSeconds ?? 3;
  c.userName = patch.userName ?? '';
  c.password = patch.password ?? '';
  c.tls.verifyServerCertificate = patch.verifyServerCertificate ?? true;
  c.tls.caFile = patch.caFile ?? '';
  return c;
}

/** Creates transports and destroys them all at the end of a test. */
class Clients {
  private readonly made: MqttTransport[] = [];
  private readonly factory = new OhosMqttTransportFactory();
  create(url: string, clientId: string, listener: TransportListener, patch: ConnectionPatch = {}): MqttTransport {
    const t = this.factory.create(connection(url, clientId, patch), listener);
    assert.ok(t, `factory refused ${url}`);
    this.made.push(t);
    return t;
  }
  async destroyAll(): Promise<void> {
    for (const t of this.made) await t.destroy();
  }
}

async function publisher(broker: AedesBroker): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: `pub-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 0 });
}

const credentialCheck: AedesBrokerOptions['authenticate'] = (_c, username, password, done) => {
  if (username === 'viewer' && password?.toString() === PASSWORD) return done(null, true);
  if (username === 'blocked') return done(Object.assign(new Error('not authorized'), { returnCode: 5 }), false);
  done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
};

test('the adapter connects, subscribes and receives a QoS 1 message with its exact bytes', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  const pub = await publisher(broker);
  try {
    const listener = new RecordingListener();
    const t = clients.create(broker.url, 'qd-recv-1', listener);
    const c = await t.connect(options());
    assert.equal(c.ok, true, c.message);
    assert.equal(c.kind, TransportErrorKind.NONE);
    assert.equal(c.message, 'Connect Success');
    const s = await t.subscribe('finance/+/quotes', 1);
    assert.equal(s.ok, true, s.message);

    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0xe2, 0x82, 0xac, 0x0a]); // NUL and invalid UTF-8 included
    await pub.publishAsync('finance/AAPL/quotes', bytes, { qos: 1 });
    await waitFor(() => listener.messages.length === 1, 5000, 'the message');
    const m = listener.messages[0];
    assert.equal(m.topic, 'finance/AAPL/quotes');
    assert.equal(m.qos, 1);
    assert.equal(m.retained, false);
    assert.equal(m.dup, false);
    assert.ok(m.payload instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(m.payload)], [...bytes]);

    // a retained message reaches a new subscription with retained = true
    await pub.publishAsync('finance/MSFT/quotes', 'r', { qos: 1, retain: true });
    await waitFor(() => listener.messages.length === 2, 5000, 'the live retained publish');
    assert.equal(listener.messages[1].retained, false, 'a live publish is not flagged retained to existing subscribers');
    const late = new RecordingListener();
    const t2 = clients.create(broker.url, 'qd-recv-2', late);
    assert.equal((await t2.connect(options())).ok, true);
    assert.equal((await t2.subscribe('finance/MSFT/quotes', 1)).ok, true);
    await waitFor(() => late.messages.length === 1, 5000, 'the retained message');
    assert.equal(late.messages[0].retained, true);
    assert.equal(Buffer.from(late.messages[0].payload).toString(), 'r');

    assert.equal((await t.unsubscribe('finance/+/quotes')).ok, true);
    const d = await t.disconnect();
    assert.equal(d.ok, true, d.message);
    assert.deepEqual(listener.losses, []);
  } finally {
    await pub.endAsync();
    await clients.destroyAll();
    await broker.close();
  }
});

test('wrong credentials give BAD_CREDENTIALS, a refused user NOT_AUTHORIZED, good ones connect', T, async () => {
  const broker = await startAedes({ authenticate: credentialCheck });
  const clients = new Clients();
  try {
    const bad = await clients.create(broker.url, 'qd-cred-1', new RecordingListener(), { userName: 'viewer', password: 'wrong-password' })
      .connect(options());
    assert.equal(bad.ok, false);
    assert.equal(bad.kind, TransportErrorKind.BAD_CREDENTIALS);
    assert.equal(bad.code, 4);
    assert.equal(bad.message, 'CONNACK return code');

    const blocked = await clients.create(broker.url, 'qd-cred-2', new RecordingListener(), { userName: 'blocked', password: PASSWORD })
      .connect(options());
    assert.equal(blocked.kind, TransportErrorKind.NOT_AUTHORIZED);
    assert.equal(blocked.code, 5);

    const good = await clients.create(broker.url, 'qd-cred-3', new RecordingListener(), { userName: 'viewer', password: PASSWORD })
      .connect(options());
    assert.equal(good.ok, true, good.message);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('a client id over 23 characters turns a credentials refusal into code 2 (the 3.1 fallback)', T, async () => {
  // The library retries a refused 3.1.1 connect with MQTT 3.1, and 3.1 brokers reject ids over 23
  // characters: the last answer (2, identifier rejected) is what the app sees.
  const broker = await startAedes({ authenticate: credentialCheck });
  const clients = new Clients();
  try {
    const r = await clients.create(broker.url, 'quotedeck-0123456789abcdef', new RecordingListener(), { userName: 'viewer', password: 'wrong-password' })
      .connect(options());
    assert.equal(r.ok, false);
    assert.equal(r.code, 2);
    assert.equal(r.kind, TransportErrorKind.REFUSED);
    assert.deepEqual(broker.connects(), []);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('an unreachable port gives UNREACHABLE, for tcp:// and ssl://', T, async () => {
  const port = await freePort();
  const clients = new Clients();
  try {
    const tcp = await clients.create(`tcp://127.0.0.1:${port}`, 'qd-unreach-1', new RecordingListener()).connect(options());
    assert.equal(tcp.ok, false);
    assert.equal(tcp.kind, TransportErrorKind.UNREACHABLE);
    assert.equal(tcp.code, -1);
    assert.equal(tcp.message, 'TCP/TLS connect failure');

    const ssl = await clients.create(`ssl://127.0.0.1:${port}`, 'qd-unreach-2', new RecordingListener()).connect(options());
    assert.equal(ssl.kind, TransportErrorKind.UNREACHABLE, 'the TCP probe finds nothing listening');
  } finally {
    await clients.destroyAll();
  }
});

test('a broker that never answers gives TIMEOUT', T, async () => {
  const server = await silentServer();
  const clients = new Clients();
  try {
    const started = Date.now();
    const r = await clients.create(`tcp://127.0.0.1:${server.port}`, 'qd-timeout-1', new RecordingListener(),
      { connectTimeoutSeconds: 1 }).connect(options());
    assert.equal(r.ok, false);
    assert.equal(r.kind, TransportErrorKind.TIMEOUT);
    assert.ok(Date.now() - started < 8000);
  } finally {
    await clients.destroyAll();
    await server.close();
  }
});

test('ssl:// against a plain MQTT listener gives TLS', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  try {
    const r = await clients.create(`ssl://127.0.0.1:${broker.port}`, 'qd-tls-plain', new RecordingListener()).connect(options());
    assert.equal(r.ok, false);
    assert.equal(r.code, -1);
    assert.equal(r.kind, TransportErrorKind.TLS);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('a self-signed TLS broker gives TLS when verifying and connects with its CA file or with verification off', T, async (t) => {
  const cert = selfSignedCert();
  if ('skip' in cert) {
    t.skip(cert.skip);
    return;
  }
  const broker = await startAedes({ tls: { key: cert.key, cert: cert.cert } });
  const clients = new Clients();
  try {
    const strict = await clients.create(broker.url, 'qd-tls-1', new RecordingListener()).connect(options());
    assert.equal(strict.ok, false);
    assert.equal(strict.kind, TransportErrorKind.TLS, `${strict.code} ${strict.message}`);

    const trusted = await clients.create(broker.url, 'qd-tls-2', new RecordingListener(), { caFile: cert.certFile })
      .connect(options());
    assert.equal(trusted.ok, true, `${trusted.code} ${trusted.message}`);

    const byName = await clients.create(`ssl://localhost:${broker.port}`, 'qd-tls-3', new RecordingListener(),
      { caFile: cert.certFile }).connect(options());
    assert.equal(byName.ok, true, `${byName.code} ${byName.message}`);

    const insecure = await clients.create(broker.url, 'qd-tls-4', new RecordingListener(), { verifyServerCertificate: false })
      .connect(options());
    assert.equal(insecure.ok, true, `${insecure.code} ${insecure.message}`);

    const noFile = await clients.create(broker.url, 'qd-tls-5', new RecordingListener(),
      { caFile: `${cert.certFile}.missing` }).connect(options());
    assert.equal(noFile.kind, TransportErrorKind.TLS);
  } finally {
    await clients.destroyAll();
    await broker.close();
    cert.cleanup();
  }
});

test('a persistent session delivers the QoS 1 messages published while disconnected, with the CONNACK', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  const pub = await publisher(broker);
  try {
    const listener = new RecordingListener();
    const t = clients.create(broker.url, 'qd-persist-1', listener);
    assert.equal((await t.connect(options({ cleanSession: false }))).ok, true);
    assert.equal(broker.connects().at(-1)?.clean, false);
    assert.equal((await t.subscribe('finance/+/quotes', 1)).ok, true);
    assert.equal((await t.disconnect()).ok, true);

    for (let i = 0; i < 20; i++) await pub.publishAsync(`finance/S${i % 4}/quotes`, `{"q":${i}}`, { qos: 1 });

    // the broker writes the queued messages right behind the CONNACK; the handler was registered
    // at creation, so none is lost even if they arrive before connect() resolves
    const c = await t.connect(options({ cleanSession: false }));
    assert.equal(c.ok, true, c.message);
    await waitFor(() => listener.messages.length === 20, 5000, 'the 20 queued messages');
    assert.deepEqual(listener.messages.map((m) => JSON.parse(Buffer.from(m.payload).toString()).q), [...Array(20).keys()]);

    // a clean session does not keep them
    assert.equal((await t.disconnect()).ok, true);
    await pub.publishAsync('finance/S0/quotes', 'lost', { qos: 1 });
    const fresh = new RecordingListener();
    const t2 = clients.create(broker.url, 'qd-persist-1', fresh);
    await t.destroy();
    assert.equal((await t2.connect(options({ cleanSession: true }))).ok, true);
    assert.equal(broker.connects().at(-1)?.clean, true);
    await sleep(300);
    assert.equal(fresh.messages.length, 0);
  } finally {
    await pub.endAsync();
    await clients.destroyAll();
    await broker.close();
  }
});

test('onConnectionLost fires when the broker drops the connection, not on disconnect()', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  try {
    const polite = new RecordingListener();
    const a = clients.create(broker.url, 'qd-lost-1', polite);
    assert.equal((await a.connect(options())).ok, true);
    assert.equal((await a.disconnect()).ok, true);
    await sleep(300);
    assert.deepEqual(polite.losses, []);
    assert.equal((await a.disconnect()).ok, true, 'disconnecting twice is fine');

    const dropped = new RecordingListener();
    const b = clients.create(broker.url, 'qd-lost-2', dropped);
    assert.equal((await b.connect(options())).ok, true);
    const before = broker.connects().length;
    for (const s of [...broker.sockets]) s.destroy();
    await waitFor(() => dropped.losses.length === 1, 5000, 'onConnectionLost');
    assert.equal(dropped.losses[0].ok, false);
    assert.equal(dropped.losses[0].kind, TransportErrorKind.LINK_LOST);

    // paho would reconnect by itself with MQTT 3.1 about 1.1 s later; the adapter replaced its native
    // client with the loss, so nothing connects until the app does, and then once, with 3.1.1
    await sleep(1600);
    assert.equal(broker.connects().length, before, 'no reconnect of the library\'s own');
    const again = await b.connect(options());
    assert.equal(again.ok, true, again.message);
    assert.deepEqual(broker.connects().slice(before).map((c) => c.version), [4]);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('the will is published on a passive loss (the library drops its retained flag)', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  const watcher = await publisher(broker);
  try {
    const wills: Array<{ topic: string; payload: string; retain: boolean }> = [];
    watcher.on('message', (topic, payload, packet) => wills.push({ topic, payload: payload.toString(), retain: packet.retain }));
    await watcher.subscribeAsync('status/#', { qos: 1 });
    const t = clients.create(broker.url, 'qd-will-1', new RecordingListener());
    assert.equal((await t.connect(options({ will: new LastWill('status/app', 'offline', 1, true) }))).ok, true);
    (broker.aedes.clients as Record<string, { conn: { destroy(): void } }>)['qd-will-1'].conn.destroy();
    await waitFor(() => wills.length >= 1, 5000, 'the will');
    assert.deepEqual(wills[0], { topic: 'status/app', payload: 'offline', retain: false });
  } finally {
    await watcher.endAsync();
    await clients.destroyAll();
    await broker.close();
  }
});

test('a second client with the same client id takes the session over and the first sees the loss', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  try {
    const first = new RecordingListener();
    const a = clients.create(broker.url, 'qd-takeover', first);
    assert.equal((await a.connect(options())).ok, true);
    const second = new RecordingListener();
    const b = clients.create(broker.url, 'qd-takeover', second);
    assert.equal((await b.connect(options())).ok, true);
    await waitFor(() => first.losses.length >= 1, 5000, 'the first client\'s loss');
    assert.equal(first.losses[0].kind, TransportErrorKind.LINK_LOST);
    // the first does not take the id back by itself (paho's own 3.1 reconnect, ~1.1 s after the
    // loss, cannot run: the adapter replaced its native client), so the second keeps the session
    await sleep(1600);
    assert.deepEqual(second.losses, []);
    assert.equal(broker.connects().filter((c) => c.id === 'qd-takeover').length, 2);
    await a.destroy();
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('a refused subscription gives NOT_AUTHORIZED and operations after a loss give LINK_LOST', T, async () => {
  const broker = await startAedes({
    authorizeSubscribe: (_c, sub, done) => {
      if (sub.topic.startsWith('private/')) return done(null, null); // SUBACK 0x80
      if (sub.topic.startsWith('kick/')) return done(new Error('denied')); // aedes drops the client
      done(null, sub);
    },
  });
  const clients = new Clients();
  try {
    const listener = new RecordingListener();
    const t = clients.create(broker.url, 'qd-acl-1', listener);
    assert.equal((await t.connect(options())).ok, true);
    const refused = await t.subscribe('private/x', 1);
    assert.equal(refused.ok, false);
    assert.equal(refused.code, 0x80);
    assert.equal(refused.kind, TransportErrorKind.NOT_AUTHORIZED);
    assert.equal((await t.subscribe('public/x', 0)).ok, true);
    assert.equal((await t.publish('public/x', 'hello', 1, false)).ok, true);
    await waitFor(() => listener.messages.length === 1, 5000, 'our own publish');

    // a subscription that makes the broker drop us: the pending subscribe ends with the library's
    // OPERATION_INCOMPLETE (clean session), and the loss is reported
    const kicked = await t.subscribe('kick/x', 1);
    assert.equal(kicked.ok, false);
    assert.equal(kicked.kind, TransportErrorKind.LINK_LOST);
    await waitFor(() => listener.losses.length === 1, 5000, 'the loss');
    // no reconnect of the library's own (the adapter replaced its native client with the loss)
    await sleep(1600);
    assert.equal(broker.connects().filter((x) => x.id === 'qd-acl-1').length, 1);
    assert.equal((await t.disconnect()).ok, true);
    assert.equal((await t.disconnect()).ok, true);
    const sub = await t.subscribe('public/y', 1);
    assert.equal(sub.ok, false);
    assert.equal(sub.kind, TransportErrorKind.LINK_LOST);
    assert.equal(sub.message, 'Subscribe fail');
    const pubr = await t.publish('public/y', 'x', 1, false);
    assert.equal(pubr.kind, TransportErrorKind.LINK_LOST);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('after destroy() nothing is delivered and operations fail', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  const pub = await publisher(broker);
  try {
    const listener = new RecordingListener();
    const t = clients.create(broker.url, 'qd-destroy-1', listener);
    assert.equal((await t.connect(options())).ok, true);
    assert.equal((await t.subscribe('a/b', 1)).ok, true);
    await t.destroy();
    await pub.publishAsync('a/b', 'x', { qos: 1 });
    await sleep(200);
    assert.equal(listener.messages.length, 0);
    assert.deepEqual(listener.losses, []);
    assert.equal((await t.connect(options())).ok, false);
    assert.equal((await t.subscribe('a/b', 1)).ok, false);
    await t.destroy();
  } finally {
    await pub.endAsync();
    await clients.destroyAll();
    await broker.close();
  }
});

test('the factory refuses a broker URL the app refused', () => {
  const f = new OhosMqttTransportFactory();
  for (const url of ['ws://127.0.0.1:1/mqtt?x=1', 'wss://127.0.0.1:1/a<b', 'http://127.0.0.1:1', 'tcp://:1883']) {
    assert.equal(f.create(connection(url, 'x'), new RecordingListener()), undefined, url);
  }
});

test('no hilog line carries the password, every line prints what its format promises', () => {
  // runs last: every test above logged through the adapter; privacy off, so nothing is masked
  assert.equal(hilog.privacyMode, false);
  assert.ok(hilog.lines.length > 10, 'the adapter logged');
  const leaking = hilog.lines.filter((l: string) => l.includes(PASSWORD) || l.includes('wrong-password'));
  assert.deepEqual(leaking, []);
  assert.deepEqual(hilog.mismatches, []);
});
