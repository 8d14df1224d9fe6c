// The Node emulation of @ohos/mqtt itself (tools/node/ohos-mqtt): the library behaviours the app's
// adapter relies on, as established from the library's sources (see the emulation's header).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { MqttAsync, MqttClient, MqttMessage, MqttResponse } from '@ohos/mqtt';
import { AedesBroker, silentServer, sleep, startAedes, waitFor } from '../../tools/testkit';

const T = { timeout: 20000 };

function client(broker: AedesBroker, clientId: string): MqttClient {
  const c = MqttAsync.createMqtt({ url: broker.url, clientId, persistenceType: 1 });
  assert.ok(c);
  return c;
}

async function rejection(p: Promise<unknown>): Promise<MqttResponse> {
  try {
    await p;
  } catch (e) {
    return e as MqttResponse;
  }
  throw new Error('expected a rejection');
}

test('createMqtt answers at once, with undefined when the library cannot create the client', () => {
  assert.equal(MqttAsync.createMqtt({ url: 'foo://127.0.0.1:1883', clientId: 'x', persistenceType: 1 }), undefined);
  assert.equal(MqttAsync.createMqtt({ url: 'tcp://127.0.0.1:1883', clientId: 'x' }), undefined, 'persistenceType absent reads as 0');
  assert.ok(MqttAsync.createMqtt({ url: 'mqtt://127.0.0.1:1883', clientId: 'x', persistenceType: 1 }));
  assert.ok(new MqttClient({ url: 'tcp://127.0.0.1:1883', clientId: 'x', persistenceType: 1 }));
});

test('promise forms resolve on code 0 and reject with the response object', T, async () => {
  const broker = await startAedes();
  const c = client(broker, 'emu-promise');
  try {
    const ok = await c.connect({ connectTimeout: 3 });
    assert.deepEqual(ok, { code: 0, errorCode: 0, reasonCode: 0, message: 'Connect Success' });
    assert.equal(await c.isConnected(), true);
    const again = await rejection(c.connect({}));
    assert.ok(!(again instanceof Error));
    assert.deepEqual(again, { code: -1, errorCode: 0, reasonCode: 0, message: 'Connect fail' });
    assert.equal((await c.subscribe({ topic: 'a/#', qos: 1 })).message, 'Subscribe Success');
    assert.equal((await c.subscribeMany([{ topic: 'b/#', qos: 0 }, { topic: 'c/#', qos: 2 }])).message, 'Subscribe Success');
    assert.equal((await c.unsubscribeMany([{ topic: 'b/#', qos: 0 }, { topic: 'c/#', qos: 0 }])).message, 'UnSubscribe Success');
    assert.equal((await c.publish({ topic: 'a/b', qos: 1, payload: 'x' })).message, 'Publish Success');
    assert.equal((await c.disconnect()).message, 'Disconnect Success');
    assert.equal(await c.isConnected(), false);
    assert.deepEqual(await rejection(c.disconnect()), { code: -1, errorCode: 0, reasonCode: 0, message: 'Disconnect fail' });
    assert.equal((await rejection(c.subscribe({ topic: 'a', qos: 0 }))).message, 'Subscribe fail');
    assert.equal((await rejection(c.unsubscribe({ topic: 'a', qos: 0 }))).message, 'Unsubscribe fail');
    assert.equal((await rejection(c.publish({ topic: 'a', qos: 0, payload: 'x' }))).message, 'Publish fail');
  } finally {
    await c.destroy();
    await broker.close();
  }
});

test('callback forms call back with (undefined, response) for success and failure', T, async () => {
  const broker = await startAedes({
    authenticate: (_c, u, _p, done) => (u === 'nobody' ? done(Object.assign(new Error('no'), { returnCode: 4 }), false) : done(null, true)),
  });
  const c = client(broker, 'emu-cb');
  const calls: Array<[unknown, MqttResponse]> = [];
  const cb = (err: Error, data: MqttResponse): void => {
    calls.push([err, data]);
  };
  try {
    c.connect({ userName: 'nobody', password: 'x' }, cb);
    await waitFor(() => calls.length === 1, 5000, 'the connect callback');
    assert.equal(calls[0][0], undefined);
    assert.deepEqual(calls[0][1], { message: 'CONNACK return code', code: 4, reasonCode: 0 });

    c.connect({}, cb);
    await waitFor(() => calls.length === 2, 5000, 'the second connect callback');
    assert.deepEqual(calls[1], [undefined, { message: 'Connect Success', code: 0, reasonCode: 0 }]);

    c.connect({}, cb); // already connected: the native precondition fails and connect never calls back
    await c.disconnect();
    c.subscribe({ topic: 'x', qos: 0 }, cb); // not connected: subscribe never calls back either
    c.unsubscribe({ topic: 'x', qos: 0 }, cb); // ...but unsubscribe/publish/disconnect answer "failed"
    await sleep(300);
    assert.equal(calls.length, 3);
    assert.deepEqual(calls[2], [undefined, { message: 'failed', code: -1 }]);
  } finally {
    await c.destroy();
    await broker.close();
  }
});

