// @each-double MQTT version (issue 13) through the app's adapter (OhosMqttTransport → the @ohos/mqtt
// double → a real broker on loopback): the chosen version reaches the broker, MQTT 5 reason codes
// become the app's error kinds, a broker that speaks only one of the versions, and what an MQTT 5
// "persistent" session keeps while the app is offline (nothing: the library sends clean start 1 and
// no session expiry, see core MqttVersion and docs/brokers.md "MQTT 5").
import { test, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import {
  ConnectionOptions, ConnectionTester, FeedSettings, MqttVersionSetting, SessionErrorKind, SystemClock, SystemTimers,
  MQTT_VERSION_3_1_1, MQTT_VERSION_5, MQTT_VERSION_DEFAULT, MqttTransport, TransportConnectOptions,
  TransportErrorKind, TransportListener, TransportMessage, TransportResult
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { findMosquitto, Mosquitto, sleep, startAedes, startMosquitto, waitFor } from '../../tools/testkit';
import { onlyMqtt5, startReasonBroker } from '../paho/helpers/reason-broker';

const T = { timeout: 30000 };
const USER = 'viewer';
const PASSWORD = 'Corr3ct-pw-5';

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

function connectOptions(cleanSession: boolean): TransportConnectOptions {
  const o = new TransportConnectOptions();
  o.cleanSession = cleanSession;
  return o;
}

/** Makes the app's transports and destroys them all at the end of a test. */
class Clients {
  private readonly made: MqttTransport[] = [];
  private readonly factory = new OhosMqttTransportFactory();
  create(url: string, clientId: string, version: number, listener: TransportListener = new RecordingListener(),
    credentials: { userName?: string; password?: string } = {}): MqttTransport {
    const c = ConnectionOptions.forBroker(url, clientId);
    c.keepAliveSeconds = 30;
    c.connectTimeoutSeconds = 3;
    c.userName = credentials.userName ?? '';
    c.password = credentials.password ?? '';
    c.mqttVersion = version;
    const t = this.factory.create(c, listener);
    assert.ok(t, `factory refused ${url}`);
    this.made.push(t);
    return t;
  }
  async destroyAll(): Promise<void> {
    for (const t of this.made) await t.destroy();
  }
}

const mosquittoMissing = (): boolean => findMosquitto() === undefined && !process.env.CI;

/** mosquitto with a password file (USER/PASSWORD) and an ACL: USER may read finance/# only. */
async function securedMosquitto(): Promise<{ m: Mosquitto; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-mqtt5-'));
  const passwd = path.join(dir, 'passwd');
  fs.writeFileSync(passwd, `${USER}:${PASSWORD}\npublisher:${PASSWORD}\n`);
  execFileSync('mosquitto_passwd', ['-U', passwd], { stdio: 'ignore' });
  const acl = path.join(dir, 'acl');
  fs.writeFileSync(acl, `user ${USER}\ntopic read finance/#\n\nuser publisher\ntopic write finance/#\n`);
  const m = await startMosquitto({ extra: ['allow_anonymous false', `password_file ${passwd}`, `acl_file ${acl}`] });
  return {
    m,
    cleanup: async () => {
      await m.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `use` on securedMosquitto() with a pool of clients, all closed whatever happens; skips without mosquitto. */
async function onSecuredMosquitto(t: TestContext, use: (m: Mosquitto, clients: Clients) => Promise<void>): Promise<void> {
  if (mosquittoMissing()) {
    t.skip('mosquitto is not installed');
    return;
  }
  const { m, cleanup } = await securedMosquitto();
  const clients = new Clients();
  try {
    await use(m, clients);
  } finally {
    await clients.destroyAll();
    await cleanup();
  }
}

test('the chosen MQTT version reaches mosquitto: 5 connects at level 5, Auto and "3.1.1 only" at 3.1.1', T, async (t) => {
  if (mosquittoMissing()) {
    t.skip('mosquitto is not installed');
    return;
  }
  const m = await startMosquitto();
  const clients = new Clients();
  try {
    for (const [id, version] of [['qd-v-auto', MQTT_VERSION_DEFAULT], ['qd-v-311', MQTT_VERSION_3_1_1], ['qd-v-5', MQTT_VERSION_5]] as const) {
      const tr = clients.create(m.url, id, version);
      const r = await tr.connect(connectOptions(true));
      assert.equal(r.ok, true, `${id}: ${r.message}`);
      assert.equal(r.message, version === MQTT_VERSION_5 ? 'Connect5 Success' : 'Connect Success');
      await tr.disconnect();
    }
    await waitFor(() => m.connects().length >= 3, 3000, 'three CONNECTs in the log');
    assert.deepEqual(m.connects().map((c) => [c.id, c.version]), [['qd-v-auto', 4], ['qd-v-311', 4], ['qd-v-5', 5]]);
  } finally {
    await clients.destroyAll();
    await m.close();
  }
});

test('MQTT 5 against mosquitto: a wrong password is NOT_AUTHORIZED from reason 0x87 at the first CONNECT, no fallback', T, async (t) => {
  await onSecuredMosquitto(t, async (m, clients) => {
    const started = Date.now();
    const r = await clients.create(m.url, 'qd-5-badpw', MQTT_VERSION_5, undefined, { userName: USER, password: 'wrong' })
      .connect(connectOptions(false));
    t.diagnostic(`refused after ${Date.now() - started} ms: ${r.message}`);
    // Debian's mosquitto 2.0.11 answers every failed password-file check with 0x87 (never 0x86)
    assert.equal(r.ok, false);
    assert.equal(r.kind, TransportErrorKind.NOT_AUTHORIZED, r.message);
    assert.equal(r.code, 0x87);
    assert.match(r.message, /0x87/);
    assert.equal(r.message.includes('wrong'), false, 'no password in the result');
    await sleep(300);
    assert.deepEqual(m.connects().map((c) => c.version), [], 'a refused client is not logged as connected');
    const good = await clients.create(m.url, 'qd-5-good', MQTT_VERSION_5, undefined, { userName: USER, password: PASSWORD })
      .connect(connectOptions(false));
    assert.equal(good.ok, true, good.message);
  });
});

test('MQTT 5 against mosquitto: an unknown user and a client without credentials are NOT_AUTHORIZED (0x87) too', T, async (t) => {
  await onSecuredMosquitto(t, async (m, clients) => {
    const unknown = await clients.create(m.url, 'qd-5-unknown', MQTT_VERSION_5, undefined, { userName: 'nobody', password: 'x' })
      .connect(connectOptions(true));
    assert.equal(unknown.kind, TransportErrorKind.NOT_AUTHORIZED, unknown.message);
    const anonymous = await clients.create(m.url, 'qd-5-anon', MQTT_VERSION_5).connect(connectOptions(true));
    assert.equal(anonymous.kind, TransportErrorKind.NOT_AUTHORIZED, anonymous.message);
  });
});

test('MQTT 5 against mosquitto\'s ACL: a subscription outside the user\'s topics is granted and simply gets nothing', T, async (t) => {
  await onSecuredMosquitto(t, async (m, clients) => {
    const pub = await mqtt.connectAsync(m.mqttUrl, { clientId: 'qd-5-acl-pub', username: 'publisher', password: PASSWORD,
      protocolVersion: 5, reconnectPeriod: 0 });
    try {
      const listener = new RecordingListener();
      const tr = clients.create(m.url, 'qd-5-acl', MQTT_VERSION_5, listener, { userName: USER, password: PASSWORD });
      assert.equal((await tr.connect(connectOptions(true))).ok, true);
      // mosquitto 2.0.11 checks "topic read" when it delivers, not in the SUBACK: no reason code to map
      const denied = await tr.subscribe('other/#', 1);
      assert.equal(denied.ok, true, denied.message);
      assert.equal((await tr.subscribe('finance/#', 1)).ok, true);
      await pub.publishAsync('finance/AAPL/quotes', 'allowed', { qos: 1 });
      await waitFor(() => listener.messages.length === 1, 3000, 'the allowed quote');
      await sleep(300);
      assert.deepEqual(listener.messages.map((msg) => msg.topic), ['finance/AAPL/quotes']);
      t.diagnostic('mosquitto granted other/# and delivered nothing from it');
    } finally {
      await pub.endAsync();
    }
  });
});

test('MQTT 5 reason codes in a refused CONNACK become the app\'s kinds', T, async () => {
  const table: Array<[number, TransportErrorKind]> = [
    [0x86, TransportErrorKind.BAD_CREDENTIALS], [0x87, TransportErrorKind.NOT_AUTHORIZED],
    [0x84, TransportErrorKind.PROTOCOL_VERSION], [0x85, TransportErrorKind.CLIENT_ID_REJECTED],
    [0x88, TransportErrorKind.SERVER_BUSY], [0x89, TransportErrorKind.SERVER_BUSY], [0x8A, TransportErrorKind.BANNED],
    [0x97, TransportErrorKind.QUOTA_EXCEEDED], [0x9F, TransportErrorKind.QUOTA_EXCEEDED],
    [0x9C, TransportErrorKind.SERVER_MOVED], [0x9D, TransportErrorKind.SERVER_MOVED], [0x80, TransportErrorKind.REFUSED],
  ];
  const broker = await startReasonBroker((a) => Number.parseInt(a.clientId.split('-')[2], 16));
  const clients = new Clients();
  try {
    for (const [reason, kind] of table) {
      const r = await clients.create(broker.url, `qd-rc-${reason.toString(16)}`, MQTT_VERSION_5).connect(connectOptions(false));
      assert.equal(r.ok, false, `0x${reason.toString(16)}`);
      assert.equal(r.code, reason, `0x${reason.toString(16)}: the reason code comes in code (${r.message})`);
      assert.equal(r.kind, kind, `0x${reason.toString(16)}: ${r.message}`);
    }
    // one CONNECT each, all at level 5: paho never falls back from MQTT 5
    assert.deepEqual(broker.attempts.map((a) => a.version), table.map(() => 5));
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('MQTT 5 against a broker without MQTT 5 (aedes) is PROTOCOL_VERSION; Auto connects there', T, async () => {
  const broker = await startAedes();
  const clients = new Clients();
  try {
    const r = await clients.create(broker.url, 'qd-5-aedes', MQTT_VERSION_5).connect(connectOptions(false));
    assert.equal(r.ok, false);
    assert.equal(r.kind, TransportErrorKind.PROTOCOL_VERSION, r.message);
    assert.match(r.message, /choose Auto or 3\.1\.1/);
    const auto = await clients.create(broker.url, 'qd-auto-aedes', MQTT_VERSION_DEFAULT).connect(connectOptions(false));
    assert.equal(auto.ok, true, auto.message);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

test('Auto against a broker that speaks only MQTT 5: 3.1.1 and the 3.1 fallback are refused, the MQTT 5 probe connects, PROTOCOL_VERSION', T, async (t) => {
  const broker = await startReasonBroker(onlyMqtt5());
  const clients = new Clients();
  try {
    const started = Date.now();
    const r = await clients.create(broker.url, 'qd-auto-only5', MQTT_VERSION_DEFAULT).connect(connectOptions(false));
    t.diagnostic(`answered after ${Date.now() - started} ms: ${r.message}`);
    assert.equal(r.ok, false);
    assert.equal(r.kind, TransportErrorKind.PROTOCOL_VERSION, r.message);
    assert.match(r.message, /choose MQTT 5/);
    assert.deepEqual(broker.attempts.map((a) => [a.clientId, a.version]),
      [['qd-auto-only5', 4], ['qd-auto-only5', 3], ['qd-auto-only5-v5', 5]]);
    const v5 = await clients.create(broker.url, 'qd-5-only5', MQTT_VERSION_5).connect(connectOptions(false));
    assert.equal(v5.ok, true, v5.message);
  } finally {
    await clients.destroyAll();
    await broker.close();
  }
});

/**
 * Subscribes `clientId` (persistent session) to finance/# at QoS 1, disconnects, publishes `n`
 * QoS 1 quotes while it is away, connects again and collects what arrives.
 */
async function offlineQuotes(m: Mosquitto, clientId: string, version: number, n: number): Promise<string[]> {
  const clients = new Clients();
  const pub = await mqtt.connectAsync(m.mqttUrl, { clientId: `${clientId}-pub`, reconnectPeriod: 0 });
  try {
    const first = clients.create(m.url, clientId, version);
    assert.equal((await first.connect(connectOptions(false))).ok, true);
    assert.equal((await first.subscribe('finance/#', 1)).ok, true);
    await first.disconnect();
    for (let i = 1; i <= n; i++) await pub.publishAsync(`finance/Q${i}/quotes`, `quote-${i}`, { qos: 1 });
    const listener = new RecordingListener();
    const second = clients.create(m.url, clientId, version, listener);
    assert.equal((await second.connect(connectOptions(false))).ok, true);
    await sleep(1000); // queued messages arrive right after CONNACK
    return listener.messages.map((msg) => Buffer.from(msg.payload).toString('utf8'));
  } finally {
    await pub.endAsync();
    await clients.destroyAll();
  }
}

test('quotes sent while offline: kept and delivered once with Auto, lost with MQTT 5 (the library sends no session expiry)', T, async (t) => {
  if (mosquittoMissing()) {
    t.skip('mosquitto is not installed');
    return;
  }
  const m = await startMosquitto();
  try {
    const auto = await offlineQuotes(m, 'qd-off-auto', MQTT_VERSION_DEFAULT, 5);
    assert.deepEqual(auto, ['quote-1', 'quote-2', 'quote-3', 'quote-4', 'quote-5'], 'MQTT 3.1.1 persistent session');
    const v5 = await offlineQuotes(m, 'qd-off-v5', MQTT_VERSION_5, 5);
    t.diagnostic(`MQTT 5: ${v5.length} of 5 quotes sent while offline arrived`);
    assert.deepEqual(v5, [], 'MQTT 5 through @ohos/mqtt: the session ended with the link');
    const log = m.log().join('\n');
    assert.match(log, /as qd-off-v5 \(p5, c1/, 'mosquitto logs the MQTT 5 client with clean start');
    assert.match(log, /as qd-off-auto \(p2, c0/, 'and the 3.1.1 client with a persistent session');
  } finally {
    await m.close();
  }
});

test('"Test connection" uses the chosen version: MQTT 5 names mosquitto\'s refusal, and a broker without MQTT 5', T, async (t) => {
  if (mosquittoMissing()) {
    t.skip('mosquitto is not installed');
    return;
  }
  const { m, cleanup } = await securedMosquitto();
  const aedes = await startAedes();
  const tester = new ConnectionTester(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers());
  const settings = (url: string): FeedSettings => {
    const s = new FeedSettings();
    s.brokerUrl = url;
    s.clientId = 'qd-tester-v5';
    s.userName = USER;
    s.mqttVersion = MqttVersionSetting.V5;
    return s;
  };
  try {
    const refused = await tester.test(settings(m.url), 'wrong');
    assert.equal(refused.kind, SessionErrorKind.NOT_AUTHORIZED, refused.detail);
    assert.match(refused.detail, /0x87/);
    const ok = await tester.test(settings(m.url), PASSWORD);
    assert.equal(ok.ok, true, ok.detail);
    const noV5 = await tester.test(settings(aedes.url), PASSWORD);
    assert.equal(noV5.kind, SessionErrorKind.PROTOCOL_VERSION, noV5.detail);
    await waitFor(() => m.connects().length >= 1, 3000, 'the tester\'s CONNECT in the log');
    assert.deepEqual(m.connects().map((c) => c.version), [5]);
  } finally {
    await aedes.close();
    await cleanup();
  }
});
