// @each-double The feed session (MqttSession → the app's adapter OhosMqttTransport → the
// @ohos/mqtt double → a real broker on loopback) on the library paths of issue 18, where paho.mqtt.c, the library the
// phone runs, behaves unlike an ordinary MQTT client:
//  A  behind a broker that does not take MQTT 3.1, paho's 3.1 retry hides a refusal of the
//     credentials: the session must still end in an error the user can act on, not retry forever;
//  B  a SUBSCRIBE in flight when a persistent session's link drops is never answered by paho (the
//     library's own wait ends it after 10 s): the next link's subscriptions must not wait for it;
//  D  a broker that never answers: the library's own "Connect fail" after connectTimeout + 5 s must
//     come before the session's watchdog, so the session keeps its client.
// (C, the library's own reconnect after a loss, is exercised by the adapter's tests and by the
// network-cut scenario R1.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConnectionOptions, ConnectionState, ConnectionStatus, MathRandom, MqttSession, MqttSessionConfig, MqttSessionListener,
  MqttTransport, MqttTransportFactory, SessionErrorKind, SubscriptionMode, SystemClock, SystemTimers, TransportListener,
  TransportMessage
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { findMosquitto, silentServer, sleep, startAedes, startCuttingProxy, startMosquitto, waitFor } from '../../tools/testkit';
import { GOOD_PASSWORD, GOOD_USER, startStrictBroker } from '../paho/helpers/strict-broker';
import { startStrictProxy } from '../paho/helpers/strict-proxy';

const T = { timeout: 60000 };

class StatusLog implements MqttSessionListener {
  statuses: Array<{ at: number; status: ConnectionStatus }> = [];
  onMessage(_m: TransportMessage, _at: number): void {}
  onStatus(status: ConnectionStatus): void {
    this.statuses.push({ at: Date.now(), status });
  }
  last(): ConnectionStatus {
    return this.statuses[this.statuses.length - 1].status;
  }
}

/** The app's factory, counting the clients it makes. */
class CountingFactory implements MqttTransportFactory {
  created = 0;
  private readonly inner = new OhosMqttTransportFactory();
  create(connection: ConnectionOptions, listener: TransportListener): MqttTransport | undefined {
    this.created += 1;
    return this.inner.create(connection, listener);
  }
}

interface SessionRig {
  session: MqttSession;
  log: StatusLog;
  factory: CountingFactory;
}

function startSession(url: string, clientId: string, patch: { userName?: string; password?: string; connectTimeoutSeconds?: number;
  symbols?: string[]; baseMs?: number } = {}): SessionRig {
  const config = new MqttSessionConfig();
  config.connection = ConnectionOptions.forBroker(url, clientId);
  config.connection.userName = patch.userName ?? '';
  config.connection.password = patch.password ?? '';
  config.connection.connectTimeoutSeconds = patch.connectTimeoutSeconds ?? 3;
  config.connection.keepAliveSeconds = 30;
  if (patch.symbols) {
    config.subscriptionMode = SubscriptionMode.PER_SYMBOL;
    config.symbols = patch.symbols;
  }
  config.reconnect.baseMs = patch.baseMs ?? 500;
  const log = new StatusLog();
  const factory = new CountingFactory();
  const session = new MqttSession(config, factory, new SystemClock(), new SystemTimers(), new MathRandom(), log);
  session.start();
  return { session, log, factory };
}

function attemptsMade(log: StatusLog): number {
  return Math.max(...log.statuses.map((s) => s.status.attempt));
}

for (const on31 of ['close', 'connack1'] as const) {
  test(`A: behind a broker that ${on31 === 'close' ? 'closes on' : 'answers CONNACK 1 to'} MQTT 3.1 and has no MQTT 5, a wrong password stops the session with BAD_CREDENTIALS after three hidden refusals`, T, async (t) => {
    const broker = await startStrictBroker(on31);
    const started = Date.now();
    const rig = startSession(broker.url, `qd-a-${on31}`, { userName: GOOD_USER, password: 'not-the-password' });
    try {
      await waitFor(() => rig.log.last().state === ConnectionState.ERROR, 40000, 'the session stops');
      t.diagnostic(`ERROR/BAD_CREDENTIALS ${Date.now() - started} ms after start()`);
      const s = rig.log.last();
      assert.equal(s.lastError, SessionErrorKind.BAD_CREDENTIALS, s.detail);
      assert.match(s.detail, /check the user name and password/);
      assert.equal(s.detail.includes('not-the-password'), false);
      assert.equal(attemptsMade(rig.log), 3);
      // the first two were shown as refusals while the session kept trying
      assert.ok(rig.log.statuses.some((x) => x.status.state === ConnectionState.RECONNECTING && x.status.lastError === SessionErrorKind.REFUSED));
      // every attempt: 3.1.1 refused, paho's 3.1 retry rejected, then the MQTT 5 probe with its own client id
      assert.deepEqual(broker.attempts.map((a) => [a.clientId, a.version]),
        Array.from({ length: 3 }, () => [[`qd-a-${on31}`, 4], [`qd-a-${on31}`, 3], [`qd-a-${on31}-v5`, 5]]).flat());
      await sleep(1500);
      assert.equal(broker.attempts.length, 9, 'no attempt after the error');
    } finally {
      await rig.session.stop();
      await broker.close();
    }
  });
}

