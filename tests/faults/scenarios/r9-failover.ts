// R9 — failover between the nodes of a cluster (issue 13). Two mosquitto nodes, A and B, bridged on
// `finance/#` (a `connection` bridge in A's config: `topic finance/# both 1`). The app's engine
// (FeedController → MqttSession → OhosMqttTransport over the @ohos/mqtt double) is given A as its
// broker and B as its failover node, so it connects to A; the publisher feeds retained QoS 1 ticks
// into B, which the bridge carries to A. During the feed A is killed (SIGKILL, a crashed node).
//
// Expected: the engine's next attempt goes to B (the node after the one that died), within the
// policy's first backoff (rand(0, 1 s); the whole attempt record is checked against the policy); it
// subscribes again on B (its session there is another one); the status names B (host:port). What A
// had queued for us and what B carried before we subscribed there is lost to us: B's retained
// snapshot restores every symbol and the seq gap detection flags every tick we did not get. So the
// final state is exact and, symbol by symbol, applied ticks + flagged gaps = ticks published:
// gaps flagged, nothing silently lost.
import assert from 'node:assert/strict';
import { ConnectionState } from '@quotedeck/core';
import { EngineUnderTest, attachTickAudit } from '../harness/engine';
import { checkReconnectPolicy, describePolicy } from '../harness/policy';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { Mosquitto, sleep, startMosquitto, waitFor } from '../../../tools/testkit';

export interface FailoverOptions {
  symbols: number;
  /** Ticks per symbol before the kill. */
  before: number;
  /** Publishing rate of the whole feed (msg/s). */
  ratePerSec: number;
  /** Ticks per symbol published from the kill on (the feed goes on while the engine moves). */
  after: number;
  clientId: string;
  log: (line: string) => void;
}

export interface FailoverResult {
  durationMs: number;
  /** From the kill of A to the engine connected to B. */
  outageMs: number;
  /** From the kill to the first connect() after it (the policy's backoff, plus detecting the loss). */
  firstRetryAfterMs: number;
  attemptsAfterKill: number;
  resubscribedAfterMs: number;
  gapsTotal: number;
  symbolsWithGap: number;
  node: string;
  policy: string;
}

/** A mosquitto node bridged to `remote` on finance/# in both directions. */
function bridgeTo(remote: Mosquitto): string[] {
  return [
    'connection qd-bridge',
    `address 127.0.0.1:${remote.port}`,
    'remote_clientid qd-bridge-a',
    'topic finance/# both 1',
    'cleansession true',
    'start_type automatic',
    'restart_timeout 1',
  ];
}

