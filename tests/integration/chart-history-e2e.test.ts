// Chart history end to end on loopback: quotefeed's publisher (simulator + retained bar snapshots with
// backfilled history) → aedes → the app's engine (OhosMqttTransport over the @ohos/mqtt emulation,
// MqttSession, BarSnapshotCodec, ChartBarFeed) → FeedClient → ChartState with its indicators.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import {
  Bar, BarSnapshotReject, ConnectionOptions, ConnectionState, encodeBarSnapshot, FeedStartConfig, InProcessFeedChannel, MathRandom,
  MAX_BAR_SNAPSHOT_BYTES, resample, SystemClock, SystemTimers
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { BarInterval, ChartState, FeedClient, QuoteStore } from '@quotedeck/ui';
import {
  BarSnapshotPublisher, createSimulator, parseBrokerUrl, Publisher, publishSimulation, simulatorBackfill
} from '../../tools/quotefeed/src/index';
import { startAedes, waitFor } from '../../tools/testkit';
import { testStartConfig } from '../../tools/testkit/feed';

const SYMBOLS = ['AAPL', 'MSFT'];
const HISTORY = 240;

function startConfig(url: string, clientId: string): FeedStartConfig {
  return testStartConfig(url, clientId, SYMBOLS);
}

function text(b: Bar): string {
  return `${b.start}:${b.open}/${b.high}/${b.low}/${b.close} v=${b.volume}`;
}

test('a chart opened mid-session shows the publisher\'s history at once, ignores bad snapshots and stays live', { timeout: 60_000 }, async (t) => {
  const broker = await startAedes();
  const sim = createSimulator({ seed: 11, symbols: SYMBOLS, rate: 40, seqStart: Date.now() });
  const pub = await Publisher.connect(parseBrokerUrl(broker.url), { clientId: 'e2e-history-pub', qos: 1, retain: true });
  const bars = BarSnapshotPublisher.forPublisher(pub, HISTORY, simulatorBackfill(sim, HISTORY)) as BarSnapshotPublisher;
  const abort = new AbortController();
  const publishing = publishSimulation(pub, sim, {
    signal: abort.signal,
    onQuote: (q) => bars.onQuote('finance', q.symbol, q.price, q.timestamp as number, q.volume),
  });
  const raw = await mqtt.connectAsync(broker.url.replace('tcp://', 'mqtt://'), { clientId: 'e2e-history-raw', reconnectPeriod: 0 });

  const store = new QuoteStore();
  const chart = new ChartState();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock());
  client.attachChart(chart);
  try {
    client.start(startConfig(broker.url, 'quotedeck-e2e-history'));
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    // The feed has been running a while when the user opens the chart.
    await waitFor(() => bars.sent >= 2 && (store.item('AAPL')?.ticks ?? 0) >= 5, 5000, 'quotes and snapshots flowing');
    const opened = performance.now();
    chart.open('AAPL');
    client.setChartSymbol('AAPL');
    await waitFor(() => chart.barCount >= HISTORY, 5000, 'history drawn');
    const latencyMs = performance.now() - opened;
    t.diagnostic(`history of ${chart.barCount} bars on the chart ${latencyMs.toFixed(1)} ms after the chart opened (subscribe + retained delivery on loopback)`);
    assert.ok(Number.isFinite(chart.historyAsOf), 'the snapshot time is shown');

    // The backfilled minutes are exactly the publisher's, and contiguous up to the live minute.
    const shown = chart.bars(BarInterval.ONE_MINUTE);
    const published = bars.snapshotOf('AAPL', chart.historyAsOf)!;
    const closed = published.bars.filter((b) => b.start + 60_000 <= chart.historyAsOf);
    assert.ok(closed.length >= HISTORY - 1);
    for (const b of closed) {
      const mine = shown.find((s) => s.start === b.start);
      assert.ok(mine, `minute ${b.start} shown`);
      assert.equal(text(mine), text(b));
    }
    for (let i = 1; i < shown.length; i++) assert.equal(shown[i].start - shown[i - 1].start, 60_000, 'no missing or duplicated minute');
    // The 5-minute view is resampled from the same bars, and the indicators have history to work on.
    assert.deepEqual(chart.bars(BarInterval.FIVE_MINUTES).map(text), resample(shown, 5).map(text));
    const ind = chart.indicators(BarInterval.ONE_MINUTE);
    const last = shown.length - 1;
    for (const [name, v] of [['MA60', ind.ma.line(60)![last]], ['DEA', ind.macd.dea[last]], ['RSI24', ind.rsi.lines[2][last]],
      ['K', ind.kdj.k[last]], ['BOLL', ind.boll.upper[last]]] as Array<[string, number]>) {
      assert.ok(Number.isFinite(v), `${name} defined on the live bar at once`);
    }

    // Malformed, oversize and wrong-version snapshots are counted and ignored; the chart keeps its bars.
    const firstBar = text(shown[0]);
    const revision = chart.revision;
    await raw.publishAsync('finance/AAPL/bars/1m', '{"v":1,', { qos: 1 });
    await raw.publishAsync('finance/AAPL/bars/1m', Buffer.alloc(MAX_BAR_SNAPSHOT_BYTES + 1, 0x20), { qos: 1 });
    await raw.publishAsync('finance/AAPL/bars/1m', JSON.stringify({ v: 2, symbol: 'AAPL', interval: 60000, asOf: Date.now(), bars: [] }), { qos: 1 });
    await waitFor(() => chart.snapshotsRejected >= 3, 5000, 'bad snapshots counted');
    const stats = chart.barSnapshotStats();
    assert.equal(stats.rejectedByReason[BarSnapshotReject.NOT_JSON], 1);
    assert.equal(stats.rejectedByReason[BarSnapshotReject.TOO_LARGE], 1);
    assert.equal(stats.rejectedByReason[BarSnapshotReject.UNSUPPORTED_VERSION], 1);
    assert.equal(store.stats.rejected, 0, 'not counted as bad quotes');
    assert.equal(text(chart.bars(BarInterval.ONE_MINUTE)[0]), firstBar);
    assert.ok(chart.barCount >= HISTORY);
    await waitFor(() => chart.revision > revision + 3, 5000, 'live ticks keep coming');

    // Stop the feed: the chart ends on the publisher's last price.
    abort.abort();
    await publishing;
    const final = sim.latestFor('AAPL')!.price;
    await waitFor(() => chart.lastClose === final, 5000, 'last price on the chart');

    // Closing the chart unsubscribes its bars topic: later snapshots do not reach the engine.
    client.setChartSymbol('');
    chart.close();
    await new Promise((r) => setTimeout(r, 300));
    const received = chart.barSnapshotStats().received;
    const later = bars.snapshotOf('AAPL', Date.now())!;
    await raw.publishAsync('finance/AAPL/bars/1m', encodeBarSnapshot(later), { qos: 1, retain: true });
    await raw.publishAsync('finance/AAPL/quotes', JSON.stringify({ symbol: 'AAPL', price: final + 1, timestamp: Date.now() }), { qos: 1 });
    await waitFor(() => store.item('AAPL')?.price === final + 1, 5000, 'quotes still flow');
    assert.equal(chart.barSnapshotStats().received, received, 'no snapshot after the chart closed');
  } finally {
    abort.abort();
    await publishing.catch(() => undefined);
    await client.stop();
    await raw.endAsync();
    await pub.close();
    await broker.close();
  }
});