test('A: good credentials connect behind a broker that rejects MQTT 3.1, without any probe', T, async () => {
  const broker = await startStrictBroker('close');
  const rig = startSession(broker.url, 'qd-a-good', { userName: GOOD_USER, password: GOOD_PASSWORD });
  try {
    await waitFor(() => rig.log.last().state === ConnectionState.CONNECTED, 10000, 'connected');
    assert.deepEqual(broker.attempts.map((a) => a.version), [4]);
  } finally {
    await rig.session.stop();
    await broker.close();
  }
});

test('A: mosquitto behind a proxy that closes on MQTT 3.1 names the refusal over MQTT 5 at the first attempt', T, async (t) => {
  if (findMosquitto() === undefined && !process.env.CI) {
    t.skip('mosquitto is not installed');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-a-mosq-'));
  const file = path.join(dir, 'passwd');
  fs.writeFileSync(file, `${GOOD_USER}:${GOOD_PASSWORD}\n`);
  execFileSync('mosquitto_passwd', ['-U', file], { stdio: 'ignore' });
  const m = await startMosquitto({ extra: ['allow_anonymous false', `password_file ${file}`] });
  const proxy = await startStrictProxy(m.port, 'close');
  const started = Date.now();
  const rig = startSession(proxy.url, 'qd-a-mosq', { userName: GOOD_USER, password: 'not-the-password' });
  try {
    await waitFor(() => rig.log.last().state === ConnectionState.ERROR, 20000, 'the session stops');
    t.diagnostic(`ERROR/NOT_AUTHORIZED ${Date.now() - started} ms after start()`);
    const s = rig.log.last();
    // mosquitto 2 answers a wrong password with "not authorized" (CONNACK 5, MQTT 5 reason 0x87)
    assert.equal(s.lastError, SessionErrorKind.NOT_AUTHORIZED, s.detail);
    assert.equal(attemptsMade(rig.log), 1);
    assert.deepEqual(proxy.attempts.map((a) => [a.clientId, a.version]), [['qd-a-mosq', 4], ['qd-a-mosq', 3], ['qd-a-mosq-v5', 5]]);
  } finally {
    await rig.session.stop();
    await proxy.close();
    await m.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('B: a SUBSCRIBE left unanswered when the link drops does not hold up the next link\'s subscriptions', T, async (t) => {
  let hold = true;
  const subscribedAt: number[] = [];
  const broker = await startAedes({
    authorizeSubscribe: (_c, sub, done) => {
      if (hold) return; // the first link's SUBSCRIBE is never answered
      subscribedAt.push(Date.now());
      done(null, sub);
    },
  });
  const proxy = await startCuttingProxy(broker.port);
  const rig = startSession(proxy.url, 'qd-b-1', { symbols: ['AAPL', 'MSFT'] });
  try {
    await waitFor(() => rig.log.last().state === ConnectionState.CONNECTED, 10000, 'the first link');
    await sleep(300); // its SUBSCRIBE is at the broker, unanswered
    hold = false;
    proxy.cut();
    await waitFor(() => rig.log.statuses.filter((s) => s.status.state === ConnectionState.CONNECTED).length >= 2 &&
      rig.log.last().state === ConnectionState.CONNECTED, 15000, 'the second link');
    const upAt = rig.log.statuses.filter((s) => s.status.state === ConnectionState.CONNECTED).slice(-1)[0].at;
    await waitFor(() => subscribedAt.length >= 2, 12000, 'the second link\'s subscriptions');
    const delay = subscribedAt[1] - upAt;
    t.diagnostic(`the second link's subscription reached the broker ${delay} ms after it came up`);
    // before the fix: up to 10 s later on paho (the library's own wait for the first link's answer)
    assert.ok(delay < 1500, `the second link's subscriptions reached the broker ${delay} ms after it came up`);
  } finally {
    await rig.session.stop();
    await proxy.close();
    await broker.close();
  }
});

test('D: a broker that never answers gets the library\'s own "Connect fail" before the watchdog, and the session keeps its client', T, async (t) => {
  const server = await silentServer();
  const started = Date.now();
  // paho gives up on a silent broker only after 10–13 s here (its timeouts are checked every 3 s,
  // then it tries MQTT 3.1 too): the library's own wait answers first, at connectTimeout + 5 s
  const rig = startSession(`tcp://127.0.0.1:${server.port}`, 'qd-d-1', { connectTimeoutSeconds: 4, baseMs: 200 });
  try {
    await waitFor(() => rig.log.statuses.some((s) => s.status.state === ConnectionState.RECONNECTING), 14000, 'the first attempt fails');
    t.diagnostic(`the first attempt failed ${Date.now() - started} ms after start()`);
    const failed = rig.log.statuses.find((s) => s.status.state === ConnectionState.RECONNECTING)?.status as ConnectionStatus;
    assert.equal(failed.lastError, SessionErrorKind.TIMEOUT, failed.detail);
    assert.match(failed.detail, /Connect fail \(code -1\)/, 'the library answered, not the watchdog');
    assert.equal(rig.factory.created, 1, 'the client is kept for the next attempt');
  } finally {
    await rig.session.stop();
    await server.close();
  }
});
