// Conformance of the two @ohos/mqtt doubles: the mqtt.js emulation (tools/node/ohos-mqtt) and the
// double over the real paho.mqtt.c (tools/node/ohos-mqtt-paho) run the same scenarios
// (tests/paho/scenarios.ts) against real brokers on loopback.
//
// Each test checks the paho double against what paho.mqtt.c does (issue 18's measurements: the
// library is the one the phone runs), then compares the emulation with it aspect by aspect. An
// aspect that differs must be listed in KNOWN_DIFFERENCES, and a listed one must still differ: when
// the emulation is corrected, or starts to disagree somewhere new, this test fails and the list
// (the record of where Node's default double is kinder or harsher than the phone) is updated.
//
// Without paho.mqtt.c (Debian libpaho-mqtt-dev) the tests are skipped with the reason, except in
// CI (CI set), where .ci/run installs it and a missing library is a failure.
import { after, test, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { MqttClient, MqttClientOptions } from '../../tools/types/ohos-mqtt';
import * as emulationModule from '../../tools/node/ohos-mqtt';
import * as pahoModule from '../../tools/node/ohos-mqtt-paho';
import { pahoReady } from './helpers/paho-ready';
import * as S from './scenarios';
import { findMosquitto } from '../../tools/testkit';

const emulation: S.Double = { name: 'emulation', createMqtt: (o: MqttClientOptions) => emulationModule.MqttAsync.createMqtt(o) as unknown as MqttClient };
const paho: S.Double = { name: 'paho', createMqtt: (o: MqttClientOptions) => pahoModule.MqttAsync.createMqtt(o) as unknown as MqttClient };

/**
 * Where the emulation and real paho disagree today (scenario: aspect). Each entry is explained in
 * docs/ohos-mqtt-doubles.md ("Where the two doubles differ"). None since the emulation models
 * paho's delayed 3.1 retry and reconnect, its 3 s timeout checks, the wrapper's wait for an
 * unanswered subscribe and paho's one-per-packet hand-over of queued messages.
 */
const KNOWN_DIFFERENCES = new Set<string>([]);

/** Times within this are "the same" (loopback jitter, two shared cores). */
const SAME_TIME_MS = 400;
/** The longest wait of paho's receive thread in its select (MQTTAsync_receiveThread: 1000 ms). */
const RECEIVE_TURN_MS = 1000;
const T = { timeout: 30000 };


const seen = new Set<string>();

/** Records one aspect on both doubles; fails when its sameness does not match KNOWN_DIFFERENCES. */
function compare(t: TestContext, aspect: string, emu: unknown, real: unknown, same = isDeepStrictEqual(emu, real)): void {
  seen.add(aspect);
  t.diagnostic(`${same ? 'same   ' : 'DIFFERS'} ${aspect}: emulation ${JSON.stringify(emu)} | paho ${JSON.stringify(real)}`);
  if (same) assert.ok(!KNOWN_DIFFERENCES.has(aspect), `"${aspect}" no longer differs: take it out of KNOWN_DIFFERENCES and the README`);
  else assert.ok(KNOWN_DIFFERENCES.has(aspect), `"${aspect}" differs between the doubles and is not a known difference`);
}

function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_TIME_MS;
}

/**
 * The time of a refusal that paho reports after its 3.1 retry: the same as the emulation's, give or
 * take one turn of paho's receive thread. A new socket of paho's is read only from the receive
 * thread's next select, which waits up to 1 s; the emulation starts each attempt at once (modelling
 * that phase would slow every connect of every test by up to 1 s).
 */
function sameRefusalTime(emulationMs: number, pahoMs: number): boolean {
  return pahoMs - emulationMs >= -SAME_TIME_MS && pahoMs - emulationMs <= RECEIVE_TURN_MS + SAME_TIME_MS;
}

const outcome = (s: S.Settled): { resolved: boolean; code: number; message: string } => ({ resolved: s.resolved, code: s.code, message: s.message });

async function both<R>(scenario: (d: S.Double) => Promise<R>): Promise<{ emu: R; real: R }> {
  const [emu, real] = await Promise.all([scenario(emulation), scenario(paho)]);
  return { emu, real };
}

