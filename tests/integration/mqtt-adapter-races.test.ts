// The app's MQTT adapter (OhosMqttTransport) against a scripted @ohos/mqtt client that answers the
// way the library was seen to answer on paho.mqtt.c in narrow races (tests/paho/conformance.test.ts,
// docs/ohos-mqtt-doubles.md): the library's own MQTT 3.1 reconnect coming up between the adapter's
// look at isConnected() and its connect ("Connect fail" at once), a loss reported while or after a
// newer link came up, and a subscribe in flight when the link drops, which the library answers only
// after its own 10 s wait. Over a real broker these orders happen one run in several; scripted, each
// happens every time. The library calls each test expects are listed in `calls`. A loss the adapter
// passes on also replaces its native client, so that the library's own reconnect cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hilog } from '@kit.PerformanceAnalysisKit';
import type { MqttClient, MqttConnectOptions, MqttMessage, MqttResponse } from '../../tools/types/ohos-mqtt';
import {
  ConnectionOptions, MathRandom, SystemClock, TransportConnectOptions, TransportErrorKind, TransportListener,
  TransportMessage, TransportResult
} from '@quotedeck/core';
import { OhosMqttTransport } from '@quotedeck/platform';

const T = { timeout: 10000 };

type Answer = (client: ScriptedClient) => Promise<MqttResponse>;

const success = (message: string): MqttResponse => ({ code: 0, message, reasonCode: 0, errorCode: 0 }) as unknown as MqttResponse;
/** The promise forms reject with the response object itself. */
const failure = (code: number, message: string): Promise<MqttResponse> =>
  Promise.reject({ code, message, reasonCode: 0, errorCode: 0 });
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** An @ohos/mqtt client whose answers the test scripts; it records every call. */
class ScriptedClient {
  readonly calls: string[] = [];
  connected = false;
  connectAnswers: Answer[] = [];
  /** As the wrapper: "Subscribe fail" at once when not connected. */
  subscribeAnswer: Answer = (c) => (c.connected ? Promise.resolve(success('Subscribe Success')) : failure(-1, 'Subscribe fail'));
  private lost: ((err: Error | undefined, r: MqttResponse) => void) | undefined;

  messageArrived(_cb: (err: Error | undefined, m: MqttMessage) => void): void {
    this.calls.push('messageArrived');
  }

  connectLost(cb: (err: Error | undefined, r: MqttResponse) => void): void {
    this.calls.push('connectLost');
    this.lost = cb;
  }

  /** The library reports a passive loss (connectLost with code 0 and paho's cause). */
  loseLink(): void {
    this.lost?.(undefined, { code: 0, message: 'null', reasonCode: 0, errorCode: 0 } as unknown as MqttResponse);
  }

  isConnected(): Promise<boolean> {
    this.calls.push(`isConnected=${this.connected}`);
    const c = this.connected;
    return new Promise((r) => setImmediate(() => r(c))); // answered on a worker, a turn later
  }

  connect(_o: MqttConnectOptions): Promise<MqttResponse> {
    this.calls.push('connect');
    const next = this.connectAnswers.shift();
    if (next === undefined) {
      this.connected = true;
      return Promise.resolve(success('Connect Success'));
    }
    return next(this);
  }

  disconnect(): Promise<MqttResponse> {
    this.calls.push('disconnect');
    if (!this.connected) return failure(-1, 'Disconnect fail');
    this.connected = false;
    return Promise.resolve(success('Disconnect Success'));
  }

  subscribe(_o: unknown): Promise<MqttResponse> {
    this.calls.push('subscribe');
    return this.subscribeAnswer(this);
  }

  unsubscribe(_o: unknown): Promise<MqttResponse> {
    this.calls.push('unsubscribe');
    return Promise.resolve(success('UnSubscribe Success'));
  }

  publish(_o: unknown): Promise<MqttResponse> {
    this.calls.push('publish');
    return Promise.resolve(success('Publish Success'));
  }

  destroy(): Promise<boolean> {
    this.calls.push('destroy');
    this.connected = false;
    return Promise.resolve(true);
  }
}

class RecordingListener implements TransportListener {
  losses: TransportResult[] = [];
  onMessage(_m: TransportMessage): void {}
  onConnectionLost(reason: TransportResult): void {
    this.losses.push(reason);
  }
}

interface Rig {
  /** The first native client. */
  client: ScriptedClient;
  /** Every native client the adapter made, the first one included. */
  clients: ScriptedClient[];
  listener: RecordingListener;
  transport: OhosMqttTransport;
}

function rig(): Rig {
  const client = new ScriptedClient();
  const clients = [client];
  const listener = new RecordingListener();
  const connection = ConnectionOptions.forBroker('tcp://broker.test:1883', 'qd-race-1');
  const renew = (): MqttClient => {
    const fresh = new ScriptedClient();
    clients.push(fresh);
    return fresh as unknown as MqttClient;
  };
  const transport = new OhosMqttTransport(client as unknown as MqttClient, connection, listener, new SystemClock(),
    new MathRandom(), renew);
  client.calls.length = 0; // the registrations of the constructor
  return { client, clients, listener, transport };
}

function persistent(): TransportConnectOptions {
  const o = new TransportConnectOptions();
  o.cleanSession = false;
  return o;
}

test('a "Connect fail" because the library\'s own reconnect came up meanwhile ends in a fresh link of ours', T, async () => {
  const { client, transport } = rig();
  // paho's MQTT 3.1 reconnect after a loss gets its CONNACK between the adapter's look and its call
  client.connectAnswers.push((c) => {
    c.connected = true;
    return failure(-1, 'Connect fail');
  });
  const r = await transport.connect(persistent());
  assert.equal(r.ok, true, `${r.kind} ${r.code} ${r.message}`);
  assert.deepEqual(client.calls, ['isConnected=false', 'connect', 'isConnected=true', 'disconnect', 'connect']);
  assert.equal(client.connected, true);
});

