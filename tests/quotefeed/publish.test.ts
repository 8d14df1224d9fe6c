// publish → embedded broker → a plain mqtt.js subscriber, through the real CLI (spawned via its bin).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, startBroker, quoteProblem, symbolFromTopic } from '../../tools/quotefeed/src/index';
import { waitFor } from '../../tools/testkit';
import { runCli, startCli, subscribe, lines } from './helpers';

const SYMBOLS = ['AAPL', '0700.HK', 'EURUSD', '^GSPC', 'BTC-USD'];

function expectedFinal(seed: number, count: number, rate: number): Map<string, number> {
  const sim = createSimulator({ seed, symbols: SYMBOLS, rate });
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const q = sim.next(0);
    out.set(q.symbol, q.price);
  }
  return out;
}

test('publish --count N delivers exactly N quotes in seq order with the expected final prices', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const sub = await subscribe(broker.url);
  try {
    const count = 400;
    const r = await runCli(['publish', '--broker', broker.url, '--symbols', SYMBOLS.join(','), '--seed', '42', '--rate', '2000', '--count', String(count), '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^published 400 quotes for 5 symbols to mqtt:\/\/127\.0\.0\.1:\d+ in [\d.]+ s: [\d,]+ msg\/s \(target 2,000\), QoS 0\n$/);
    await waitFor(() => sub.messages.length >= count, 5000, `${count} messages`);
    await new Promise((r2) => setTimeout(r2, 200));
    assert.equal(sub.messages.length, count, 'exactly --count messages');
    const last = new Map<string, Record<string, unknown>>();
    for (const m of sub.messages) {
      assert.equal(m.retain, false);
      assert.equal(quoteProblem(m.payload, symbolFromTopic(m.topic)), null);
      const prev = last.get(m.payload.symbol as string);
      if (prev) assert.equal(m.payload.seq, (prev.seq as number) + 1);
      last.set(m.payload.symbol as string, m.payload);
    }
    const expected = expectedFinal(42, count, 2000);
    assert.deepEqual(new Map([...last].map(([s, q]) => [s, q.price])), expected);
    // Real timestamps by default: close to now.
    const ts = [...last.values()].map((q) => q.timestamp as number);
    assert.ok(ts.every((t) => Math.abs(Date.now() - t) < 60_000));
  } finally {
    await sub.close();
    await broker.close();
  }
});

test('a subscriber that connects after publishing gets the last quote of every symbol from the retained snapshot', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const r = await runCli(['publish', '--broker', broker.url, '--symbols', SYMBOLS.join(','), '--seed', '5', '--rate', '1000', '--count', '200', '--qos', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /QoS 1, retained, 200 acknowledged/);
    const late = await subscribe(broker.url);
    try {
      await waitFor(() => late.messages.length >= SYMBOLS.length, 3000, 'retained messages');
      await new Promise((r2) => setTimeout(r2, 200));
      assert.equal(late.messages.length, SYMBOLS.length);
      assert.ok(late.messages.every((m) => m.retain));
      assert.deepEqual(late.messages.map((m) => m.payload.symbol).sort(), [...SYMBOLS].sort());
      const expected = expectedFinal(5, 200, 1000);
      for (const m of late.messages) assert.equal(m.payload.price, expected.get(m.payload.symbol as string));
    } finally {
      await late.close();
    }
  } finally {
    await broker.close();
  }
});

test('publish --start makes the payloads themselves reproducible and honours --prefix and --duration', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const sub = await subscribe(broker.url, 'test/+/quotes');
  try {
    const args = ['publish', '--broker', broker.url, '--symbols', 'AAPL,MSFT', '--seed', '3', '--rate', '500', '--start', '2025-03-03T14:30:00Z', '--no-retain', '--prefix', 'test'];
    const one = await runCli([...args, '--count', '50']);
    assert.equal(one.code, 0, one.stderr);
    await waitFor(() => sub.messages.length >= 50, 5000, 'first run');
    const first = sub.messages.splice(0).map((m) => m.payload);
    const two = await runCli([...args, '--count', '50']);
    assert.equal(two.code, 0, two.stderr);
    await waitFor(() => sub.messages.length >= 50, 5000, 'second run');
    assert.deepEqual(sub.messages.splice(0).map((m) => m.payload), first);
    assert.equal(first[0].seq, Date.parse('2025-03-03T14:30:00Z'));
    const sim = createSimulator({ seed: 3, symbols: ['AAPL', 'MSFT'], rate: 500, startTime: '2025-03-03T14:30:00Z', seqStart: Date.parse('2025-03-03T14:30:00Z') });
    assert.deepEqual(first, sim.take(50).map((q) => JSON.parse(JSON.stringify(q))));

    const timed = await runCli(['publish', '--broker', broker.url, '--symbols', 'AAPL', '--rate', '100', '--duration', '0.5', '--prefix', 'test', '--no-retain']);
    assert.equal(timed.code, 0, timed.stderr);
    const sent = Number(/published (\d+) quotes/.exec(timed.stdout)?.[1]);
    assert.ok(sent >= 35 && sent <= 55, `sent ${sent} in 0.5 s at 100/s`);
    await waitFor(() => sub.messages.length >= sent, 3000, 'timed run');
    assert.equal(sub.messages.length, sent);
  } finally {
    await sub.close();
    await broker.close();
  }
});