test('cleanSession is read as an int32, so a boolean true gives a persistent session', T, async () => {
  const broker = await startAedes();
  try {
    const a = client(broker, 'emu-clean-a');
    await a.connect({ cleanSession: true });
    assert.equal(broker.connects().at(-1)?.clean, false, 'true (boolean) -> 0');
    const b = client(broker, 'emu-clean-b');
    await b.connect({});
    assert.equal(broker.connects().at(-1)?.clean, true, 'omitted -> paho default 1');
    const c = client(broker, 'emu-clean-c');
    await c.connect({ cleanSession: 1 as unknown as boolean });
    assert.equal(broker.connects().at(-1)?.clean, true, 'the number 1 -> 1');
    for (const x of [a, b, c]) await x.destroy();
  } finally {
    await broker.close();
  }
});

test('ssl:// without sslOptions is refused before any network traffic', T, async () => {
  const broker = await startAedes();
  const c = MqttAsync.createMqtt({ url: `ssl://127.0.0.1:${broker.port}`, clientId: 'emu-ssl', persistenceType: 1 });
  try {
    assert.deepEqual(await rejection(c.connect({})), { code: -1, errorCode: 0, reasonCode: 0, message: 'Connect fail' });
    assert.equal(broker.sockets.size, 0);
    assert.equal((await rejection(c.connect({ sslOptions: {} }))).message, 'TCP/TLS connect failure');
  } finally {
    await c.destroy();
    await broker.close();
  }
});

test("messageArrived delivers the library's message shape, a new handler replaces the old one, and a message that came while no handler was set waits for the next packet", T, async () => {
  const broker = await startAedes();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { reconnectPeriod: 0 });
  const c = client(broker, 'emu-msg');
  try {
    await c.connect({});
    await c.subscribe({ topic: 't/#', qos: 2 });
    await pub.publishAsync('t/1', Buffer.from([0x61, 0x62, 0x00, 0x63, 0xff]), { qos: 1 }); // no handler yet
    await sleep(100);
    const first: MqttMessage[] = [];
    const second: MqttMessage[] = [];
    c.messageArrived((_e, m) => first.push(m));
    // paho hands over one queued message per packet it reads after that, of any kind: here a SUBACK
    await sleep(200);
    assert.equal(first.length, 0, 'the queued message waits for the next packet');
    await c.subscribe({ topic: 'u/#', qos: 0 });
    await waitFor(() => first.length === 1, 5000, 'the queued message');
    const m = first[0];
    assert.equal(m.topic, 't/1');
    assert.equal(m.payload, 'ab', 'the text stops at the first NUL');
    assert.deepEqual([...new Uint8Array(m.payloadBinary)], [0x61, 0x62, 0x00, 0x63, 0xff]);
    assert.equal(m.qos, 1);
    assert.equal(m.retained, 0);
    assert.equal(m.dup, 0);
    assert.equal(typeof m.msgid, 'number');
    assert.equal(m.properties.contentType, 'application/json');

    c.messageArrived((_e, x) => second.push(x)); // replaces the first handler
    await pub.publishAsync('t/2', 'y', { qos: 2, retain: true });
    await waitFor(() => second.length === 1, 5000, 'the message on the new handler');
    assert.equal(first.length, 1);
    assert.equal(second[0].qos, 2);
    assert.equal(second[0].dup, 0);

    await c.publish({ topic: 't/3', qos: 1, payloadBinary: new Uint8Array([1, 2, 3]).buffer });
    await waitFor(() => second.length === 2, 5000, 'a binary publish');
    assert.deepEqual([...new Uint8Array(second[1].payloadBinary)], [1, 2, 3]);
  } finally {
    await pub.endAsync();
    await c.destroy();
    await broker.close();
  }
});

