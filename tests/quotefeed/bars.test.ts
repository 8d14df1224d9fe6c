// quotefeed's retained bar snapshots (docs/payload.md, "Bar snapshots"): what publish and replay
// send on <prefix>/<SYMBOL>/bars/1m, checked with the app's own BarSnapshotCodec, and the
// BarSnapshotPublisher / simulator backfill units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BarSnapshotCodec, BarSnapshotCodecOptions, MINUTE_MS } from '@quotedeck/core';
import { BarSnapshotPublisher, createSimulator, simulatorBackfill, startBroker } from '../../tools/quotefeed/src/index';
import { waitFor } from '../../tools/testkit';
import { runCli, subscribe, tempDir } from './helpers';

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

function decode(topic: string, payload: Record<string, unknown>, prefix = 'finance') {
  const options = new BarSnapshotCodecOptions();
  options.topicPrefix = prefix;
  const codec = new BarSnapshotCodec(options);
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const r = codec.decode(topic, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, FAR_FUTURE);
  assert.ok(r.ok && r.snapshot, `snapshot on ${topic} refused: ${r.reason} ${r.detail}`);
  return r.snapshot;
}

test('publish sends each symbol\'s retained snapshot with 240 backfilled minutes that end at its first quote', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const r = await runCli(['publish', '--broker', broker.url, '--symbols', 'AAPL,BTC-USD', '--seed', '7', '--rate', '500', '--count', '100', '--start', '2024-05-01T13:30:20Z']);
    assert.equal(r.code, 0, r.stderr);
    // Retained: a subscriber arriving afterwards gets the latest of each symbol at once.
    const late = await subscribe(broker.url, 'finance/+/bars/1m');
    try {
      await waitFor(() => late.messages.length >= 2, 5000, 'two retained snapshots');
      assert.ok(late.messages.every((m) => m.retain));
      for (const m of late.messages) {
        const s = decode(m.topic, m.payload);
        assert.equal(s.bars.length, 240);
        const first = Date.parse('2024-05-01T13:30:00Z');
        // 239 backfilled minutes before the first quote's minute, then that live minute.
        assert.equal(s.bars[0].start, first - 239 * MINUTE_MS);
        assert.equal(s.bars[239].start, first);
        for (let i = 1; i < s.bars.length; i++) assert.equal(s.bars[i].start - s.bars[i - 1].start, MINUTE_MS);
        const lastBackfill = s.bars[238];
        const live = s.bars[239];
        assert.ok(Math.abs(lastBackfill.close - live.open) / live.open < 0.01, `seam ${lastBackfill.close} → ${live.open}`);
        assert.ok(s.asOf >= first + 20_000);
      }
    } finally {
      await late.close();
    }
  } finally {
    await broker.close();
  }
});

test('--bars 0 publishes no snapshot, and the quote counts stay the quotes\'', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  const sub = await subscribe(broker.url, 'finance/#');
  try {
    const r = await runCli(['publish', '--broker', broker.url, '--symbols', 'AAPL', '--rate', '1000', '--count', '20', '--qos', '1', '--bars', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /20 acknowledged/);
    await waitFor(() => sub.messages.length >= 20, 5000, '20 quotes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(sub.messages.filter((m) => m.topic.endsWith('/bars/1m')).length, 0);
    const withBars = await runCli(['publish', '--broker', broker.url, '--symbols', 'AAPL', '--rate', '1000', '--count', '20', '--qos', '1']);
    assert.match(withBars.stdout, /20 acknowledged/);
  } finally {
    await sub.close();
    await broker.close();
  }
});

test('replay publishes a snapshot whenever a replayed quote starts a new minute, and one at the end', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'minutes.ndjson');
  const t0 = Date.parse('2025-03-03T14:30:00Z');
  const rows: string[] = [];
  for (let i = 0; i < 12; i++) {
    rows.push(JSON.stringify({ symbol: 'MSFT', price: 400 + i, timestamp: t0 + i * 25_000, volume: 1000 + 100 * i }));
  }
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const broker = await startBroker({ port: 0 });
  const sub = await subscribe(broker.url, 'finance/MSFT/bars/1m');
  try {
    const r = await runCli(['replay', file, '--broker', broker.url, '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    // Quotes at 0, 25, 50 | 75, 100 | 125, 150, 175 | 200, 225 | 250, 275 s: 5 minutes, plus the final one.
    await waitFor(() => sub.messages.length >= 6, 5000, '6 snapshots');
    const snapshots = sub.messages.map((m) => decode(m.topic, m.payload));
    assert.deepEqual(snapshots.map((s) => s.bars.length), [1, 2, 3, 4, 5, 5]);
    const last = snapshots[snapshots.length - 1];
    assert.equal(last.asOf, t0 + 11 * 25_000);
    assert.deepEqual(last.bars.map((b) => [b.open, b.high, b.low, b.close, b.volume]), [
      [400, 402, 400, 402, 200], [403, 404, 403, 404, 200], [405, 407, 405, 407, 300], [408, 409, 408, 409, 200], [410, 411, 410, 411, 200],
    ]);
  } finally {
    await sub.close();
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the backfill is reproducible, on the tick grid, and ends at the first price', () => {
  const make = () => simulatorBackfill(createSimulator({ seed: 3, symbols: ['AAPL', 'EURUSD'] }), 240);
  const t = Date.parse('2024-05-01T13:30:42Z');
  const a = make()('AAPL', t, 190.37);
  const b = make()('AAPL', t, 190.37);
  assert.deepEqual(a, b);
  assert.equal(a.length, 240);
  assert.equal(a[239].start, Date.parse('2024-05-01T13:29:00Z'));
  assert.ok(Math.abs(a[239].close - 190.37) <= 0.011);
  for (const bar of a) {
    assert.ok(bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close));
    assert.ok(Math.abs(bar.close * 100 - Math.round(bar.close * 100)) < 1e-6, 'cents');
    assert.ok(bar.volume > 0 && bar.volume % 100 === 0, 'whole lots');
  }
  const fx = make()('EURUSD', t, 1.08421);
  assert.ok(fx.every((bar) => Math.abs(bar.close * 1e5 - Math.round(bar.close * 1e5)) < 1e-6));
  assert.deepEqual(make()('NOPE', t, 10), []);
});

test('BarSnapshotPublisher keeps at most N bars and counts what the broker took', () => {
  const sent: string[] = [];
  const bars = new BarSnapshotPublisher({ bars: 3, publish: (topic, payload, done) => { sent.push(payload); done(sent.length % 2 === 1); } });
  const t0 = Date.parse('2025-03-03T14:30:00Z');
  for (let m = 0; m < 6; m++) bars.onQuote('md/eu', 'SAP', 180 + m, t0 + m * MINUTE_MS + 5, 10 * m);
  assert.equal(bars.sent, 6);
  assert.equal(bars.completed, 3);
  const last = decode('md/eu/SAP/bars/1m', JSON.parse(sent[5]), 'md/eu');
  assert.deepEqual(last.bars.map((b) => b.close), [183, 184, 185]);
  assert.throws(() => new BarSnapshotPublisher({ bars: 0, publish: () => undefined }), /bars must be/);
});
