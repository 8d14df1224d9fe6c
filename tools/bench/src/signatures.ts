// Signature verification cost per message (docs/payload.md "Signed quotes"): the same payloads
// through FeedEngine.ingest without and with the QuoteAuthenticator stage (Node's Ed25519 behind the
// SignatureVerifier port), plus the verifier call alone; then a signed bar snapshot through
// FeedEngine.ingestBars. Prints `RESULT {...}`.
import * as crypto from 'node:crypto';
import {
  Bar, BarSnapshot, ConnectionStatus, encodeBarSnapshot, FeedEngine, FeedEngineOptions, MINUTE_MS, QuoteAuthenticator, QuoteBatch,
  SignatureMode, SystemClock, SystemTimers
} from '@quotedeck/core';
import { NodeSignatureVerifier, PayloadSigner, publicKeyText, rawOfPublicKey } from '../../quotefeed/src/signing';

const count = Number(process.argv[2] ?? 20_000);
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOG', 'META', 'BTC-USD'];

class Sink {
  onBatch(_b: QuoteBatch): void {}
  onStatus(_s: ConnectionStatus): void {}
}

const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
const signer = new PayloadSigner(privateKey);
const keyText = publicKeyText(rawOfPublicKey(publicKey));
const now = Date.now();
const unsigned: Array<[string, ArrayBuffer]> = [];
const signed: Array<[string, ArrayBuffer]> = [];
const toAb = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
for (let i = 0; i < count; i++) {
  const s = SYMBOLS[i % SYMBOLS.length];
  const topic = `finance/${s}/quotes`;
  const body = JSON.stringify({ symbol: s, price: 100 + (i % 500) / 100, timestamp: now - count + i, seq: i + 1, bid: 99.9, ask: 100.1, volume: i * 10 });
  unsigned.push([topic, toAb(Buffer.from(body))]);
  signed.push([topic, toAb(signer.sign(topic, body))]);
}

function run(messages: Array<[string, ArrayBuffer]>, withAuth: boolean): number {
  const engine = new FeedEngine(new FeedEngineOptions(), new SystemClock(), new SystemTimers(), new Sink());
  if (withAuth) engine.setAuthenticator(new QuoteAuthenticator(new NodeSignatureVerifier(), [keyText], SignatureMode.REQUIRE));
  engine.setSymbols(SYMBOLS);
  const t0 = process.hrtime.bigint();
  for (const [topic, payload] of messages) engine.ingest(topic, payload, now);
  const ns = Number(process.hrtime.bigint() - t0);
  const accepted = engine.processorForTest().stats.accepted;
  if (accepted !== messages.length) throw new Error(`only ${accepted} of ${messages.length} applied`);
  return ns / messages.length;
}

const plain: number[] = [];
const authed: number[] = [];
for (let rep = 0; rep < 3; rep++) {
  plain.push(run(unsigned, false));
  authed.push(run(signed, true));
}
// Signed bar snapshots (docs/payload.md "Signed bar snapshots"): one 240-bar snapshot (the default a
// publisher sends) through FeedEngine.ingestBars with the chart open, unsigned vs signed + verified.
const SNAPSHOT_BARS = 240;
const SNAPSHOT_REPS = 300;
const barsTopicName = 'finance/AAPL/bars/1m';
const lastMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
const history: Bar[] = [];
for (let i = SNAPSHOT_BARS - 1; i >= 0; i--) {
  const p = 180 + (i % 37) / 10;
  history.push(new Bar(lastMinute - i * MINUTE_MS, p, p + 0.35, p - 0.27, p + 0.12, 12345 + i * 17, 0));
}
const snapshotText = encodeBarSnapshot(new BarSnapshot('AAPL', MINUTE_MS, now, history));
const snapshotPlain = toAb(Buffer.from(snapshotText));
const snapshotSigned = toAb(signer.sign(barsTopicName, snapshotText));

function runSnapshots(payload: ArrayBuffer, withAuth: boolean): number {
  const engine = new FeedEngine(new FeedEngineOptions(), new SystemClock(), new SystemTimers(), new Sink());
  if (withAuth) engine.setAuthenticator(new QuoteAuthenticator(new NodeSignatureVerifier(), [keyText], SignatureMode.REQUIRE));
  engine.setSymbols(['AAPL']);
  engine.setChartSymbol('AAPL');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SNAPSHOT_REPS; i++) engine.ingestBars(barsTopicName, payload, now);
  const ns = Number(process.hrtime.bigint() - t0);
  const stats = engine.flushNow().barSnapshots;
  if (stats === undefined || stats.applied !== SNAPSHOT_REPS) throw new Error(`snapshots: ${stats?.applied ?? 0} of ${SNAPSHOT_REPS} applied`);
  return ns / SNAPSHOT_REPS;
}

const snapPlain: number[] = [];
const snapSigned: number[] = [];
for (let rep = 0; rep < 3; rep++) {
  snapPlain.push(runSnapshots(snapshotPlain, false));
  snapSigned.push(runSnapshots(snapshotSigned, true));
}

const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
process.stdout.write(`RESULT ${JSON.stringify({
  mode: 'signatures', count, plainNsPerMsg: med(plain), signedNsPerMsg: med(authed), verifyNsPerMsg: med(authed) - med(plain),
  snapshotBars: SNAPSHOT_BARS, snapshotBytes: snapshotSigned.byteLength, snapshotPlainNs: med(snapPlain), snapshotSignedNs: med(snapSigned),
  snapshotVerifyNs: med(snapSigned) - med(snapPlain),
})}\n`);