test('messageArrived delivers a burst in order, each message with its own exact payloadBinary and text, and a replacement applies from the next message', T, async () => {
  const broker = await startAedes();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { reconnectPeriod: 0 });
  const c = client(broker, 'emu-burst');
  try {
    await c.connect({});
    await c.subscribe({ topic: 'b/#', qos: 1 });
    const kinds = [
      (i: number) => Buffer.from(`{"i":${i},"symbol":"AAPL"}`),
      (i: number) => Buffer.from(`€${i}é`),
      (i: number) => Buffer.from([0x30 + (i % 10), 0x00, 0x41]),
      (i: number) => Buffer.from([0x61, 0xff, 0x62, i & 0x7f]),
      () => Buffer.alloc(0),
      (i: number) => Buffer.alloc(300 + i, 0x7a),
    ];
    const count = 600;
    const sent: Buffer[] = [];
    for (let i = 0; i < count; i++) sent.push(kinds[i % kinds.length](i));
    const first: MqttMessage[] = [];
    const second: MqttMessage[] = [];
    const switchAt = 250;
    c.messageArrived((_e, m) => {
      first.push(m);
      if (first.length === switchAt) c.messageArrived((_e2, x) => second.push(x));
    });
    // One burst: most of it reaches the client in a few socket reads.
    await Promise.all(sent.map((b, i) => pub.publishAsync(`b/${i}`, b, { qos: 0 })));
    await waitFor(() => first.length + second.length === count, 10000, 'the whole burst');
    assert.equal(first.length, switchAt, 'the replacement took effect at the next message');
    const all = [...first, ...second];
    const decoder = new TextDecoder('utf-8');
    const buffers = new Set<ArrayBuffer>();
    for (let i = 0; i < count; i++) {
      const m = all[i];
      const bytes = sent[i];
      assert.equal(m.topic, `b/${i}`, 'in publish order');
      assert.ok(m.payloadBinary instanceof ArrayBuffer);
      assert.equal(m.payloadBinary.byteLength, bytes.length, 'exactly the payload bytes');
      assert.deepEqual(Buffer.from(m.payloadBinary), bytes);
      const nul = bytes.indexOf(0);
      assert.equal(m.payload, decoder.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes));
      assert.equal(m.properties.contentType, bytes.length > 0 ? 'application/json' : '');
      assert.equal(m.qos, 0);
      buffers.add(m.payloadBinary);
    }
    assert.equal(buffers.size, count, 'every message has its own ArrayBuffer');
    new Uint8Array(all[0].payloadBinary).fill(0);
    assert.deepEqual(Buffer.from(all[6].payloadBinary), sent[6], 'writing one payloadBinary changes no other');
  } finally {
    await pub.endAsync();
    await c.destroy();
    await broker.close();
  }
});

test('connectLost fires only for a passive loss, with {message "null", code 0}, and paho then reconnects once with 3.1', T, async () => {
  const broker = await startAedes();
  const c = client(broker, 'emu-lost');
  const lost: MqttResponse[] = [];
  c.connectLost((_e, r) => lost.push(r));
  try {
    await c.connect({});
    await c.disconnect();
    await sleep(200);
    assert.equal(lost.length, 0);
    await c.connect({});
    for (const s of [...broker.sockets]) s.destroy();
    await waitFor(() => lost.length === 1, 5000, 'connectLost');
    assert.deepEqual(lost[0], { message: 'null', code: 0, reasonCode: 0 });
    await waitFor(() => broker.connects().filter((x) => x.id === 'emu-lost').length === 3, 5000, 'the background reconnect');
    assert.equal(broker.connects().at(-1)?.version, 3);
    await sleep(100);
    assert.equal(await c.isConnected(), true);
    // a 3.1 connection lost is not retried
    for (const s of [...broker.sockets]) s.destroy();
    await waitFor(() => lost.length === 2, 5000, 'the second connectLost');
    await sleep(300);
    assert.equal(await c.isConnected(), false);
    assert.equal(broker.connects().filter((x) => x.id === 'emu-lost').length, 3);
  } finally {
    await c.destroy();
    await broker.close();
  }
});

test('reconnect() reuses the last connect options and destroy() is final', T, async () => {
  const broker = await startAedes();
  const c = client(broker, 'emu-re');
  try {
    assert.equal(await c.reconnect(), false, 'no earlier connect');
    await c.connect({ cleanSession: false, keepAliveInterval: 20 });
    assert.equal(await c.reconnect(), false, 'already connected');
    await c.disconnect();
    assert.equal(await c.reconnect(), true);
    assert.equal(broker.connects().at(-1)?.clean, false);
    assert.equal(await c.destroy(), true);
    assert.equal(await c.destroy(), false);
    assert.equal(await c.isConnected(), false);
    assert.equal((await rejection(c.connect({}))).message, 'Connect fail');
    await sleep(100);
    assert.equal(broker.sockets.size, 0, 'destroy closed the connection');
  } finally {
    await broker.close();
  }
});

test('destroy() during a connect ends it with "Connect fail"', T, async () => {
  const server = await silentServer();
  const c = MqttAsync.createMqtt({ url: `tcp://127.0.0.1:${server.port}`, clientId: 'emu-dc', persistenceType: 1 });
  try {
    const started = Date.now();
    const pending = rejection(c.connect({ connectTimeout: 10 }));
    await sleep(100);
    assert.equal(await c.destroy(), true);
    assert.equal((await pending).message, 'Connect fail');
    assert.ok(Date.now() - started < 2000);
  } finally {
    await server.close();
  }
});
