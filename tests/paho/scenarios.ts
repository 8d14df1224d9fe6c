// The scenarios the conformance test runs against both @ohos/mqtt doubles: the mqtt.js emulation
// (tools/node/ohos-mqtt) and the double over the real paho.mqtt.c (tools/node/ohos-mqtt-paho). Each
// one drives a client exactly as the app would, against real brokers on loopback, and returns what
// the app would see (codes, messages, callbacks) with the times it took, as plain data.
import mqtt from 'mqtt';
import type { MqttClient, MqttClientOptions, MqttResponse } from '../../tools/types/ohos-mqtt';
import { freePort, silentServer, sleep, startAedes, startCuttingProxy, startMosquitto, waitFor } from '../../tools/testkit';
import { BLOCKED_USER, GOOD_PASSWORD, GOOD_USER, On31, startStrictBroker } from './helpers/strict-broker';

export type DoubleName = 'emulation' | 'paho';

export interface Double {
  name: DoubleName;
  createMqtt(options: MqttClientOptions): MqttClient;
}

/** A library result as the app reads it: the promise's value or its rejection, and how long it took. */
export interface Settled {
  resolved: boolean;
  code: number;
  message: string;
  ms: number;
}

async function settle(p: Promise<MqttResponse>): Promise<Settled> {
  const start = Date.now();
  try {
    const r = await p;
    return { resolved: true, code: r.code, message: r.message, ms: Date.now() - start };
  } catch (e) {
    const r = e as MqttResponse;
    return { resolved: false, code: r.code, message: r.message, ms: Date.now() - start };
  }
}

let idCounter = 0;
/** Client ids of at most 23 characters, unique per run (brokers refuse longer ones on MQTT 3.1). */
function clientId(d: Double, tag: string): string {
  idCounter += 1;
  return `${d.name.slice(0, 3)}-${tag}-${idCounter}`.slice(0, 23);
}

function client(d: Double, url: string, tag: string): MqttClient {
  const c = d.createMqtt({ url, clientId: clientId(d, tag), persistenceType: 1 });
  if (!c) throw new Error(`${d.name}: createMqtt refused ${url}`);
  return c;
}

// ---- round trip ---------------------------------------------------------------------------------

export interface RoundTrip {
  connect: Settled;
  subscribe: Settled;
  publish: Settled;
  /** ms from the publish call to the message reaching messageArrived. */
  deliveredAfterMs: number;
  message: { topic: string; payload: string; bytes: number[]; qos: number; retained: number; dup: number };
  disconnect: Settled;
  disconnectAgain: Settled;
  destroyMs: number;
}

/** Connect, subscribe, publish a QoS 1 message to itself (NUL and invalid UTF-8 inside), disconnect twice. */
export async function roundTrip(d: Double): Promise<RoundTrip> {
  const broker = await startAedes();
  const c = client(d, broker.url, 'rt');
  const got: Array<{ at: number; m: Parameters<Parameters<MqttClient['messageArrived']>[0]>[1] }> = [];
  c.messageArrived((_e, m) => got.push({ at: Date.now(), m }));
  try {
    const connect = await settle(c.connect({ connectTimeout: 5 }));
    const subscribe = await settle(c.subscribe({ topic: 'rt/#', qos: 1 }));
    const bytes = [0x61, 0x00, 0x62, 0xff];
    const start = Date.now();
    const publish = await settle(c.publish({ topic: 'rt/x', qos: 1, payloadBinary: new Uint8Array(bytes).buffer }));
    await waitFor(() => got.length === 1, 5000, `${d.name}: the message`);
    const m = got[0].m;
    const disconnect = await settle(c.disconnect());
    const disconnectAgain = await settle(c.disconnect());
    const destroyStart = Date.now();
    await c.destroy();
    return {
      connect, subscribe, publish, deliveredAfterMs: got[0].at - start,
      message: { topic: m.topic, payload: m.payload, bytes: [...new Uint8Array(m.payloadBinary)], qos: m.qos, retained: m.retained, dup: m.dup },
      disconnect, disconnectAgain, destroyMs: Date.now() - destroyStart,
    };
  } finally {
    await c.destroy();
    await broker.close();
  }
}

// ---- A: refusals behind a broker that rejects MQTT 3.1 -------------------------------------------

export interface Refusal {
  result: Settled;
  /** Protocol levels of the CONNECTs the broker saw, in order. */
  attempts: number[];
}

