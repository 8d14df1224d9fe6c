// replay of NDJSON and CSV fixtures (order, payloads, pacing x speed) and record → replay round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBroker, parseReplayText } from '../../tools/quotefeed/src/index';
import { waitFor } from '../../tools/testkit';
import { FIXTURES, runCli, startCli, subscribe, tempDir, lines, Collector } from './helpers';

async function withBroker(fn: (url: string, sub: Collector) => Promise<void>): Promise<void> {
  const broker = await startBroker({ port: 0 });
  const all = await subscribe(broker.url, '#');
  // The quotes only: replay also publishes bar snapshots (<prefix>/<SYMBOL>/bars/1m, tests/quotefeed/bars.test.ts).
  const sub: Collector = { ...all, get messages() { return all.messages.filter((m) => !m.topic.endsWith('/bars/1m')); } };
  try {
    await fn(broker.url, sub);
  } finally {
    await all.close();
    await broker.close();
  }
}

function expectedFrom(file: string): { topic: string; payload: Record<string, unknown> }[] {
  return parseReplayText(fs.readFileSync(file, 'utf8'), { file }).map((e) => ({ topic: e.topic, payload: e.payload }));
}

const span = (sub: Collector): number => sub.messages[sub.messages.length - 1].at - sub.messages[0].at;

test('an NDJSON replay delivers every quote in file order, paced by its timestamps and --speed', { timeout: 30_000 }, async () => {
  await withBroker(async (url, sub) => {
    const file = path.join(FIXTURES, 'quotes.ndjson');
    const r = await runCli(['replay', file, '--broker', url, '--speed', '2', '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^replayed 9 of 9 quotes to mqtt:\/\/127\.0\.0\.1:\d+ in [\d.]+ s \(recorded span 0\.80 s, speed x2\)\n$/);
    await waitFor(() => sub.messages.length >= 9, 3000, '9 quotes');
    const expected = expectedFrom(file);
    assert.deepEqual(sub.messages.map((m) => ({ topic: m.topic, payload: m.payload })), expected);
    assert.equal('seq' in sub.messages[6].payload, false, 'payloads are sent as read');
    assert.equal(sub.messages[7].topic, 'finance/^GSPC/quotes');
    const s = span(sub);
    assert.ok(s >= 330 && s <= 900, `800 ms recorded at x2 arrived over ${s.toFixed(0)} ms`);
  });
});

test('a CSV replay with a header runs as fast as possible at --speed 0', { timeout: 30_000 }, async () => {
  await withBroker(async (url, sub) => {
    const file = path.join(FIXTURES, 'quotes.csv');
    const r = await runCli(['replay', file, '--broker', url, '--speed', '0', '--prefix', 'finance']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor(() => sub.messages.length >= 6, 3000, '6 quotes');
    assert.deepEqual(sub.messages.map((m) => m.payload.symbol), ['AAPL', 'MSFT', 'AAPL', '600519.SS', 'MSFT', 'AAPL']);
    assert.deepEqual(sub.messages[0].payload, {
      symbol: 'AAPL', price: 190.12, timestamp: 1741012200000, volume: 1200, bid: 190.11, ask: 190.13, name: 'Apple, Inc.', currency: 'USD',
    });
    assert.equal('bid' in sub.messages[3].payload, false, 'empty cells are left out');
    assert.ok(sub.messages.every((m) => m.retain === false), 'live delivery');
    assert.ok(span(sub) < 400, `no pacing at speed 0 (${span(sub).toFixed(0)} ms)`);
  });
});

test('a positional CSV at --speed 1 keeps the recorded spacing and --retime stamps the send time', { timeout: 30_000 }, async () => {
  await withBroker(async (url, sub) => {
    const file = path.join(FIXTURES, 'quotes-positional.csv');
    const before = Date.now();
    const r = await runCli(['replay', file, '--broker', url, '--retime', '--no-retain']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor(() => sub.messages.length >= 4, 3000, '4 quotes');
    assert.deepEqual(sub.messages.map((m) => [m.topic, m.payload.price]), [
      ['finance/BTC-USD/quotes', 65120.5], ['finance/ETH-USD/quotes', 3405.1], ['finance/BTC-USD/quotes', 65121], ['finance/ETH-USD/quotes', 3405.3],
    ]);
    assert.deepEqual(sub.messages[2].payload, { symbol: 'BTC-USD', price: 65121, timestamp: sub.messages[2].payload.timestamp, volume: 12, bid: 65120.9, ask: 65121.1 });
    const s = span(sub);
    assert.ok(s >= 500 && s <= 1000, `600 ms recorded at x1 arrived over ${s.toFixed(0)} ms`);
    for (const m of sub.messages) {
      const ts = m.payload.timestamp as number;
      assert.ok(typeof ts === 'number' && ts >= before && ts <= Date.now(), 'retimed to the send time');
    }
  });
});

test('a replay of a recording publishes exactly what was recorded', { timeout: 40_000 }, async () => {
  const dir = tempDir();
  const out = path.join(dir, 'session.ndjson');
  try {
    let recorded: string[] = [];
    await withBroker(async (url, sub) => {
      const rec = startCli(['record', '--broker', url, '--out', out, '--count', '60']);
      await waitFor(() => rec.stderrLines().some((l) => l.startsWith('recording finance/+/quotes')), 15_000, 'record to subscribe');
      const pub = await runCli(['publish', '--broker', url, '--symbols', 'AAPL,MSFT,9988.HK', '--seed', '8', '--rate', '600', '--count', '60', '--no-retain']);
      assert.equal(pub.code, 0, pub.stderr);
      const res = await rec.done;
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stderr, /recorded 60 messages/);
      recorded = lines(fs.readFileSync(out, 'utf8'));
      assert.equal(recorded.length, 60);
      await waitFor(() => sub.messages.length >= 60, 3000, 'live copy');
      // Each line is {topic, ...payload} of what a live subscriber saw.
      assert.deepEqual(recorded.map((l) => JSON.parse(l)), sub.messages.map((m) => ({ topic: m.topic, ...m.payload })));
      assert.ok(recorded.every((l) => l.startsWith('{"topic":"finance/')));
    });
    await withBroker(async (url, sub) => {
      const r = await runCli(['replay', out, '--broker', url, '--speed', '4', '--no-retain']);
      assert.equal(r.code, 0, r.stderr);
      await waitFor(() => sub.messages.length >= 60, 3000, 'replayed copy');
      assert.deepEqual(sub.messages.map((m) => ({ topic: m.topic, ...m.payload })), recorded.map((l) => JSON.parse(l)));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('record skips the retained snapshot unless --retained, and stops after --duration', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  try {
    await withBroker(async (url) => {
      const pub = await runCli(['publish', '--broker', url, '--symbols', 'AAPL,MSFT', '--count', '10', '--rate', '1000']);
      assert.equal(pub.code, 0, pub.stderr);
      const plain = path.join(dir, 'plain.ndjson');
      const r1 = await runCli(['record', '--broker', url, '--out', plain, '--duration', '0.4']);
      assert.equal(r1.code, 0, r1.stderr);
      assert.match(r1.stderr, /recorded 0 messages/);
      assert.ok(r1.ms < 10_000);
      assert.equal(fs.readFileSync(plain, 'utf8'), '');
      const r2 = await runCli(['record', '--broker', url, '--out', '-', '--duration', '0.4', '--retained']);
      assert.equal(r2.code, 0, r2.stderr);
      assert.deepEqual(lines(r2.stdout).map((l) => JSON.parse(l).symbol).sort(), ['AAPL', 'MSFT']);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
