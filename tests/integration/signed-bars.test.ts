// Signed bar snapshots end to end (docs/payload.md "Signed bar snapshots"): quotefeed's publisher
// signs its retained snapshots (PayloadSigner, as `--sign`), an attacker publishes forged ones on the
// same bars topic through a real broker (aedes on loopback), and the app's engine (the UI-thread
// feed, with the phone's OhosSignatureVerifier over the CryptoArchitectureKit double) charts exactly
// the signed history and counts every forgery under its reason. Then accept-unsigned mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import mqtt from 'mqtt';
import {
  Bar, BarSnapshot, BarSnapshotReject, BarSnapshotStats, encodeBarSnapshot, FeedStartConfig, InProcessFeedChannel, MathRandom,
  MINUTE_MS, QuoteAuthenticator, RejectReason, SignatureMode, SIGNATURE_SUFFIX_BYTES, SystemClock, SystemTimers, ConnectionState
} from '@quotedeck/core';
import { OhosMqttTransportFactory, OhosSignatureVerifier } from '@quotedeck/platform';
import { BarInterval, ChartState, FeedClient, QuoteStore } from '@quotedeck/ui';
import {
  BarSnapshotPublisher, createSimulator, NodeSignatureVerifier, parseBrokerUrl, PayloadSigner, Publisher, publicKeyText,
  rawOfPublicKey, simulatorBackfill
} from '../../tools/quotefeed/src/index';
import { startAedes, waitFor } from '../../tools/testkit';
import { testStartConfig } from '../../tools/testkit/feed';

const SYMBOLS = ['AAPL', 'MSFT'];
const HISTORY = 30;
const AAPL_BARS = 'finance/AAPL/bars/1m';

function newKey(): { signer: PayloadSigner; text: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { signer: new PayloadSigner(privateKey), text: publicKeyText(rawOfPublicKey(publicKey)) };
}

function text(b: Bar): string {
  return `${b.start}:${b.open}/${b.high}/${b.low}/${b.close} v=${b.volume}`;
}

/** The unsigned payload inside a signed message: everything before the suffix, closed with '}'. */
function unsignedBody(signed: Buffer): string {
  return `${signed.subarray(0, signed.length - SIGNATURE_SUFFIX_BYTES).toString('utf8')}}`;
}

/** A well-formed but false history for `symbol`: the last `n` minutes before `asOf` at 9999. */
function falseHistory(symbol: string, asOf: number, n: number): string {
  const last = Math.floor(asOf / MINUTE_MS) * MINUTE_MS;
  const bars: Bar[] = [];
  for (let i = n - 1; i >= 0; i--) bars.push(new Bar(last - i * MINUTE_MS, 9999, 10000, 9998, 9999, 1, 0));
  return encodeBarSnapshot(new BarSnapshot(symbol, MINUTE_MS, asOf, bars));
}

function appSide(): { store: QuoteStore; chart: ChartState; client: FeedClient } {
  const store = new QuoteStore();
  const chart = new ChartState();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  channel.setSignatureVerifier(new OhosSignatureVerifier()); // the phone's adapter, as the fallback feed has it
  const client = new FeedClient(channel, store, new SystemClock());
  client.attachChart(chart);
  return { store, chart, client };
}

function config(url: string, clientId: string, trusted: string[], mode: SignatureMode): FeedStartConfig {
  const c = testStartConfig(url, clientId, SYMBOLS);
  c.trustedKeys = trusted.slice();
  c.signatureMode = mode;
  return c;
}

function reasons(stats: BarSnapshotStats): Record<string, number> {
  return {
    UNSIGNED: stats.rejectedByReason[BarSnapshotReject.UNSIGNED],
    BAD_SIGNATURE: stats.rejectedByReason[BarSnapshotReject.BAD_SIGNATURE],
    UNKNOWN_KEY: stats.rejectedByReason[BarSnapshotReject.UNKNOWN_KEY],
    SYMBOL_MISMATCH: stats.rejectedByReason[BarSnapshotReject.SYMBOL_MISMATCH],
  };
}