/** One connect with the given credentials against a broker that closes on, or refuses, MQTT 3.1. */
export async function refusalBehindStrictBroker(d: Double, on31: On31, userName: string, password: string): Promise<Refusal> {
  const broker = await startStrictBroker(on31);
  const c = client(d, broker.url, 'ref');
  try {
    const result = await settle(c.connect({ connectTimeout: 5, userName, password }));
    await sleep(50);
    return { result, attempts: broker.attempts.map((a) => a.version) };
  } finally {
    await c.destroy();
    await broker.close();
  }
}

export const credentials = {
  wrongPassword: [GOOD_USER, 'not-the-password'] as const,
  blockedUser: [BLOCKED_USER, 'whatever'] as const,
  good: [GOOD_USER, GOOD_PASSWORD] as const,
};

/** A wrong password against mosquitto 2 with a password file (it answers CONNACK 5 and accepts 3.1). */
export async function mosquittoWrongPassword(d: Double, passwordFile: string): Promise<{ result: Settled; connections: number }> {
  const m = await startMosquitto({ extra: ['allow_anonymous false', `password_file ${passwordFile}`] });
  const proxy = await startCuttingProxy(m.port); // counts the TCP connections, one per CONNECT attempt
  const c = client(d, proxy.url, 'mpw');
  try {
    const result = await settle(c.connect({ connectTimeout: 5, userName: GOOD_USER, password: 'not-the-password' }));
    await sleep(50);
    return { result, connections: proxy.accepted() };
  } finally {
    await c.destroy();
    await proxy.close();
    await m.close();
  }
}

/** An MQTT 5 connect as the app's probe makes it after a hidden refusal: the connect's full answer. */
export interface Mqtt5Answer {
  resolved: boolean;
  code: number;
  reasonCode: number;
  message: string;
}

async function mqtt5Connect(d: Double, url: string, userName: string, password: string): Promise<Mqtt5Answer> {
  const c = d.createMqtt({ url, clientId: clientId(d, 'v5'), persistenceType: 1, MQTTVersion: 5 });
  if (!c) throw new Error(`${d.name}: createMqtt refused an MQTT 5 client for ${url}`);
  try {
    const r = await c.connect({ connectTimeout: 5, MQTTVersion: 5, userName, password });
    return { resolved: true, code: r.code, reasonCode: r.reasonCode, message: r.message };
  } catch (e) {
    const r = e as MqttResponse;
    return { resolved: false, code: r.code, reasonCode: r.reasonCode, message: r.message };
  } finally {
    await c.destroy();
  }
}

/**
 * The app's MQTT 5 probe after a hidden refusal, with a wrong password: against aedes behind the
 * strict broker (no MQTT 5: it answers 3.1.1's CONNACK 1) and, when given, mosquitto 2 with a
 * password file (MQTT 5: "not authorized" 0x87).
 */
export async function mqtt5Probe(d: Double, passwordFile?: string): Promise<{ noMqtt5: Mqtt5Answer; mosquitto?: Mqtt5Answer }> {
  const broker = await startStrictBroker('close');
  try {
    const noMqtt5 = await mqtt5Connect(d, broker.url, GOOD_USER, 'not-the-password');
    if (passwordFile === undefined) return { noMqtt5 };
    const m = await startMosquitto({ extra: ['allow_anonymous false', `password_file ${passwordFile}`] });
    try {
      return { noMqtt5, mosquitto: await mqtt5Connect(d, m.url, GOOD_USER, 'not-the-password') };
    } finally {
      await m.close();
    }
  } finally {
    await broker.close();
  }
}

// ---- B: a subscribe in flight when the link drops -----------------------------------------------

export interface InFlightSubscribe {
  subscribe: Settled;
  /** ms from the cut to connectLost. */
  lostAfterMs: number;
}

/**
 * The broker never answers the SUBSCRIBE (its authorizeSubscribe hangs); 300 ms later the link is
 * cut and stays down. `clean` false asks for a persistent session (cleanSession: 0).
 */