let registered = 0;
let passed = 0;

/** A conformance test: skipped (or failed in CI) without paho; counted when it passes. */
function conformance(name: string, body: (t: TestContext) => Promise<void | 'skipped'>): void {
  registered += 1;
  test(name, T, async (t) => {
    if (!pahoReady(t)) return;
    if ((await body(t)) !== 'skipped') passed += 1;
  });
}

after(() => {
  // once every test passed, every known difference must have been compared by one of them
  if (passed < registered) return;
  const unchecked = [...KNOWN_DIFFERENCES].filter((k) => !seen.has(k));
  assert.deepEqual(unchecked, [], 'KNOWN_DIFFERENCES names aspects no test compares');
});

conformance('a connect, subscribe, QoS 1 publish and delivery and two disconnects answer alike on both doubles', async (t) => {
  const { emu, real } = await both(S.roundTrip);
  for (const step of ['connect', 'subscribe', 'publish', 'disconnect', 'disconnectAgain'] as const) {
    assert.equal(real[step].code, step === 'disconnectAgain' ? -1 : 0, `paho ${step}: ${real[step].message}`);
    compare(t, `round trip: ${step} result`, outcome(emu[step]), outcome(real[step]));
  }
  assert.deepEqual(real.message, { topic: 'rt/x', payload: 'a', bytes: [0x61, 0x00, 0x62, 0xff], qos: 1, retained: 0, dup: 0 });
  compare(t, 'round trip: the delivered message', emu.message, real.message);
  t.diagnostic(`times (ms) emulation/paho: connect ${emu.connect.ms}/${real.connect.ms}, subscribe ${emu.subscribe.ms}/${real.subscribe.ms}, ` +
    `publish ${emu.publish.ms}/${real.publish.ms}, delivery ${emu.deliveredAfterMs}/${real.deliveredAfterMs}, ` +
    `disconnect ${emu.disconnect.ms}/${real.disconnect.ms}, destroy ${emu.destroyMs}/${real.destroyMs}`);
});

conformance('A: a broker that closes on MQTT 3.1 hides bad credentials behind "TCP connect completion failure"', async (t) => {
  const wrong = await both((d) => S.refusalBehindStrictBroker(d, 'close', ...S.credentials.wrongPassword));
  // paho tries 3.1.1 (CONNACK 4), then 3.1 (closed), and reports the last attempt
  assert.deepEqual(outcome(wrong.real.result), { resolved: false, code: -1, message: 'TCP connect completion failure' });
  assert.deepEqual(wrong.real.attempts, [4, 3]);
  assert.ok(wrong.real.result.ms >= 900, `paho retries 3.1 about 1.1 s later (took ${wrong.real.result.ms} ms)`);
  compare(t, 'A 3.1-closing broker, wrong password: result', outcome(wrong.emu.result), outcome(wrong.real.result));
  compare(t, 'A 3.1-closing broker, wrong password: CONNECT levels', wrong.emu.attempts, wrong.real.attempts);
  compare(t, 'A 3.1-closing broker, wrong password: time to the refusal', wrong.emu.result.ms, wrong.real.result.ms,
    sameRefusalTime(wrong.emu.result.ms, wrong.real.result.ms));

  const good = await both((d) => S.refusalBehindStrictBroker(d, 'close', ...S.credentials.good));
  assert.equal(good.real.result.code, 0, good.real.result.message);
  assert.deepEqual(good.real.attempts, [4]);
  compare(t, 'A 3.1-closing broker, good password: result', outcome(good.emu.result), outcome(good.real.result));
});