export async function runFailover(o: FailoverOptions): Promise<FailoverResult> {
  const started = Date.now();
  const nodeB = await startMosquitto({ maxQueuedMessages: 0 });
  let nodeA: Mosquitto | undefined;
  const symbols = symbolNames(o.symbols);
  const book = new TickBook(symbols);
  let engine: EngineUnderTest | undefined;
  let pub: FeedPublisher | undefined;
  try {
    nodeA = await startMosquitto({ maxQueuedMessages: 0, extra: bridgeTo(nodeB) });
    const a = nodeA;
    // mosquitto logs a bridge as "New bridge connected … as qd-bridge-a" (not as a client)
    await waitFor(() => nodeB.log().some((l) => l.includes('New bridge connected') && l.includes(' as qd-bridge-a ')),
      10000, 'the bridge from A to B');
    const e = new EngineUnderTest({ url: a.url, failoverUrls: [nodeB.url], clientId: o.clientId, symbols });
    engine = e;
    e.factory.keepMessages = true;
    e.start();
    const audit = await attachTickAudit(e);
    await waitFor(() => e.state() === ConnectionState.CONNECTED && e.factory.subscribes.some((s) => s.ok), 10000,
      'connected and subscribed to node A');
    assert.equal(e.store.status.node, `127.0.0.1:${a.port}`, 'the status names node A');
    assert.equal(e.store.status.nodeCount, 2);
    await sleep(300); // the bridge's own subscription on B settles

    // The feed goes into B; the bridge carries it to A, where the engine is.
    pub = await FeedPublisher.connect(nodeB.url, { qos: 1, retain: true });
    await pub.run(() => book.nextRoundRobin(), { ratePerSec: o.ratePerSec, count: o.before * o.symbols });
    await pub.flush();
    await waitFor(() => symbols.every((s) => e.item(s).ticks === o.before), 10000, 'the ticks before the kill, through the bridge');

    // Node A crashes in the middle of the feed.
    const feeding = pub.run(() => book.nextRoundRobin(), { ratePerSec: o.ratePerSec, count: o.after * o.symbols });
    await sleep(200);
    const attemptsBefore = e.factory.attempts.length;
    const subscribesBefore = e.factory.subscribes.length;
    const killedAt = Date.now();
    await a.kill();
    await waitFor(() => e.state() !== ConnectionState.CONNECTED, 5000, 'the engine sees node A go');
    await waitFor(() => e.state() === ConnectionState.CONNECTED, 20000, 'the engine on node B');
    const reconnectedAt = Date.now();
    const after = e.factory.attempts.slice(attemptsBefore);
    assert.ok(after.length >= 1, 'an attempt after the kill');
    assert.equal(after[0].url, nodeB.url, 'the first attempt after the kill goes to the next node, B');
    assert.equal(after[0].ok, true, 'and connects');
    assert.equal(e.store.status.node, `127.0.0.1:${nodeB.port}`, 'the status names node B');
    await waitFor(() => e.factory.subscribes.slice(subscribesBefore).some((s) => s.ok), 5000, 'subscribed again on B');
    const resubscribedAt = e.factory.subscribes.slice(subscribesBefore).find((s) => s.ok)!.at;

    await feeding;
    await pub.flush();
    await waitFor(() => symbols.every((s) => e.item(s).price === book.last(s)?.price &&
      e.item(s).ticks + e.item(s).gaps === book.seqOf(s)), 15000, 'the final state');

    let gapsTotal = 0;
    let symbolsWithGap = 0;
    for (const s of symbols) {
      const item = e.item(s);
      const last = book.last(s)!;
      assert.equal(item.price, last.price, `${s}: the publisher's last price`);
      assert.equal(item.timestamp, last.timestamp, `${s}: the publisher's last timestamp`);
      assert.equal(item.ticks + item.gaps, book.seqOf(s), `${s}: every tick applied or flagged as a gap`);
      assert.equal(item.hasGap, item.gaps > 0, `${s}: a missing tick is flagged`);
      gapsTotal += item.gaps;
      if (item.gaps > 0) symbolsWithGap++;
    }
    assert.deepEqual(audit.violations, [], 'no tick applied twice or out of order');
    const stats = e.engineStats()!;
    assert.equal(stats.accepted + stats.duplicates, stats.received);
    const policy = checkReconnectPolicy(e);
    assert.deepEqual(policy.violations, [], describePolicy(policy));
    // The move took one retry of the policy's first step: full jitter under the 1 s ceiling.
    const moves = policy.retries.filter((x) => x.at >= killedAt);
    assert.equal(moves.length, 1, 'one retry after the kill');
    assert.equal(moves[0].ceilingMs, 1000, 'the first backoff step');
    assert.ok(moves[0].jitterMs < 1000, `jitter ${moves[0].jitterMs} ms`);
    const result: FailoverResult = {
      durationMs: Date.now() - started,
      outageMs: reconnectedAt - killedAt,
      firstRetryAfterMs: after[0].startedAt - killedAt,
      attemptsAfterKill: after.length,
      resubscribedAfterMs: resubscribedAt - after[0].endedAt,
      gapsTotal,
      symbolsWithGap,
      node: e.store.status.node,
      policy: describePolicy(policy),
    };
    await e.stop();
    return result;
  } catch (err) {
    if (engine !== undefined) {
      for (const st of engine.channel.statuses.slice(-10)) {
        o.log(`status +${st.at - started} ${st.status.state} node ${st.status.node} attempt ${st.status.attempt} ${st.status.detail}`);
      }
    }
    throw err;
  } finally {
    await engine?.stop();
    await pub?.close();
    await nodeA?.close();
    await nodeB.close();
  }
}