export async function subscribeInFlightOnDrop(d: Double, clean: boolean): Promise<InFlightSubscribe> {
  const broker = await startAedes({ authorizeSubscribe: () => undefined });
  const proxy = await startCuttingProxy(broker.port);
  const c = client(d, proxy.url, clean ? 'bc' : 'bp');
  let lostAt = 0;
  c.connectLost(() => {
    lostAt = Date.now();
  });
  try {
    const connected = await settle(c.connect(clean ? { connectTimeout: 5 } : { connectTimeout: 5, cleanSession: 0 as unknown as boolean }));
    if (!connected.resolved) throw new Error(`${d.name}: connect failed: ${connected.message}`);
    const pending = settle(c.subscribe({ topic: 'hang/#', qos: 1 }));
    await sleep(300);
    proxy.setDown(true);
    const cutAt = Date.now();
    proxy.cut();
    const subscribe = await pending;
    return { subscribe: { ...subscribe, ms: subscribe.ms }, lostAfterMs: lostAt === 0 ? -1 : lostAt - cutAt };
  } finally {
    await c.destroy();
    await proxy.close();
    await broker.close();
  }
}

// ---- C: passive loss, the library's own reconnect, and a second loss -----------------------------

export interface PassiveLoss {
  /** ms from the cut to connectLost. */
  lostAfterMs: number;
  /** The library's own CONNECT after the loss (no app call): protocol level and ms after the cut, if any. */
  silent: { version: number; afterMs: number } | undefined;
  /** ms after the cut when isConnected() first said true, or -1. */
  connectedAgainAfterMs: number;
  /** The silent link is cut as soon as it is up: ms between the two connectLost callbacks, or -1 if none came. */
  secondLostAfterMs: number;
  /** CONNECTs the broker saw after the second cut within 2.5 s (none expected: nothing left to try). */
  connectsAfterSecondCut: number;
}

export async function passiveLoss(d: Double): Promise<PassiveLoss> {
  const broker = await startStrictBroker('accept');
  const proxy = await startCuttingProxy(broker.port);
  const c = client(d, proxy.url, 'pl');
  const losses: number[] = [];
  c.connectLost(() => losses.push(Date.now()));
  try {
    const connected = await settle(c.connect({ connectTimeout: 5 }));
    if (!connected.resolved) throw new Error(`${d.name}: connect failed: ${connected.message}`);
    const before = broker.attempts.length;
    const cutAt = Date.now();
    proxy.cut();
    await waitFor(() => losses.length === 1, 5000, `${d.name}: connectLost`);
    let connectedAgainAt = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && connectedAgainAt === 0) {
      if (await c.isConnected()) connectedAgainAt = Date.now();
      else await sleep(5);
    }
    const silentAttempt = broker.attempts.slice(before)[0];
    let secondLostAfterMs = -1;
    let connectsAfterSecondCut = 0;
    if (connectedAgainAt !== 0) {
      const secondCutCount = broker.attempts.length;
      proxy.cut();
      await waitFor(() => losses.length === 2, 5000, `${d.name}: the second connectLost`).catch(() => undefined);
      if (losses.length === 2) secondLostAfterMs = losses[1] - losses[0];
      await sleep(2500);
      connectsAfterSecondCut = broker.attempts.length - secondCutCount;
    }
    return {
      lostAfterMs: losses[0] - cutAt,
      silent: silentAttempt ? { version: silentAttempt.version, afterMs: silentAttempt.at - cutAt } : undefined,
      connectedAgainAfterMs: connectedAgainAt === 0 ? -1 : connectedAgainAt - cutAt,
      secondLostAfterMs,
      connectsAfterSecondCut,
    };
  } finally {
    await c.destroy();
    await proxy.close();
    await broker.close();
  }
}

export interface MergedReconnect {
  /** The app's connect() issued inside connectLost, while the library's own reconnect is pending. */
  connect: Settled;
  /** Protocol levels of the CONNECTs after the loss, in order. */
  attempts: number[];
  /** Protocol level of the link the client ends up on (the broker's last accepted client). */
  linkVersion: number;
  connected: boolean;
}

/**
 * Right after connectLost the app connects again (as its adapter does when isConnected() is false),
 * while paho's own 3.1 reconnect is pending or, sometimes, already done.
 */
