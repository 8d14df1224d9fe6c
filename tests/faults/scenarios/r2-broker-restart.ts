// R2 — broker restart. The engine runs a persistent session behind a proxy; the publisher feeds
// retained QoS 1 ticks straight into the broker. Then the broker goes away and comes back:
//  - 'aedes-fresh'          aedes closed and a new one started on the same port (nothing survives);
//  - 'mosquitto-persistent' mosquitto stopped with SIGTERM (it saves its database) and started again
//                           from it: the engine's session, its subscription and the retained messages survive;
//  - 'mosquitto-fresh'      mosquitto without persistence killed with SIGKILL and started again.
// While the broker is down the upstream feed goes on: `skipped` ticks per symbol never reach any
// broker. When it is back, the publisher reconnects first and publishes the current state of every
// symbol (retained) — the snapshot — and only then does the proxy let the engine in (a restarting
// broker that is not yet reachable from outside), so that what the engine finds is deterministic.
//
// Expected: the engine retries with jitter (checked against the policy), subscribes again after the
// reconnect, restores every symbol — from the retained snapshot when the session is gone, from its
// session queue when it survived (the retained copy then arrives as a duplicate) — flags exactly
// the ticks it could not get as gaps (hasGap, gaps == skipped), and ends on the exact final state.
import assert from 'node:assert/strict';
import { ConnectionState } from '@quotedeck/core';
import { EngineUnderTest, attachTickAudit } from '../harness/engine';
import { checkReconnectPolicy, describePolicy } from '../harness/policy';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { AedesBroker, Mosquitto, sleep, startAedes, startCuttingProxy, startMosquitto, waitFor } from '../../../tools/testkit';

export type RestartKind = 'aedes-fresh' | 'mosquitto-persistent' | 'mosquitto-fresh';

export interface RestartOptions {
  kind: RestartKind;
  symbols: number;
  /** Ticks per symbol before the restart. */
  before: number;
  /** Ticks per symbol produced upstream while the broker is down (lost). */
  skipped: number;
  /** Ticks per symbol after the snapshot. */
  after: number;
  downMs: number;
  clientId: string;
  log: (line: string) => void;
}

export interface RestartResult {
  kind: RestartKind;
  durationMs: number;
  downMs: number;
  /** From the broker going down to the engine connected again. */
  outageMs: number;
  retriesWhileDown: number;
  resubscribedAfterMs: number;
  firstAfterRestartRetained: number;
  firstAfterRestartQueued: number;
  duplicatesAfterRestart: number;
  gapsPerSymbol: number;
  policy: string;
}