test('a burst publish without --duration or --count stops by itself after 5 s', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const r = await runCli(['publish', '--broker', broker.url, '--profile', 'burst', '--symbols', 'AAPL', '--rate', '200', '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    const sent = Number(/published (\d+) quotes/.exec(r.stdout)?.[1]);
    assert.ok(sent >= 800 && sent <= 1050, `sent ${sent} at 200/s: about 5 s of quotes`);
    assert.ok(r.ms >= 5000 && r.ms < 20_000, `ran ${r.ms} ms`);
  } finally {
    await broker.close();
  }
});

test('quotefeed broker prints its URL, serves publishers, and stops cleanly on SIGINT', { timeout: 30_000 }, async () => {
  const b = startCli(['broker', '--port', '0']);
  let stdout = '';
  b.child.stdout!.on('data', (d) => (stdout += d));
  await waitFor(() => /mqtt:\/\/127\.0\.0\.1:\d+\n/.test(stdout), 15_000, 'broker URL');
  const url = lines(stdout)[0];
  const sub = await subscribe(url);
  try {
    const r = await runCli(['publish', '--broker', url, '--symbols', 'NVDA', '--count', '20', '--rate', '1000', '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor(() => sub.messages.length >= 20, 5000, '20 messages');
  } finally {
    await sub.close();
  }
  b.child.kill('SIGINT');
  const res = await b.done;
  assert.equal(res.code, 0);
  assert.match(res.stderr, /stopped/);
});

test('quotefeed broker --ws-port serves MQTT over WebSocket next to TCP: publish over ws://, receive over TCP', { timeout: 30_000 }, async () => {
  const b = startCli(['broker', '--port', '0', '--ws-port', '0']);
  let stdout = '';
  b.child.stdout!.on('data', (d) => (stdout += d));
  await waitFor(() => /ws:\/\/127\.0\.0\.1:\d+\/mqtt\n/.test(stdout), 15_000, 'broker URLs');
  const [url, wsUrl] = lines(stdout);
  assert.match(url, /^mqtt:\/\//);
  const sub = await subscribe(url);
  try {
    const r = await runCli(['publish', '--broker', wsUrl, '--symbols', 'NVDA', '--count', '20', '--rate', '1000', '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
    await waitFor(() => sub.messages.length >= 20, 5000, '20 messages');
  } finally {
    await sub.close();
  }
  b.child.kill('SIGINT');
  const res = await b.done;
  assert.equal(res.code, 0);
});

test('Ctrl-C ends an open-ended publish cleanly (exit 0, summary) and a lost broker makes it exit 3', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const run = startCli(['publish', '--broker', broker.url, '--symbols', 'AAPL,MSFT', '--rate', '200']);
    await waitFor(() => broker.aedes.connectedClients > 0, 15_000, 'publisher to connect');
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    const res = await run.done;
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^published \d+ quotes for 2 symbols/);

    const doomed = startCli(['publish', '--broker', broker.url, '--symbols', 'AAPL', '--rate', '500', '--duration', '20']);
    await waitFor(() => broker.aedes.connectedClients > 0, 15_000, 'publisher to connect');
    await new Promise((r) => setTimeout(r, 300));
    await broker.close();
    const lost = await doomed.done;
    assert.equal(lost.code, 3, lost.stderr);
    assert.match(lost.stderr, /lost the connection to mqtt:\/\/127\.0\.0\.1:\d+ after \d+ messages/);
    assert.equal(lines(lost.stderr).length, 1);
  } finally {
    await broker.close();
  }
});