export async function mergedReconnect(d: Double): Promise<MergedReconnect> {
  const broker = await startStrictBroker('accept');
  const proxy = await startCuttingProxy(broker.port);
  const c = client(d, proxy.url, 'mr');
  let reconnect: Promise<Settled> | undefined;
  c.connectLost(() => {
    reconnect = settle(c.connect({ connectTimeout: 5 }));
  });
  try {
    const connected = await settle(c.connect({ connectTimeout: 5 }));
    if (!connected.resolved) throw new Error(`${d.name}: connect failed: ${connected.message}`);
    const before = broker.attempts.length;
    proxy.cut();
    await waitFor(() => reconnect !== undefined, 5000, `${d.name}: connectLost`);
    const result = await (reconnect as Promise<Settled>);
    await sleep(1500); // a CONNECT of the library's own would come within this
    return {
      connect: result,
      attempts: broker.attempts.slice(before).map((a) => a.version),
      linkVersion: broker.aedes.connects().at(-1)?.version ?? 0,
      connected: await c.isConnected(),
    };
  } finally {
    await c.destroy();
    await proxy.close();
    await broker.close();
  }
}

// ---- D: failed connects ------------------------------------------------------------------------

export interface FailedConnects {
  closedPort: Settled;
  /** A TCP server that never answers, connectTimeout 4 s. */
  silentServer: Settled;
  /** aedes answering CONNACK 4 to 3.1.1 and 3.1 alike. */
  badCredentials: Settled;
}

export async function failedConnects(d: Double): Promise<FailedConnects> {
  const port = await freePort();
  const silent = await silentServer();
  const broker = await startStrictBroker('accept');
  const a = client(d, `tcp://127.0.0.1:${port}`, 'fc');
  const b = client(d, `tcp://127.0.0.1:${silent.port}`, 'fs');
  const c = client(d, broker.url, 'fb');
  try {
    // one at a time: while another client keeps paho's threads busy its 3.1 retry runs at once,
    // when they are idle it waits for the send thread's next turn (~1.1 s)
    const closed = await settle(a.connect({ connectTimeout: 5 }));
    const refused = await settle(c.connect({ connectTimeout: 5, userName: GOOD_USER, password: 'wrong' }));
    const timeout = await settle(b.connect({ connectTimeout: 4 }));
    return { closedPort: closed, silentServer: timeout, badCredentials: refused };
  } finally {
    for (const x of [a, b, c]) await x.destroy();
    await silent.close();
    await broker.close();
  }
}

// ---- smaller library facts ---------------------------------------------------------------------

export interface Facts {
  /** disconnect() on a client that never connected. */
  disconnectNeverConnected: Settled;
  /**
   * Messages published while no messageArrived handler was registered: how many reach the handler
   * once it is registered, and once one more message has arrived after that.
   */
  queuedWithoutHandler: { published: number; afterRegistering: string[]; afterNext: string[] };
  /** createMqtt with an empty host: created, and what connect then says. */
  emptyHost: { created: boolean; connect?: Settled };
}

export async function facts(d: Double): Promise<Facts> {
  const broker = await startAedes();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { reconnectPeriod: 0 });
  const fresh = client(d, broker.url, 'fn');
  const quiet = client(d, broker.url, 'fq');
  try {
    const disconnectNeverConnected = await settle(fresh.disconnect());

    await settle(quiet.connect({ connectTimeout: 5 }));
    await settle(quiet.subscribe({ topic: 'q/#', qos: 1 }));
    const published = 5;
    for (let i = 0; i < published; i++) await pub.publishAsync(`q/${i}`, `m${i}`, { qos: 1 });
    await sleep(300);
    const topics: string[] = [];
    quiet.messageArrived((_e, m) => topics.push(m.topic));
    await sleep(700);
    const afterRegistering = [...topics];
    await pub.publishAsync('q/next', 'next', { qos: 1 });
    await sleep(500);

    const empty = d.createMqtt({ url: 'tcp://:1883', clientId: clientId(d, 'eh'), persistenceType: 1 });
    let emptyHost: Facts['emptyHost'] = { created: Boolean(empty) };
    if (empty) {
      emptyHost = { created: true, connect: await settle(empty.connect({ connectTimeout: 2 })) };
      await empty.destroy();
    }
    return { disconnectNeverConnected, queuedWithoutHandler: { published, afterRegistering, afterNext: topics.slice(afterRegistering.length) }, emptyHost };
  } finally {
    await fresh.destroy();
    await quiet.destroy();
    await pub.endAsync();
    await broker.close();
  }
}

// ---- MQTT version (issue 13) ----------------------------------------------------------------------

export interface VersionOptions {
  /** createMqtt and connect with MQTTVersion 4, wrong password, behind a broker that closes on 3.1. */
  v4: Refusal;
  /** An MQTT 5 client connected without MQTTVersion 5 in the connect options. */
  createdV5ConnectDefault: Settled;
  /** An ordinary client connected with MQTTVersion 5. */
  createdDefaultConnectV5: Settled;
}