conformance('A: a broker that answers MQTT 3.1 with CONNACK 1 turns CONNACK 4 and 5 into code 1', async (t) => {
  const wrong = await both((d) => S.refusalBehindStrictBroker(d, 'connack1', ...S.credentials.wrongPassword));
  assert.deepEqual(outcome(wrong.real.result), { resolved: false, code: 1, message: 'CONNACK return code' });
  assert.deepEqual(wrong.real.attempts, [4, 3]);
  compare(t, 'A 3.1-refusing broker (CONNACK 1), wrong password: result', outcome(wrong.emu.result), outcome(wrong.real.result));
  compare(t, 'A 3.1-refusing broker (CONNACK 1), wrong password: time to the refusal', wrong.emu.result.ms, wrong.real.result.ms,
    sameRefusalTime(wrong.emu.result.ms, wrong.real.result.ms));
  const blocked = await both((d) => S.refusalBehindStrictBroker(d, 'connack1', ...S.credentials.blockedUser));
  assert.deepEqual(outcome(blocked.real.result), { resolved: false, code: 1, message: 'CONNACK return code' });
  compare(t, 'A 3.1-refusing broker (CONNACK 1), refused user: result', outcome(blocked.emu.result), outcome(blocked.real.result));
});

conformance('A: mosquitto 2 answers a wrong password with CONNACK 5 (3.1.1 and 3.1 alike)', async (t) => {
  if (findMosquitto() === undefined && !process.env.CI) {
    t.skip('mosquitto is not installed');
    return 'skipped';
  }
  const pw = passwordFile();
  try {
    const r = await both((d) => S.mosquittoWrongPassword(d, pw.file));
    assert.deepEqual(outcome(r.real.result), { resolved: false, code: 5, message: 'CONNACK return code' });
    assert.equal(r.real.connections, 2, 'one 3.1.1 and one 3.1 CONNECT');
    compare(t, 'A mosquitto, wrong password: result', outcome(r.emu.result), outcome(r.real.result));
    compare(t, 'A mosquitto, wrong password: CONNECT attempts', r.emu.connections, r.real.connections);
    compare(t, 'A mosquitto, wrong password: time to the refusal', r.emu.result.ms, r.real.result.ms, sameRefusalTime(r.emu.result.ms, r.real.result.ms));
  } finally {
    pw.cleanup();
  }
});

