// R1 — network cuts. A TCP proxy sits between the engine and the broker and drops every connection
// `cuts` times while a publisher (connected to the broker directly) runs a QoS 1 retained feed. The
// engine keeps a persistent session (cleanSession false), so the broker queues what arrives while
// the engine is away and redelivers unacknowledged in-flight messages.
//
// Checked on every broker (the engine's own guarantees):
//  - every symbol ends on the last published tick (after a quiet tail of live ticks);
//  - no tick is applied twice or out of order (a TickObserver audits every applied tick);
//  - every message delivered is either applied or counted as a duplicate (nothing vanishes);
//  - every retry follows the policy (full jitter from the recorded draws, ≤ 10 attempts a minute);
//  - no secret in any log line, status or event.
// Checked when the broker delivers in order and loses nothing (`strict`, mosquitto): per-symbol
// ticks == seqs published and gaps == 0. aedes 1.2 reorders and loses session messages around
// reconnects; with it the scenario measures that instead (RELIABILITY.md).
//
// Link lifetimes follow a pattern of short (0.8–2.5 s) and long (5.3–6 s), never three short in a row:
// three links dying within 5 s of their connect is what the takeover detector reads as "another
// client uses our id" (R5) — a documented limitation (RELIABILITY.md).
import assert from 'node:assert/strict';
import { ConnectionState } from '@quotedeck/core';
import { DeliveryTracker, EngineUnderTest, attachTickAudit } from '../harness/engine';
import { checkReconnectPolicy, describePolicy } from '../harness/policy';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { Broker, sleep, startCuttingProxy, waitFor } from '../../../tools/testkit';

export interface NetworkCutsOptions {
  broker: Broker;
  cuts: number;
  ratePerSec: number;
  symbols: number;
  clientId: string;
  /** Jitter compression (RecordingRandom); 1 = the real distribution. */
  jitterScale: number;
  /** Assert ticks == published and no gaps (a broker that keeps order and loses nothing). */
  strict: boolean;
  /** Link lifetimes, e.g. 'ssl' (short, short, long, …); never three s in a row (see above). */
  pattern: string;
  log: (line: string) => void;
}

export interface NetworkCutsResult {
  broker: string;
  cuts: number;
  durationMs: number;
  published: number;
  rate: number;
  delivered: number;
  applied: number;
  duplicatesCounted: number;
  brokerCopies: number;
  brokerOutOfOrder: number;
  brokerLost: number;
  gapsFlagged: number;
  retainedDelivered: number;
  reconnects: number;
  sessionAttempts: number;
  brokerConnects: number;
  brokerConnectsMqtt31: number;
  policy: string;
  logLines: number;
}

/**
 * Link lifetime before cut i: pattern letters s (short, 0.8–2.5 s) and l (long, 5.3–6 s: past the
 * takeover detector's 5 s), repeated.
 */
function uptimeFor(i: number, pattern: string): number {
  return pattern[i % pattern.length] === 'l' ? 5300 + Math.random() * 700 : 800 + Math.random() * 1700;
}