/**
 * What MQTTVersion 4 and mismatched versions do. The wrapper reads the connect options' MQTTVersion
 * only to choose paho's initializer (5 → MQTT 5, anything else → MQTTVERSION_DEFAULT, 3.1.1 then
 * 3.1): 4 does not stop the 3.1 fallback. The two mismatches between the create and the connect
 * options (the app never makes them: its adapter passes one value to both).
 */
export async function versionOptions(d: Double): Promise<VersionOptions> {
  const broker = await startStrictBroker('close');
  try {
    const c4 = d.createMqtt({ url: broker.url, clientId: clientId(d, 'v4'), persistenceType: 1, MQTTVersion: 4 });
    let v4: Refusal;
    try {
      const result = await settle(c4.connect({ connectTimeout: 5, MQTTVersion: 4, userName: GOOD_USER, password: 'not-the-password' }));
      await sleep(50);
      v4 = { result, attempts: broker.attempts.map((a) => a.version) };
    } finally {
      await c4.destroy();
    }
    const c5 = d.createMqtt({ url: broker.url, clientId: clientId(d, 'm5'), persistenceType: 1, MQTTVersion: 5 });
    const cd = d.createMqtt({ url: broker.url, clientId: clientId(d, 'md'), persistenceType: 1 });
    try {
      const createdV5ConnectDefault = await settle(c5.connect({ connectTimeout: 5 }));
      const createdDefaultConnectV5 = await settle(cd.connect({ connectTimeout: 5, MQTTVersion: 5 }));
      return { v4, createdV5ConnectDefault, createdDefaultConnectV5 };
    } finally {
      await c5.destroy();
      await cd.destroy();
    }
  } finally {
    await broker.close();
  }
}

export interface Mqtt5Session {
  connect: Settled;
  subscribe: Settled & { reasonCode: number };
  message: { topic: string; payload: string; qos: number };
  /** The taken-over client's connectLost answer when a second client connects with its id. */
  takenOver: { code: number; message: string };
}

/**
 * An MQTT 5 client on mosquitto: connect, one-topic subscribe (paho reports the granted QoS as
 * reasonCode), a QoS 1 message, then another MQTT 5 client with the same id takes the session over
 * (mosquitto sends DISCONNECT 0x8E to the first one).
 */
export async function mqtt5Session(d: Double): Promise<Mqtt5Session> {
  const m = await startMosquitto();
  const id = clientId(d, 's5');
  const c = d.createMqtt({ url: m.url, clientId: id, persistenceType: 1, MQTTVersion: 5 });
  const other = d.createMqtt({ url: m.url, clientId: id, persistenceType: 1, MQTTVersion: 5 });
  const pub = await mqtt.connectAsync(m.mqttUrl, { clientId: `${id}-p`, reconnectPeriod: 0 });
  const messages: Array<{ topic: string; payload: string; qos: number }> = [];
  const losses: Array<{ code: number; message: string }> = [];
  c.messageArrived((_e, msg) => messages.push({ topic: msg.topic, payload: msg.payload, qos: msg.qos }));
  c.connectLost((_e, r) => losses.push({ code: r.code, message: r.message }));
  try {
    const connect = await settle(c.connect({ connectTimeout: 5, MQTTVersion: 5 }));
    const start = Date.now();
    let subscribe: Settled & { reasonCode: number };
    try {
      const r = await c.subscribe({ topic: 'v5/#', qos: 1 });
      subscribe = { resolved: true, code: r.code, message: r.message, reasonCode: r.reasonCode, ms: Date.now() - start };
    } catch (e) {
      const r = e as MqttResponse;
      subscribe = { resolved: false, code: r.code, message: r.message, reasonCode: r.reasonCode, ms: Date.now() - start };
    }
    await pub.publishAsync('v5/x', 'q', { qos: 1 });
    await waitFor(() => messages.length === 1, 5000, `${d.name}: the MQTT 5 message`);
    await settle(other.connect({ connectTimeout: 5, MQTTVersion: 5 }));
    await waitFor(() => losses.length === 1, 5000, `${d.name}: connectLost after the takeover`);
    return { connect, subscribe, message: messages[0], takenOver: losses[0] };
  } finally {
    await pub.endAsync();
    await c.destroy();
    await other.destroy();
    await m.close();
  }
}
