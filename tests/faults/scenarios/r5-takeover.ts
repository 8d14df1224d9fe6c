// R5 — two engines with the same clientId on one broker (two devices restored from one backup, or
// two app instances). Each connect makes the broker drop the other [MQTT-3.1.4-2]; left alone they
// would take the session from each other for ever. Expected: the takeover detector (3 links in a
// row dying within 5 s of their connect) stops at least one of them with ERROR / TAKEOVER and a
// readable reason; after that the broker sees no more connects with that id (no ping-pong), and an
// engine that kept the link still gets data.
import assert from 'node:assert/strict';
import { ConnectionState, SessionErrorKind } from '@quotedeck/core';
import { EngineUnderTest } from '../harness/engine';
import { checkReconnectPolicy, describePolicy } from '../harness/policy';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { Broker, sleep, waitFor } from '../../../tools/testkit';

export interface TakeoverResult {
  broker: string;
  detectedAfterMs: number;
  errored: string[];
  survivor: string;
  brokerConnectsUntilDetection: number;
  brokerConnectsMqtt31: number;
  brokerConnectsAfterDetection: number;
  sessionAttempts: Record<string, number>;
  detail: string;
}

export async function runTakeover(broker: Broker, clientId: string, quietMs: number, log: (l: string) => void,
  mqttVersion = 0): Promise<TakeoverResult> {
  const symbols = symbolNames(3);
  const book = new TickBook(symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const mk = (): EngineUnderTest => new EngineUnderTest({ url: broker.url, clientId, symbols, userName: 'quotes', password: PASSWORD, mqttVersion });
  const engines: Record<string, EngineUnderTest> = { A: mk(), B: mk() };
  let pub: FeedPublisher | undefined;
  try {
    engines.A.start();
    await waitFor(() => engines.A.state() === ConnectionState.CONNECTED, 10000, 'A connected');
    const startedAt = Date.now();
    engines.B.start();
    const errored = (): string[] => Object.keys(engines).filter((k) => engines[k].state() === ConnectionState.ERROR);
    await waitFor(() => errored().length > 0, 60000, 'a takeover reported');
    const detectedAt = Date.now();
    const connectsAtDetection = broker.connectsOf(clientId).length;
    // Let what is under way end, however slow the machine: each engine stopped (ERROR) or connected,
    // and no connect() call unanswered. Then give the broker a moment to log a connect already on
    // the wire, and watch for ping-pong.
    const settledEngines = (): boolean => Object.keys(engines).every((k) => {
      const e = engines[k];
      return (e.state() === ConnectionState.ERROR || e.state() === ConnectionState.CONNECTED) && e.factory.attempts.every((a) => a.ok !== undefined);
    });
    await waitFor(settledEngines, 60000, 'both engines settled (stopped or connected)');
    await sleep(1500);
    const settled = broker.connectsOf(clientId).length;
    await sleep(quietMs);
    const afterQuiet = broker.connectsOf(clientId).length;
    const bad = errored();
    for (const k of bad) {
      const st = engines[k].store.status;
      assert.equal(st.lastError, SessionErrorKind.TAKEOVER, `${k}: ${st.lastError}`);
      assert.match(st.detail, new RegExp(`client id "${clientId}"`), 'the reason names the client id');
      assert.equal(st.nextAttemptAt, 0, `${k}: no retry scheduled`);
    }
    assert.equal(afterQuiet, settled, `no more connects with "${clientId}" for ${quietMs} ms after the takeover was reported (ping-pong stopped)`);
    const survivors = Object.keys(engines).filter((k) => !bad.includes(k));
    let survivor = 'none';
    if (survivors.length === 1) {
      survivor = survivors[0];
      const e = engines[survivor];
      assert.equal(e.state(), ConnectionState.CONNECTED, `${survivor} kept the link`);
      pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: true });
      for (const s of symbols) pub.publish(book.next(s));
      await pub.flush();
      await waitFor(() => symbols.every((s) => e.item(s).price === book.last(s)!.price), 10000, 'the survivor gets data');
    }
    const sessionAttempts: Record<string, number> = {};
    for (const k of Object.keys(engines)) {
      sessionAttempts[k] = engines[k].factory.attempts.length;
      const p = checkReconnectPolicy(engines[k]);
      assert.deepEqual(p.violations, [], `${k}: ${describePolicy(p)}`);
    }
    const all = broker.connectsOf(clientId);
    for (const k of Object.keys(engines)) {
      await engines[k].stop();
      watch.scanTexts(engines[k].channel.texts, `${k} status/event`);
    }
    assert.deepEqual(watch.leaks, []);
    return {
      broker: broker.kind,
      detectedAfterMs: detectedAt - startedAt,
      errored: bad,
      survivor,
      brokerConnectsUntilDetection: connectsAtDetection,
      brokerConnectsMqtt31: all.filter((c) => c.version === 3).length,
      brokerConnectsAfterDetection: afterQuiet - connectsAtDetection,
      sessionAttempts,
      detail: bad.length > 0 ? engines[bad[0]].store.status.detail : '',
    };
  } catch (e) {
    for (const k of Object.keys(engines)) {
      for (const st of engines[k].channel.statuses.slice(-8)) log(`${k} ${st.at} ${st.status.state} ${st.status.detail}`);
    }
    throw e;
  } finally {
    for (const k of Object.keys(engines)) await engines[k].stop();
    watch.uninstall();
    await pub?.close();
  }
}
