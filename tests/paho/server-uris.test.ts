// What paho.mqtt.c does with the connect option `serverURIs` behind the @ohos/mqtt wrapper, on the
// double over the real library (issue 13, failover; docs/brokers.md "Clusters and failover"). It is
// why QuoteDeck walks a cluster's nodes itself: one connect call walks the whole list, the answer
// does not say which node was reached, and the wrapper's wait of (connectTimeout + 5) s covers the
// whole walk. Without paho.mqtt.c the tests are skipped with the reason, except in CI.
import { test, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttClient, MqttResponse } from '../../tools/types/ohos-mqtt';
import * as pahoModule from '../../tools/node/ohos-mqtt-paho';
import { pahoReady } from './helpers/paho-ready';
import { freePort, silentServer, SilentServer, startAedes } from '../../tools/testkit';


async function settle(p: Promise<MqttResponse>): Promise<{ ok: boolean; r: MqttResponse; ms: number }> {
  const start = Date.now();
  try {
    const r = await p;
    return { ok: true, r, ms: Date.now() - start };
  } catch (e) {
    return { ok: false, r: e as MqttResponse, ms: Date.now() - start };
  }
}

test('with serverURIs one connect walks past a refused node to the next one, and its answer does not name the node reached', { timeout: 30000 }, async (t) => {
  if (!pahoReady(t)) return;
  const broker = await startAedes();
  let client: MqttClient | undefined;
  try {
    const refused = `tcp://127.0.0.1:${await freePort()}`;
    client = pahoModule.MqttAsync.createMqtt({ url: refused, clientId: 'qd-uris-walk', persistenceType: 1 }) as unknown as MqttClient;
    const s = await settle(client.connect({ serverURIs: [refused, broker.url], connectTimeout: 5, MQTTVersion: 4 }));
    t.diagnostic(`answer after ${s.ms} ms: ${JSON.stringify(s.r)}`);
    assert.equal(s.ok, true, JSON.stringify(s.r));
    assert.equal(s.r.code, 0);
    assert.equal(broker.connectsOf('qd-uris-walk').length, 1, 'the second node got the CONNECT');
    // Nothing in the answer says which of the two nodes the client is on.
    const text = JSON.stringify(s.r);
    assert.equal(text.includes(String(broker.port)), false, text);
    assert.equal(Object.keys(s.r).some((k) => k.toLowerCase().includes('uri') || k.toLowerCase().includes('server')), false, text);
    await client.disconnect().catch(() => undefined);
  } finally {
    await client?.destroy();
    await broker.close();
  }
});

test('the wrapper gives up after connectTimeout + 5 s even while paho is still walking the list towards a live node', { timeout: 60000 }, async (t) => {
  if (!pahoReady(t)) return;
  const broker = await startAedes();
  const silent: SilentServer[] = [];
  let client: MqttClient | undefined;
  try {
    for (let i = 0; i < 3; i++) silent.push(await silentServer());
    const uris = silent.map((s) => `tcp://127.0.0.1:${s.port}`).concat([broker.url]);
    client = pahoModule.MqttAsync.createMqtt({ url: uris[0], clientId: 'qd-uris-wait', persistenceType: 1 }) as unknown as MqttClient;
    // 3 silent nodes × (3.1.1, then 3.1) × at least connectTimeout 2 s each: at least 12 s of walking.
    const s = await settle(client.connect({ serverURIs: uris, connectTimeout: 2 }));
    t.diagnostic(`answer after ${s.ms} ms: ${JSON.stringify(s.r)}; live node connects so far: ${broker.connectsOf('qd-uris-wait').length}`);
    assert.equal(s.ok, false, 'the wrapper answers "Connect fail"');
    assert.ok(s.ms >= 6500 && s.ms < 11000, `answered after ${s.ms} ms (connectTimeout 2 + 5 s)`);
    assert.equal(broker.connectsOf('qd-uris-wait').length, 0, 'the live fourth node was not reached in time');
  } finally {
    await client?.destroy();
    for (const s of silent) await s.close();
    await broker.close();
  }
});