/** A mosquitto password file with the good user (mosquitto_passwd), removed by the returned cleanup. */
function passwordFile(): { file: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-paho-pw-'));
  const file = path.join(dir, 'passwd');
  fs.writeFileSync(file, `${S.credentials.good[0]}:${S.credentials.good[1]}\n`);
  execFileSync('mosquitto_passwd', ['-U', file], { stdio: 'ignore' });
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

conformance('A: an MQTT 5 connect gets CONNACK 1 from a broker without MQTT 5, and from mosquitto the refusal\'s reason as its code', async (t) => {
  const withMosquitto = findMosquitto() !== undefined || Boolean(process.env.CI);
  const pw = withMosquitto ? passwordFile() : undefined;
  try {
    const { emu, real } = await both((d) => S.mqtt5Probe(d, pw?.file));
    // aedes speaks no MQTT 5 and answers 3.1.1's CONNACK 1; paho reports it as code 1, reasonCode 0
    assert.deepEqual(real.noMqtt5, { resolved: false, code: 1, reasonCode: 0, message: 'CONNACK return code' });
    compare(t, 'A MQTT 5 connect, broker without MQTT 5: answer', emu.noMqtt5, real.noMqtt5);
    if (!withMosquitto) {
      t.diagnostic('mosquitto is not installed: its MQTT 5 answer is not compared');
      seen.add('A MQTT 5 connect, mosquitto, wrong password: answer');
      return;
    }
    // mosquitto 2.0.11 refuses a wrong password over MQTT 5 with 0x87 "not authorized"; paho puts the
    // reason into code and leaves reasonCode 0
    assert.deepEqual(real.mosquitto, { resolved: false, code: 0x87, reasonCode: 0, message: 'CONNACK return code' });
    compare(t, 'A MQTT 5 connect, mosquitto, wrong password: answer', emu.mosquitto, real.mosquitto);
  } finally {
    pw?.cleanup();
  }
});

conformance('B: a subscribe in flight when the link drops: no answer on a persistent session, -11 on a clean one', async (t) => {
  const [persistent, clean] = await Promise.all([both((d) => S.subscribeInFlightOnDrop(d, false)), both((d) => S.subscribeInFlightOnDrop(d, true))]);
  // paho never answers; the wrapper's own wait (1000 x 10 ms) ends it
  assert.deepEqual(outcome(persistent.real.subscribe), { resolved: false, code: -1, message: 'Subscribe fail' });
  assert.ok(persistent.real.subscribe.ms >= 9500 && persistent.real.subscribe.ms < 12000, `paho: ${persistent.real.subscribe.ms} ms`);
  compare(t, 'B subscribe in flight, persistent session: result and time',
    { ...outcome(persistent.emu.subscribe), ms: persistent.emu.subscribe.ms }, { ...outcome(persistent.real.subscribe), ms: persistent.real.subscribe.ms },
    isDeepStrictEqual(outcome(persistent.emu.subscribe), outcome(persistent.real.subscribe)) && sameTime(persistent.emu.subscribe.ms, persistent.real.subscribe.ms));
  // a clean session: paho fails the pending subscribe with MQTTASYNC_OPERATION_INCOMPLETE at the loss
  assert.deepEqual(outcome(clean.real.subscribe), { resolved: false, code: -11, message: 'failed' });
  compare(t, 'B subscribe in flight, clean session: result and time',
    { ...outcome(clean.emu.subscribe), ms: clean.emu.subscribe.ms }, { ...outcome(clean.real.subscribe), ms: clean.real.subscribe.ms },
    isDeepStrictEqual(outcome(clean.emu.subscribe), outcome(clean.real.subscribe)) && sameTime(clean.emu.subscribe.ms, clean.real.subscribe.ms));
});

conformance('C: after a passive loss paho reconnects once with MQTT 3.1 about 1.1 s later; a second loss is reported too', async (t) => {
  const { emu, real } = await both(S.passiveLoss);
  assert.ok(real.lostAfterMs >= 0 && real.lostAfterMs < 500, `paho connectLost after ${real.lostAfterMs} ms`);
  assert.equal(real.silent?.version, 3);
  assert.ok((real.silent?.afterMs ?? 0) >= 900 && (real.silent?.afterMs ?? 0) < 3000, `paho's 3.1 reconnect after ${real.silent?.afterMs} ms`);
  assert.ok(real.secondLostAfterMs >= 900, `paho's second connectLost after ${real.secondLostAfterMs} ms`);
  assert.equal(real.connectsAfterSecondCut, 0, 'after the 3.1 link is lost paho has nothing left to try');
  compare(t, 'C passive loss: connectLost after the cut', emu.lostAfterMs, real.lostAfterMs, sameTime(emu.lostAfterMs, real.lostAfterMs));
  compare(t, 'C passive loss: the library\'s own 3.1 reconnect after the loss', emu.silent, real.silent,
    emu.silent?.version === real.silent?.version && sameTime(emu.silent?.afterMs ?? -1, real.silent?.afterMs ?? -1));
  compare(t, 'C passive loss: the second connectLost after the first', emu.secondLostAfterMs, real.secondLostAfterMs,
    sameTime(emu.secondLostAfterMs, real.secondLostAfterMs));
  compare(t, 'C passive loss: CONNECTs after the second loss', emu.connectsAfterSecondCut, real.connectsAfterSecondCut);
});

conformance('C: connect() inside connectLost merges with paho\'s pending reconnect, or loses the race to it', async (t) => {
  const { emu, real } = await both(S.mergedReconnect);
  const c = 'C connect() inside connectLost';
  if (real.connect.resolved) {
    // usually: the app's connect takes over the pending reconnect, one 3.1.1 CONNECT ~1.1 s later
    assert.deepEqual(outcome(real.connect), { resolved: true, code: 0, message: 'Connect Success' });
    assert.deepEqual(real.attempts, [4], 'one 3.1.1 CONNECT');
    assert.ok(real.connect.ms >= 900, `paho: ${real.connect.ms} ms`);
    assert.equal(real.connected, true);
    compare(t, `${c}: result`, outcome(emu.connect), outcome(real.connect));
    compare(t, `${c}: CONNECTs the broker sees`, emu.attempts, real.attempts);
    compare(t, `${c}: time to its result`, emu.connect.ms, real.connect.ms, sameTime(emu.connect.ms, real.connect.ms));
    compare(t, `${c}: link level and state`, [emu.linkVersion, emu.connected], [real.linkVersion, real.connected]);
    return;
  }
  // paho sometimes takes another path, which the emulation (the idle case: the reconnect ~1.1 s
  // later, taken over by the app's connect) does not model, so nothing here compares; the app
  // avoids all of them (its adapter retires the native client with the loss):
  // - its 3.1 retry ran at once and its link is up before the wrapper checks: "Connect fail" at
  //   once, and the client stays on paho's own 3.1 link (about 1 run in 8);
  // - the taken-over connect fails with "TCP connect timeout" within ~2 s, well inside its 5 s
  //   (seen once in 8 runs; paho seems to time it from the reconnect it took over)
  if (real.connect.message === 'TCP connect timeout') {
    assert.deepEqual(outcome(real.connect), { resolved: false, code: -1, message: 'TCP connect timeout' });
    assert.ok(real.connect.ms < 5000, `paho: ${real.connect.ms} ms`);
  } else {
    assert.deepEqual(outcome(real.connect), { resolved: false, code: -1, message: 'Connect fail' });
    assert.deepEqual(real.attempts, [3]);
    assert.deepEqual([real.linkVersion, real.connected], [3, true]);
  }
  for (const aspect of [`${c}: result`, `${c}: CONNECTs the broker sees`, `${c}: time to its result`, `${c}: link level and state`]) {
    seen.add(aspect);
    t.diagnostic(`RACE    ${aspect}: paho took another path (${JSON.stringify(real.connect)}; emulation ${JSON.stringify(emu.connect)})`);
  }
});

conformance('D: failed connects to a refused port, a silent server (connectTimeout 4) and with bad credentials give paho\'s results', async (t) => {
  const { emu, real } = await both(S.failedConnects);
  assert.deepEqual(outcome(real.closedPort), { resolved: false, code: -1, message: 'TCP/TLS connect failure' });
  // paho checks connect timeouts every 3 s and then still tries 3.1 (10 to 13 s in all): the
  // wrapper's own (connectTimeout + 5) s wait answers first
  assert.deepEqual(outcome(real.silentServer), { resolved: false, code: -1, message: 'Connect fail' });
  assert.ok(real.silentServer.ms >= 8500 && real.silentServer.ms < 11000, `paho: ${real.silentServer.ms} ms`);
  assert.deepEqual(outcome(real.badCredentials), { resolved: false, code: 4, message: 'CONNACK return code' });
  assert.ok(real.badCredentials.ms >= 900, `paho: ${real.badCredentials.ms} ms`);
  // paho's 3.1 retry after a refused TCP connect runs at once or on its send thread's next turn (~1.1 s)
  assert.ok(real.closedPort.ms < 2000, `paho: ${real.closedPort.ms} ms`);
  compare(t, 'D refused port: result', outcome(emu.closedPort), outcome(real.closedPort));
  t.diagnostic(`D refused port: emulation ${emu.closedPort.ms} ms, paho ${real.closedPort.ms} ms`);
  compare(t, 'D silent server, connectTimeout 4: result', { ...outcome(emu.silentServer), ms: emu.silentServer.ms },
    { ...outcome(real.silentServer), ms: real.silentServer.ms },
    isDeepStrictEqual(outcome(emu.silentServer), outcome(real.silentServer)) && sameTime(emu.silentServer.ms, real.silentServer.ms));
  compare(t, 'D bad credentials: result', outcome(emu.badCredentials), outcome(real.badCredentials));
  compare(t, 'D bad credentials: time to the refusal', emu.badCredentials.ms, real.badCredentials.ms, sameRefusalTime(emu.badCredentials.ms, real.badCredentials.ms));
});

conformance('a disconnect when never connected, messages queued without a handler and an empty host give the library\'s results', async (t) => {
  const { emu, real } = await both(S.facts);
  // the wrapper checks MQTTAsync_isConnected first, so paho's own -3 (MQTTASYNC_DISCONNECTED) never shows
  assert.deepEqual(outcome(real.disconnectNeverConnected), { resolved: false, code: -1, message: 'Disconnect fail' });
  compare(t, 'disconnect() when never connected', outcome(emu.disconnectNeverConnected), outcome(real.disconnectNeverConnected));
  // paho queues them and hands over one per packet that arrives after a handler is set
  assert.deepEqual(real.queuedWithoutHandler, { published: 5, afterRegistering: [], afterNext: ['q/0'] });
  compare(t, 'messages published while no handler is set: delivery', emu.queuedWithoutHandler, real.queuedWithoutHandler);
  assert.equal(real.emptyHost.created, true);
  assert.deepEqual(real.emptyHost.connect && outcome(real.emptyHost.connect), { resolved: false, code: -1, message: 'failed' });
  compare(t, 'createMqtt with an empty host', { created: emu.emptyHost.created }, { created: real.emptyHost.created });
});

conformance('MQTT version: 4 does not stop the 3.1 fallback, and an MQTT 5 connect needs a client created for MQTT 5', async (t) => {
  const { emu, real } = await both(S.versionOptions);
  // the wrapper reads MQTTVersion 4 only to choose paho's default initializer (MQTTVERSION_DEFAULT)
  assert.deepEqual(real.v4.attempts, [4, 3], 'paho still tries 3.1 after a refused 3.1.1 CONNECT');
  assert.deepEqual(outcome(real.v4.result), { resolved: false, code: -1, message: 'TCP connect completion failure' });
  compare(t, 'MQTT version 4: CONNECT levels', emu.v4.attempts, real.v4.attempts);
  compare(t, 'MQTT version 4: result', outcome(emu.v4.result), outcome(real.v4.result));
  // an MQTT 5 client may connect with the default version (paho accepts it; the wrapper then reports
  // the connect with its 3.1.1 callbacks); an MQTT 5 connect on an ordinary client is paho's
  // MQTTASYNC_WRONG_MQTT_VERSION, the wrapper's "Connect fail"
  assert.deepEqual(outcome(real.createdV5ConnectDefault), { resolved: true, code: 0, message: 'Connect Success' });
  assert.deepEqual(outcome(real.createdDefaultConnectV5), { resolved: false, code: -1, message: 'Connect fail' });
  compare(t, 'MQTT 5 client, connect without MQTTVersion 5', outcome(emu.createdV5ConnectDefault), outcome(real.createdV5ConnectDefault));
  compare(t, 'ordinary client, connect with MQTTVersion 5', outcome(emu.createdDefaultConnectV5), outcome(real.createdDefaultConnectV5));
});

conformance('MQTT 5 on mosquitto: connect, a one-topic SUBACK, a QoS 1 message and a takeover answer alike', async (t) => {
  if (findMosquitto() === undefined && !process.env.CI) {
    t.skip('mosquitto is not installed');
    return 'skipped';
  }
  const { emu, real } = await both(S.mqtt5Session);
  assert.deepEqual(outcome(real.connect), { resolved: true, code: 0, message: 'Connect5 Success' });
  // paho hands a one-topic SUBACK's granted QoS over as reasonCode
  assert.deepEqual({ ...outcome(real.subscribe), reasonCode: real.subscribe.reasonCode },
    { resolved: true, code: 0, message: 'Subscribe5 Success', reasonCode: 1 });
  assert.deepEqual(real.message, { topic: 'v5/x', payload: 'q', qos: 1 });
  // the DISCONNECT's reason (0x8E session taken over) is not in connectLost: paho passes it only to
  // its `disconnected` callback, which the wrapper does not register
  t.diagnostic(`taken over: emulation ${JSON.stringify(emu.takenOver)} | paho ${JSON.stringify(real.takenOver)}`);
  assert.equal(real.takenOver.code, 0);
  compare(t, 'MQTT 5: connect', outcome(emu.connect), outcome(real.connect));
  compare(t, 'MQTT 5: one-topic subscribe', { ...outcome(emu.subscribe), reasonCode: emu.subscribe.reasonCode },
    { ...outcome(real.subscribe), reasonCode: real.subscribe.reasonCode });
  compare(t, 'MQTT 5: the delivered message', emu.message, real.message);
  compare(t, 'MQTT 5: connectLost after a takeover', emu.takenOver, real.takenOver);
});
