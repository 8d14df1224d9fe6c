// @slow R3 — mosquitto's default per-client queue (max_queued_messages 1000; past it the NEWEST
// messages are silently dropped). The engine (persistent session, behind a proxy) goes offline;
// the publisher sends 10 symbols × 150 = 1500 QoS 1 retained quotes; mosquitto keeps the first
// 1000 (seq 1–100 of every symbol) and drops seq 101–150. When the engine is back it gets the
// 1000 queued quotes, then — because it re-SUBSCRIBEs after every connect, which makes the broker
// re-send the retained message of every matching topic [MQTT-3.8.4-3] — the retained seq 150 of
// every symbol: the latest state, with the jump 100 → 150 detected and flagged as a gap of 49.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionState } from '@quotedeck/core';
import { EngineUnderTest, attachTickAudit } from '../../tools/faults/engine';
import { SecretWatch } from '../../tools/faults/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../../tools/faults/ticks';
import { startCuttingProxy } from '../integration/helpers/tcp-proxy';
import { sleep, waitFor } from '../integration/helpers/mqtt-fixtures';
import { startMosquittoBroker } from './scenarios/brokers';
import { PASSWORD } from './scenarios/r1-network-cuts';

const SYMBOLS = 10;
const BEFORE = 10;
const OFFLINE = 150;
const QUEUE = 1000;

test('R3 mosquitto queue limit (1000, newest dropped): gaps detected and flagged, latest state recovered from the retained snapshot', { timeout: 120000 }, async (t) => {
  const broker = await startMosquittoBroker({ maxQueuedMessages: QUEUE });
  const proxy = await startCuttingProxy(broker.port);
  const symbols = symbolNames(SYMBOLS);
  const book = new TickBook(symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({ url: proxy.url, clientId: 'qd-r3', symbols, userName: 'quotes', password: PASSWORD });
  engine.factory.keepMessages = true;
  let pub: FeedPublisher | undefined;
  try {
    engine.start();
    const audit = await attachTickAudit(engine);
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'connect and subscribe');
    pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: true });
    for (let i = 0; i < BEFORE; i++) for (const s of symbols) pub.publish(book.next(s));
    await pub.flush();
    await waitFor(() => symbols.every((s) => engine.item(s).ticks === BEFORE), 10000, 'the live ticks');

    // Offline: the proxy refuses the engine; mosquitto notices the dropped link at once.
    proxy.setDown(true);
    proxy.cut();
    await waitFor(() => engine.state() !== ConnectionState.CONNECTED, 5000, 'engine offline');
    await waitFor(() => broker.mosquitto!.log().some((l) => /Client qd-r3 closed its connection|Client qd-r3 disconnected/.test(l)), 5000, 'mosquitto sees the engine go');
    for (let i = 0; i < OFFLINE; i++) for (const s of symbols) pub.publish(book.next(s));
    await pub.flush();
    const logBefore = engine.factory.messageLog.length;
    proxy.setDown(false);
    const last = new Map(symbols.map((s) => [s, book.last(s)!]));
    await waitFor(() => symbols.every((s) => engine.item(s).price === last.get(s)!.price), 70000, 'the latest state');
    await sleep(500);

    const delivered = engine.factory.messageLog.slice(logBefore);
    const queued = delivered.filter((m) => !m.retained).length;
    const retained = delivered.filter((m) => m.retained).length;
    // The order the broker used: every queued quote of a symbol before its retained copy.
    const retainedAt = new Map<string, number>();
    delivered.forEach((m, i) => {
      if (m.retained) retainedAt.set(m.topic, i);
    });
    const queuedAfterRetained = delivered.filter((m, i) => !m.retained && i > (retainedAt.get(m.topic) ?? Infinity)).length;
    const keptPerSymbol = QUEUE / SYMBOLS;
    const dropped = OFFLINE * SYMBOLS - queued;
    for (const s of symbols) {
      const item = engine.item(s);
      assert.equal(item.price, last.get(s)!.price, `${s}: latest state recovered`);
      assert.equal(item.timestamp, last.get(s)!.timestamp);
      assert.equal(item.hasGap, true, `${s}: the dropped quotes are flagged`);
      assert.equal(item.gaps, OFFLINE - keptPerSymbol - 1, `${s}: seq ${BEFORE + keptPerSymbol + 1}–${BEFORE + OFFLINE - 1} missing`);
      assert.equal(item.ticks, BEFORE + keptPerSymbol + 1, `${s}: the queued quotes and the retained one applied`);
    }
    assert.equal(queued, QUEUE, 'mosquitto delivered exactly its queue limit');
    assert.equal(retained, SYMBOLS, 'one retained snapshot per symbol after the re-SUBSCRIBE');
    assert.equal(queuedAfterRetained, 0, 'the retained snapshot came after the queued quotes');
    assert.deepEqual(audit.violations, []);
    const stats = engine.engineStats()!;
    assert.equal(stats.gaps, SYMBOLS * (OFFLINE - keptPerSymbol - 1));
    assert.equal(stats.accepted + stats.duplicates, stats.received);
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    t.diagnostic(`R3: ${JSON.stringify({ published: OFFLINE * SYMBOLS, queuedDelivered: queued, droppedByBroker: dropped, retainedDelivered: retained, gapsPerSymbol: engine.item(symbols[0]).gaps, totalGaps: stats.gaps, duplicates: stats.duplicates })}`);
  } finally {
    await engine.stop();
    watch.uninstall();
    await pub?.close();
    await proxy.close();
    await broker.close();
  }
});