test('a "Connect fail" while the library is not connected stays a failure, without a second connect', T, async () => {
  const { client, transport } = rig();
  client.connectAnswers.push(() => failure(-1, 'Connect fail'));
  const r = await transport.connect(persistent());
  assert.equal(r.ok, false);
  assert.equal(r.message, 'Connect fail');
  assert.deepEqual(client.calls, ['isConnected=false', 'connect', 'isConnected=false']);
});

test('a loss reported while the library is connected again is not passed on; a real one is', T, async () => {
  const { client, clients, listener, transport } = rig();
  assert.equal((await transport.connect(persistent())).ok, true);
  // e.g. the late report of a link the adapter itself replaced: the library is connected now
  client.loseLink();
  await turn();
  await turn();
  assert.deepEqual(listener.losses, []);
  assert.equal(clients.length, 1);
  client.connected = false;
  client.loseLink();
  await turn();
  await turn();
  assert.equal(listener.losses.length, 1);
  assert.equal(listener.losses[0].kind, TransportErrorKind.LINK_LOST);
});

test('a loss passed on retires the native client: it is destroyed (with its own 3.1 reconnect), the next connect makes a fresh one', T, async () => {
  const { client, clients, listener, transport } = rig();
  assert.equal((await transport.connect(persistent())).ok, true);
  client.connected = false;
  client.loseLink();
  await turn();
  await turn();
  assert.equal(listener.losses.length, 1);
  assert.ok(client.calls.includes('destroy'), 'the old client is destroyed');
  assert.equal(clients.length, 1, 'no fresh client before the next connect (paho then starts its threads anew)');
  assert.equal((await transport.subscribe('finance/+/quotes', 1)).kind, TransportErrorKind.LINK_LOST, 'calls meanwhile: not connected');
  assert.equal((await transport.connect(persistent())).ok, true);
  assert.equal(clients.length, 2, 'a fresh native client');
  assert.deepEqual(clients[1].calls, ['messageArrived', 'connectLost', 'isConnected=false', 'connect'],
    'callbacks registered before its connect');
  assert.equal(client.calls.filter((c) => c === 'connect').length, 1, 'the old client connects no more');
  // a late callback of the old client is ignored
  client.loseLink();
  await turn();
  await turn();
  assert.equal(listener.losses.length, 1);
  await transport.destroy();
  assert.ok(clients[1].calls.includes('destroy'));
});

test('a loss reported during connect() is dropped when the new link is up and passed on when it is gone', T, async () => {
  const up = rig();
  up.client.connectAnswers.push(async (c) => {
    c.loseLink(); // the earlier link's loss arrives while our connect is in flight
    await turn();
    c.connected = true;
    return success('Connect Success');
  });
  const ok = await up.transport.connect(persistent());
  assert.equal(ok.ok, true);
  await turn();
  await turn();
  assert.deepEqual(up.listener.losses, [], 'the new link is up: the loss was an earlier link\'s');

  const gone = rig();
  gone.client.connectAnswers.push(async (c) => {
    await turn();
    c.loseLink(); // the new link drops right after its CONNACK, before connect() answers
    return success('Connect Success');
  });
  const r = await gone.transport.connect(persistent());
  assert.equal(r.ok, true);
  assert.equal(gone.listener.losses.length, 1, 'the new link is gone: its loss is passed on');
  assert.ok(gone.client.calls.includes('destroy'), 'and the native client is retired');

  const failed = rig();
  failed.client.connectAnswers.push((c) => {
    c.loseLink();
    return failure(-1, 'TCP connect completion failure');
  });
  assert.equal((await failed.transport.connect(persistent())).ok, false);
  await turn();
  await turn();
  assert.deepEqual(failed.listener.losses, [], 'a failed connect has no link to lose');
});

test('a subscribe waiting for its answer ends as LINK_LOST when the link drops, and the late answer is ignored', T, async () => {
  const { client, clients, listener, transport } = rig();
  assert.equal((await transport.connect(persistent())).ok, true);
  let answerLate: ((r: MqttResponse) => void) | undefined;
  client.subscribeAnswer = () => new Promise((resolve) => {
    answerLate = resolve;
  });
  const started = Date.now();
  const pending = transport.subscribe('finance/+/quotes', 1);
  await turn();
  client.connected = false;
  client.loseLink();
  const r = await pending;
  assert.equal(r.ok, false);
  assert.equal(r.kind, TransportErrorKind.LINK_LOST);
  assert.ok(Date.now() - started < 1000, `answered at the loss (${Date.now() - started} ms)`);
  await turn();
  await turn();
  assert.equal(listener.losses.length, 1);
  answerLate?.(success('Subscribe Success')); // the library's own answer, much later: nothing happens
  await turn();
  // a subscribe on the next link is not affected by the first one's fate
  client.subscribeAnswer = (c) => (c.connected ? Promise.resolve(success('Subscribe Success')) : failure(-1, 'Subscribe fail'));
  assert.equal((await transport.connect(persistent())).ok, true);
  assert.equal((await transport.subscribe('finance/+/quotes', 1)).ok, true);
  assert.deepEqual(clients[1].calls.slice(-1), ['subscribe']);
});

test('no hilog line of these races has a format mismatch', () => {
  assert.deepEqual(hilog.mismatches, []);
});