test('signed snapshots + forged ones through aedes: the chart shows exactly the signed history, each forgery counted by reason', { timeout: 60_000 }, async () => {
  const broker = await startAedes();
  const owner = newKey();
  const attacker = newKey();
  const sim = createSimulator({ seed: 20, symbols: SYMBOLS, rate: 1, seqStart: Date.now() });
  const pub = await Publisher.connect(parseBrokerUrl(broker.url), { clientId: 'signed-bars-pub', qos: 1, retain: true, signer: owner.signer });
  const bars = BarSnapshotPublisher.forPublisher(pub, HISTORY, simulatorBackfill(sim, HISTORY)) as BarSnapshotPublisher;
  // What went over the wire, signed, in order: the replays below are real captured messages.
  const recorder = await mqtt.connectAsync(broker.url.replace('tcp://', 'mqtt://'), { clientId: 'signed-bars-recorder', reconnectPeriod: 0 });
  const wire: Array<{ topic: string; payload: Buffer }> = [];
  recorder.on('message', (topic, payload) => wire.push({ topic, payload: Buffer.from(payload) }));
  await recorder.subscribeAsync('finance/+/bars/1m', { qos: 1 });
  const evil = await mqtt.connectAsync(broker.url.replace('tcp://', 'mqtt://'), { clientId: 'signed-bars-attacker', reconnectPeriod: 0 });
  const app = appSide();
  try {
    // The publisher's feed: quotes in three minutes, so three signed AAPL snapshots (asOf t1 < t2 < t3).
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const t1 = minute - 2 * MINUTE_MS + 5000;
    const t2 = minute - MINUTE_MS + 5000;
    const t3 = Date.now();
    bars.onQuote('finance', 'AAPL', 100, t1, 1000);
    bars.onQuote('finance', 'AAPL', 101, t2, 1500);
    bars.onQuote('finance', 'AAPL', 102, t3, 1800);
    bars.onQuote('finance', 'MSFT', 300, t3, 500);
    assert.equal(await pub.flush(5000), true);
    await waitFor(() => wire.length >= 4, 5000, 'four signed snapshots on the wire');
    const aapl = wire.filter((m) => m.topic === AAPL_BARS);
    const msft = wire.find((m) => m.topic === 'finance/MSFT/bars/1m')!;
    assert.equal(aapl.length, 3);
    // quotefeed signs exactly the bytes the app verifies: the body is encodeBarSnapshot's output,
    // and the app's authenticator (Node's Ed25519 here, the phone's adapter below) accepts it.
    const latest = bars.snapshotOf('AAPL', t3)!;
    assert.equal(unsignedBody(aapl[2].payload), encodeBarSnapshot(latest));
    const check = new QuoteAuthenticator(new NodeSignatureVerifier(), [owner.text], SignatureMode.REQUIRE);
    for (const m of wire) {
      const ab = m.payload.buffer.slice(m.payload.byteOffset, m.payload.byteOffset + m.payload.length) as ArrayBuffer;
      assert.equal(check.check(m.topic, ab), RejectReason.NONE, `${m.topic} verifies`);
    }

    // The user opens AAPL's chart: the retained (latest, signed) snapshot is drawn.
    app.client.start(config(broker.url, 'quotedeck-signed-bars', [owner.text], SignatureMode.REQUIRE));
    await waitFor(() => app.store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    app.chart.open('AAPL');
    app.client.setChartSymbol('AAPL');
    await waitFor(() => app.chart.historyAsOf === t3 && app.chart.barCount === latest.bars.length, 5000, 'signed history drawn');

    // The attacker, on the same topic, retained like the publisher.
    const now = Date.now();
    const forgeries: Array<[string, string | Buffer]> = [
      [AAPL_BARS, falseHistory('AAPL', now, HISTORY)], // UNSIGNED
      [AAPL_BARS, attacker.signer.sign(AAPL_BARS, falseHistory('AAPL', now, HISTORY))], // UNKNOWN_KEY
      [AAPL_BARS, msft.payload], // MSFT's genuine signed snapshot, as it is: SYMBOL_MISMATCH
      [AAPL_BARS, Buffer.from(msft.payload.toString('utf8').replace('"symbol":"MSFT"', '"symbol":"AAPL"'))], // BAD_SIGNATURE
      [AAPL_BARS, owner.signer.sign('staging/AAPL/bars/1m', falseHistory('AAPL', now, HISTORY))], // another prefix: BAD_SIGNATURE
      [AAPL_BARS, aapl[0].payload], // the owner's older snapshot replayed: valid, but stale
    ];
    const before = app.chart.barSnapshotStats().received;
    for (const [topic, body] of forgeries) await evil.publishAsync(topic, body, { qos: 1, retain: true });
    await waitFor(() => app.chart.barSnapshotStats().received >= before + forgeries.length, 5000, 'forgeries received');
    await new Promise((r) => setTimeout(r, 300));
    const stats = app.chart.barSnapshotStats();
    assert.deepEqual(reasons(stats), { UNSIGNED: 1, BAD_SIGNATURE: 2, UNKNOWN_KEY: 1, SYMBOL_MISMATCH: 1 });
    assert.equal(stats.rejected, 5);
    assert.equal(stats.ignoredStale, 1, 'the replayed older snapshot is ignored');
    assert.equal(stats.applied, 1, 'only the genuine snapshot was merged');
    assert.equal(app.chart.snapshotsForged, 4, 'the chart tells signature refusals apart');
    assert.equal(app.chart.snapshotsRejected, 5);
    assert.equal(app.chart.historyAsOf, t3);
    assert.deepEqual(app.chart.bars(BarInterval.ONE_MINUTE).map(text), latest.bars.map(text), 'the chart is exactly the signed history');

    // The publisher's next snapshot still applies over the attacker's retained message.
    bars.flushAll();
    await waitFor(() => app.chart.barSnapshotStats().applied === 2, 5000, 'the next genuine snapshot applied');
    assert.deepEqual(app.chart.bars(BarInterval.ONE_MINUTE).map(text), latest.bars.map(text));
    assert.equal(app.store.stats.rejected, 0, 'snapshot refusals are not counted as quote refusals');
  } finally {
    await app.client.stop();
    await evil.endAsync();
    await recorder.endAsync();
    await pub.close();
    await broker.close();
  }
});

test('in accept-unsigned mode an unsigned snapshot is charted, while one signed by an unknown key is still refused', { timeout: 30_000 }, async () => {
  const broker = await startAedes();
  const owner = newKey();
  const stranger = newKey();
  const raw = await mqtt.connectAsync(broker.url.replace('tcp://', 'mqtt://'), { clientId: 'unsigned-bars-pub', reconnectPeriod: 0 });
  const app = appSide();
  try {
    const asOf = Date.now() - 1000;
    const last = Math.floor(asOf / MINUTE_MS) * MINUTE_MS;
    const history: Bar[] = [];
    for (let i = 9; i >= 0; i--) history.push(new Bar(last - i * MINUTE_MS, 50 + i, 51 + i, 49 + i, 50.5 + i, 10 * i, 0));
    const snapshot = new BarSnapshot('AAPL', MINUTE_MS, asOf, history);
    await raw.publishAsync(AAPL_BARS, encodeBarSnapshot(snapshot), { qos: 1, retain: true });
    app.client.start(config(broker.url, 'quotedeck-unsigned-bars', [owner.text], SignatureMode.ACCEPT_UNSIGNED));
    await waitFor(() => app.store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    app.chart.open('AAPL');
    app.client.setChartSymbol('AAPL');
    await waitFor(() => app.chart.historyAsOf === asOf, 5000, 'unsigned history drawn');
    assert.deepEqual(app.chart.bars(BarInterval.ONE_MINUTE).map(text), history.map(text));
    await raw.publishAsync(AAPL_BARS, stranger.signer.sign(AAPL_BARS, falseHistory('AAPL', Date.now(), 10)), { qos: 1 });
    await waitFor(() => app.chart.snapshotsForged === 1, 5000, 'the stranger\'s snapshot refused');
    assert.equal(app.chart.barSnapshotStats().rejectedByReason[BarSnapshotReject.UNKNOWN_KEY], 1);
    assert.deepEqual(app.chart.bars(BarInterval.ONE_MINUTE).map(text), history.map(text));
  } finally {
    await app.client.stop();
    await raw.endAsync();
    await broker.close();
  }
});