export async function runBrokerRestart(o: RestartOptions): Promise<RestartResult> {
  const started = Date.now();
  const persistent = o.kind === 'mosquitto-persistent';
  let broker: AedesBroker | Mosquitto = o.kind === 'aedes-fresh' ? await startAedes()
    : await startMosquitto({ persistence: persistent });
  const port = broker.port;
  const proxy = await startCuttingProxy(port);
  const symbols = symbolNames(o.symbols);
  const book = new TickBook(symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({ url: proxy.url, clientId: o.clientId, symbols, userName: 'quotes', password: PASSWORD });
  engine.factory.keepMessages = true;
  let pub: FeedPublisher | undefined;
  try {
    engine.start();
    const audit = await attachTickAudit(engine);
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'first connect and subscribe');
    pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: true });
    await pub.run(() => book.nextRoundRobin(), { ratePerSec: 2000, count: o.before * o.symbols });
    await pub.flush();
    await waitFor(() => symbols.every((s) => engine.item(s).ticks === o.before), 10000, 'the ticks before the restart');

    // The broker goes down; the upstream feed goes on without it.
    proxy.setDown(true);
    const downAt = Date.now();
    if (broker.kind === 'aedes') await broker.close();
    else if (persistent) await broker.stop();
    else await broker.kill();
    await pub.close();
    pub = undefined;
    await waitFor(() => engine.state() !== ConnectionState.CONNECTED, 5000, 'engine sees the broker go');
    book.skipAll(o.skipped);
    await sleep(o.downMs);

    // Back: the publisher reconnects first and publishes the snapshot, then the engine may come in.
    // aedes keeps nothing: a fresh one on the same port; mosquitto starts again on its database.
    if (broker.kind === 'aedes') broker = await startAedes({ port });
    else await broker.start();
    const upAt = Date.now();
    pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: true });
    const snapshot = new Map<string, number>();
    for (const s of symbols) {
      const tick = book.next(s);
      snapshot.set(s, tick.price);
      pub.publish(tick);
    }
    await pub.flush();
    const messagesBefore = engine.factory.messageLog.length;
    proxy.setDown(false);
    await waitFor(() => engine.state() === ConnectionState.CONNECTED, 65000, 'reconnect after the restart');
    const reconnectedAt = Date.now();
    await waitFor(() => symbols.every((s) => engine.item(s).price === snapshot.get(s)), 10000, 'every symbol restored');
    await waitFor(() => engine.factory.subscribes.some((x) => x.at >= upAt && x.ok), 5000, 'subscribed again');
    const resubscribedAt = engine.factory.subscribes.find((x) => x.at >= upAt && x.ok)!.at;
    await sleep(300); // the retained copies that follow the re-SUBSCRIBE

    // What the engine got right after the restart, symbol by symbol.
    const after = engine.factory.messageLog.slice(messagesBefore);
    const first = new Map<string, boolean>();
    for (const m of after) {
      const s = m.topic.split('/')[1];
      if (!first.has(s)) first.set(s, m.retained);
    }
    const retainedFirst = [...first.values()].filter((r) => r).length;
    const queuedFirst = [...first.values()].filter((r) => !r).length;
    for (const s of symbols) {
      const item = engine.item(s);
      assert.equal(item.hasGap, true, `${s}: the outage is flagged`);
      assert.equal(item.gaps, o.skipped, `${s}: exactly the ticks lost in the outage are counted as missing`);
      assert.equal(item.ticks, o.before + 1, `${s}: restored once from the snapshot`);
    }
    assert.equal(first.size, o.symbols, 'every symbol got a message after the restart');
    if (persistent) {
      assert.equal(queuedFirst, o.symbols, 'the session survived: the snapshot came from the session queue, not as retained');
    } else {
      assert.equal(retainedFirst, o.symbols, 'the session was gone: every symbol was restored from its retained snapshot');
    }

    // Live again.
    await pub.run(() => book.nextRoundRobin(), { ratePerSec: 2000, count: o.after * o.symbols });
    await pub.flush();
    await waitFor(() => symbols.every((s) => engine.item(s).price === book.last(s)?.price && engine.item(s).ticks === o.before + 1 + o.after), 10000, 'the final state');
    const stats = engine.engineStats()!;
    for (const s of symbols) {
      const item = engine.item(s);
      assert.equal(item.price, book.last(s)!.price);
      assert.equal(item.timestamp, book.last(s)!.timestamp);
      assert.equal(item.gaps, o.skipped);
    }
    assert.deepEqual(audit.violations, []);
    assert.equal(stats.accepted + stats.duplicates, stats.received);
    assert.equal(stats.accepted, o.symbols * (o.before + 1 + o.after));
    const policy = checkReconnectPolicy(engine);
    assert.deepEqual(policy.violations, [], describePolicy(policy));
    const retriesWhileDown = engine.factory.attempts.filter((a) => a.startedAt >= downAt && a.startedAt < reconnectedAt && a.ok === false).length;
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    return {
      kind: o.kind,
      durationMs: Date.now() - started,
      downMs: upAt - downAt,
      outageMs: reconnectedAt - downAt,
      retriesWhileDown,
      resubscribedAfterMs: resubscribedAt - upAt,
      firstAfterRestartRetained: retainedFirst,
      firstAfterRestartQueued: queuedFirst,
      duplicatesAfterRestart: after.length - o.symbols,
      gapsPerSymbol: o.skipped,
      policy: describePolicy(policy),
    };
  } catch (e) {
    for (const st of engine.channel.statuses.slice(-10)) o.log(`status +${st.at - started} ${st.status.state} attempt ${st.status.attempt} ${st.status.detail}`);
    throw e;
  } finally {
    await engine.stop();
    watch.uninstall();
    await pub?.close();
    await proxy.close();
    await broker.close();
  }
}
