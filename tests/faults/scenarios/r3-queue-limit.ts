// R3 — mosquitto's default per-client queue (max_queued_messages 1000; past it the NEWEST
// messages are silently dropped). The engine (persistent session, behind a proxy) goes offline;
// the publisher sends 10 symbols × 150 = 1500 QoS 1 retained quotes; mosquitto keeps the first
// 1000 (seq 1–100 of every symbol) and drops seq 101–150. When the engine is back it gets the
// 1000 queued quotes, then — because it re-SUBSCRIBEs after every connect, which makes the broker
// re-send the retained message of every matching topic [MQTT-3.8.4-3] — the retained seq 150 of
// every symbol: the latest state, with the jump 100 → 150 detected and flagged as a gap of 49.
import assert from 'node:assert/strict';
import { ConnectionState } from '@quotedeck/core';
import { EngineUnderTest, attachTickAudit } from '../harness/engine';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { Mosquitto, sleep, startCuttingProxy, waitFor } from '../../../tools/testkit';

const SYMBOLS = 10;
const BEFORE = 10;
const OFFLINE = 150;
/** The broker's per-client queue the scenario expects (mosquitto's default). */
export const QUEUE_LIMIT = 1000;

export interface QueueLimitResult {
  published: number;
  queuedDelivered: number;
  droppedByBroker: number;
  retainedDelivered: number;
  gapsPerSymbol: number;
  totalGaps: number;
  duplicates: number;
}

/** `broker` is a mosquitto with max_queued_messages QUEUE_LIMIT. */
export async function runQueueLimit(broker: Mosquitto): Promise<QueueLimitResult> {
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
    await waitFor(() => broker.log().some((l) => /Client qd-r3 closed its connection|Client qd-r3 disconnected/.test(l)), 5000, 'mosquitto sees the engine go');
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
    const keptPerSymbol = QUEUE_LIMIT / SYMBOLS;
    const dropped = OFFLINE * SYMBOLS - queued;
    for (const s of symbols) {
      const item = engine.item(s);
      assert.equal(item.price, last.get(s)!.price, `${s}: latest state recovered`);
      assert.equal(item.timestamp, last.get(s)!.timestamp);
      assert.equal(item.hasGap, true, `${s}: the dropped quotes are flagged`);
      assert.equal(item.gaps, OFFLINE - keptPerSymbol - 1, `${s}: seq ${BEFORE + keptPerSymbol + 1}–${BEFORE + OFFLINE - 1} missing`);
      assert.equal(item.ticks, BEFORE + keptPerSymbol + 1, `${s}: the queued quotes and the retained one applied`);
    }
    assert.equal(queued, QUEUE_LIMIT, 'mosquitto delivered exactly its queue limit');
    assert.equal(retained, SYMBOLS, 'one retained snapshot per symbol after the re-SUBSCRIBE');
    assert.equal(queuedAfterRetained, 0, 'the retained snapshot came after the queued quotes');
    assert.deepEqual(audit.violations, []);
    const stats = engine.engineStats()!;
    assert.equal(stats.gaps, SYMBOLS * (OFFLINE - keptPerSymbol - 1));
    assert.equal(stats.accepted + stats.duplicates, stats.received);
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    return { published: OFFLINE * SYMBOLS, queuedDelivered: queued, droppedByBroker: dropped, retainedDelivered: retained, gapsPerSymbol: engine.item(symbols[0]).gaps, totalGaps: stats.gaps, duplicates: stats.duplicates };
  } finally {
    await engine.stop();
    watch.uninstall();
    await pub?.close();
    await proxy.close();
  }
}
