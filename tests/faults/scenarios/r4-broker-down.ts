// R4 — the broker is down for 60 s. mosquitto is killed under a connected engine and started
// again 60 s later. With the real jitter (MathRandom, recorded): every retry waits
// floor(r · min(30 s, 1 s · 2^k)) (checked exactly against the recorded draws), never more than
// 10 attempts in any 60 s, and while waiting the status says when the next attempt is
// (RECONNECTING, attempt n counting up, nextAttemptAt whenever no attempt is under way) and why
// (lastError, detail). Nothing here assumes an idle machine: the test runs it with every core busy.
import assert from 'node:assert/strict';
import { ConnectionState, SessionErrorKind } from '@quotedeck/core';
import { EngineUnderTest } from '../harness/engine';
import { APP_POLICY, checkReconnectPolicy, describePolicy } from '../harness/policy';
import { PASSWORD, SecretWatch } from '../harness/secrets';
import { FeedPublisher, TickBook, symbolNames } from '../harness/ticks';
import { Mosquitto, sleep, waitFor } from '../../../tools/testkit';

const DOWN_MS = 60_000;

export interface BrokerDownResult {
  downMs: number;
  reconnectedAfterUpMs: number;
  attemptsWhileDown: number;
  attemptsFirstMinute: number;
  lastError: SessionErrorKind;
  detail: string;
  /** Each retry's delay over its ceiling, in ms. */
  delaysOverCeilings: string;
  policy: string;
}

/** `broker` is a mosquitto with persistence: it is killed and started again 60 s later. */
export async function runBrokerDown(broker: Mosquitto): Promise<BrokerDownResult> {
  const symbols = symbolNames(5);
  const book = new TickBook(symbols);
  const watch = new SecretWatch([PASSWORD]).install();
  const engine = new EngineUnderTest({ url: broker.url, clientId: 'qd-r4', symbols, userName: 'quotes', password: PASSWORD });
  let pub: FeedPublisher | undefined;
  try {
    engine.start();
    await waitFor(() => engine.state() === ConnectionState.CONNECTED && engine.factory.subscribes.some((s) => s.ok), 10000, 'connect');
    const downAt = Date.now();
    await broker.kill();
    // Sample what the UI would show, every 250 ms.
    const samples: Array<{ at: number; state: ConnectionState; attempt: number; nextAttemptAt: number }> = [];
    while (Date.now() - downAt < DOWN_MS) {
      const s = engine.store.status;
      samples.push({ at: Date.now(), state: s.state, attempt: s.attempt, nextAttemptAt: s.nextAttemptAt });
      await sleep(250);
    }
    const statusWhileDown = engine.store.status;
    await broker.start();
    const upAt = Date.now();
    // The next attempt is at most one ceiling (30 s) away, or where the window puts it.
    await waitFor(() => engine.state() === ConnectionState.CONNECTED, 75000, 'reconnect after the broker is back');
    const reconnectedAt = Date.now();
    pub = await FeedPublisher.connect(broker.url, { qos: 1, retain: true });
    for (const s of symbols) pub.publish(book.next(s));
    await pub.flush();
    await waitFor(() => symbols.every((s) => engine.item(s).price === book.last(s)!.price), 10000, 'data flows again');

    const attemptsDown = engine.factory.attempts.filter((a) => a.startedAt >= downAt && a.startedAt < upAt);
    assert.ok(attemptsDown.length >= 3, `retried while down (${attemptsDown.length})`);
    assert.ok(attemptsDown.every((a) => a.ok === false));
    const waiting = samples.filter((s) => s.state !== ConnectionState.CONNECTED);
    assert.ok(waiting.length > 0);
    for (const s of waiting) {
      assert.ok(s.state === ConnectionState.RECONNECTING, `state while down: ${s.state}`);
      assert.ok(s.attempt >= 1);
      // The status names the next attempt whenever none is under way: a sample without one falls
      // inside a connect() call (the sampler runs between events, never inside one). How long an
      // attempt takes on a busy machine does not matter; that the status says what happens does.
      if (s.nextAttemptAt === 0) {
        const during = engine.factory.attempts.some((a) => a.startedAt <= s.at && (a.endedAt === 0 || s.at <= a.endedAt));
        assert.ok(during, `at ${s.at - downAt} ms the status named no next attempt, and none was under way`);
      }
    }
    const announced = waiting.filter((s) => s.nextAttemptAt > 0);
    assert.ok(announced.length > 0, 'the status names the next attempt');
    const attemptNumbers = [...new Set(announced.map((s) => s.attempt))];
    assert.deepEqual(attemptNumbers, [...attemptNumbers].sort((a, b) => a - b), 'attempt n counts up');
    assert.equal(statusWhileDown.lastError, SessionErrorKind.UNREACHABLE, `lastError while down: ${statusWhileDown.lastError}`);
    assert.match(statusWhileDown.detail, /connect to tcp:\/\/127\.0\.0\.1:\d+ failed/);

    const policy = checkReconnectPolicy(engine);
    assert.deepEqual(policy.violations, [], describePolicy(policy));
    const minute = engine.factory.attempts.filter((a) => a.startedAt >= downAt && a.startedAt < downAt + 60_000).length;
    assert.ok(minute <= APP_POLICY.maxAttemptsPerWindow, `${minute} attempts in the first minute`);
    await engine.stop();
    watch.scanTexts(engine.channel.texts, 'status/event');
    assert.deepEqual(watch.leaks, []);
    const delays = policy.retries.map((r) => `${r.scheduledMs}/${r.ceilingMs}`).join(' ');
    return {
      downMs: upAt - downAt, reconnectedAfterUpMs: reconnectedAt - upAt, attemptsWhileDown: attemptsDown.length, attemptsFirstMinute: minute,
      lastError: statusWhileDown.lastError, detail: statusWhileDown.detail, delaysOverCeilings: delays, policy: describePolicy(policy),
    };
  } finally {
    await engine.stop();
    watch.uninstall();
    await pub?.close();
  }
}