export async function runNetworkCuts(o: NetworkCutsOptions): Promise<NetworkCutsResult> {
  const started = Date.now();
  const proxy = await startCuttingProxy(o.broker.port);
  const symbols = symbolNames(o.symbols);
  const book = new TickBook(symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({
    url: proxy.url, clientId: o.clientId, symbols, userName: 'quotes', password: PASSWORD, jitterScale: o.jitterScale,
  });
  const delivery = new DeliveryTracker();
  engine.factory.onMessage = (m) => delivery.onMessage(m);
  let pub: FeedPublisher | undefined;
  let feeding: Promise<{ sent: number; rate: number }> | undefined;
  let stopFeed = false;
  try {
    engine.start();
    const audit = await attachTickAudit(engine);
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'first connect and subscribe');
    pub = await FeedPublisher.connect(o.broker.url, { qos: 1, retain: true, window: 1000 });
    const p = pub;
    feeding = p.run(() => book.nextRoundRobin(), { ratePerSec: o.ratePerSec, stop: () => stopFeed });
    feeding.catch(() => undefined);
    for (let i = 0; i < o.cuts; i++) {
      // A reconnect may wait for the 10-a-minute window: up to a minute plus the jitter.
      // The link lives `uptime` from its own connect; if it drops by itself meanwhile, the next one does.
      const uptime = uptimeFor(i, o.pattern);
      for (;;) {
        await waitFor(() => engine.state() === ConnectionState.CONNECTED || engine.state() === ConnectionState.ERROR, 95000, `reconnect before cut ${i + 1}`);
        assert.equal(engine.state(), ConnectionState.CONNECTED, `reconnect before cut ${i + 1}: ${engine.store.status.lastError}: ${engine.store.status.detail}`);
        const since = engine.store.status.connectedSince;
        while (Date.now() < since + uptime && engine.store.status.connectedSince === since) await sleep(Math.min(20, since + uptime - Date.now()));
        if (engine.store.status.connectedSince === since && engine.state() === ConnectionState.CONNECTED) break;
        o.log(`the link dropped by itself ${Date.now() - since} ms after its connect`);
      }
      const statusesBefore = engine.channel.statuses.length;
      proxy.cut();
      // From the recorded statuses, not by polling: a quick retry can be connected again within ms.
      await waitFor(() => engine.channel.statuses.slice(statusesBefore).some((st) => st.status.state !== ConnectionState.CONNECTED), 5000, `engine sees cut ${i + 1}`);
      o.log(`cut ${i + 1}/${o.cuts} at +${((Date.now() - started) / 1000).toFixed(1)} s: next attempt in ${Math.max(0, engine.store.status.nextAttemptAt - Date.now())} ms (attempt ${engine.store.status.attempt})`);
    }
    await waitFor(() => engine.state() === ConnectionState.CONNECTED || engine.state() === ConnectionState.ERROR, 95000, 'reconnect after the last cut');
    assert.equal(engine.state(), ConnectionState.CONNECTED, `reconnect after the last cut: ${engine.store.status.lastError}: ${engine.store.status.detail}`);
    // A quiet tail: the session queue drains and live ticks flow on a stable link.
    await sleep(1500);
    stopFeed = true;
    const fed = await feeding;
    await p.flush();
    const final = (): boolean => symbols.every((s) => engine.item(s).price === book.last(s)?.price && engine.item(s).timestamp === book.last(s)?.timestamp);
    await waitFor(() => final() && (!o.strict || symbols.every((s) => engine.item(s).ticks === book.published.get(s))), 30000, 'the final state');
    await sleep(300); // late copies must not change anything
    const stats = engine.engineStats();
    assert.ok(stats !== undefined);
    const published = book.totalPublished();
    let lost = 0;
    let gapsFlagged = 0;
    for (const s of symbols) {
      const item = engine.item(s);
      const last = book.last(s);
      assert.ok(last !== undefined);
      assert.equal(item.price, last.price, `${s}: final price is the last published`);
      assert.equal(item.timestamp, last.timestamp, `${s}: final quote is the last published`);
      assert.equal(item.ticks, audit.applied.get(s) ?? 0, `${s}: the store shows what the engine applied`);
      // Applied seqs are strictly increasing, so applied + skipped numbers == the last seq.
      assert.equal(item.ticks + item.gaps, last.seq, `${s}: ticks + gaps == last seq`);
      lost += delivery.missing(s, 1, last.seq);
      gapsFlagged += item.gaps;
      if (o.strict) {
        assert.equal(item.ticks, book.published.get(s), `${s}: each seq applied exactly once`);
        assert.equal(item.gaps, 0, `${s}: nothing lost`);
        assert.equal(item.hasGap, false);
      }
    }
    assert.deepEqual(audit.violations, [], 'no tick applied twice or out of order');
    assert.equal(stats.rejected, 0);
    assert.equal(stats.droppedUnwatched, 0);
    assert.equal(stats.received, engine.factory.messages, 'every delivered message reached the engine');
    assert.equal(stats.accepted + stats.duplicates, stats.received, 'every message applied or counted as a duplicate');
    assert.equal(stats.accepted, audit.total());
    if (o.strict) {
      assert.equal(stats.accepted, published, 'applied == published');
      assert.equal(lost, 0, 'the broker lost nothing');
    }
    assert.equal(engine.store.status.reconnects, engine.factory.successfulConnects().length - 1, 'one reconnect per link re-established');
    assert.ok(engine.store.status.reconnects >= o.cuts, 'at least one reconnect per cut');
    const policy = checkReconnectPolicy(engine);
    assert.deepEqual(policy.violations, [], describePolicy(policy));
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, [], 'no secret in any log line, status or event');
    const connects = o.broker.connectsOf(o.clientId);
    return {
      broker: o.broker.kind,
      cuts: o.cuts,
      durationMs: Date.now() - started,
      published,
      rate: Math.round(fed.rate),
      delivered: engine.factory.messages,
      applied: stats.accepted,
      duplicatesCounted: stats.duplicates,
      brokerCopies: delivery.copies,
      brokerOutOfOrder: delivery.outOfOrder,
      brokerLost: lost,
      gapsFlagged,
      retainedDelivered: engine.factory.retainedMessages,
      reconnects: engine.store.status.reconnects,
      sessionAttempts: engine.factory.attempts.length,
      brokerConnects: connects.length,
      brokerConnectsMqtt31: connects.filter((c) => c.version === 3).length,
      policy: describePolicy(policy),
      logLines: watch.linesSeen,
    };
  } catch (e) {
    for (const st of engine.channel.statuses.slice(-12)) o.log(`status +${st.at - started} ${st.status.state} attempt ${st.status.attempt} ${st.status.detail}`);
    throw e;
  } finally {
    stopFeed = true;
    await feeding?.catch(() => undefined);
    await engine.stop();
    watch.uninstall();
    await pub?.close();
    await proxy.close();
  }
}
