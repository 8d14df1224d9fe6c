// Signature verification cost per message (docs/payload.md "Signed quotes"): the same payloads
// through FeedEngine.ingest without and with the QuoteAuthenticator stage (Node's Ed25519 behind the
// SignatureVerifier port), plus the verifier call alone. Prints `RESULT {...}`.
import * as crypto from 'node:crypto';
import {
  ConnectionStatus, FeedEngine, FeedEngineOptions, QuoteAuthenticator, QuoteBatch, SignatureMode, SystemClock, SystemTimers
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
const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
process.stdout.write(`RESULT ${JSON.stringify({ mode: 'signatures', count, plainNsPerMsg: med(plain), signedNsPerMsg: med(authed), verifyNsPerMsg: med(authed) - med(plain) })}\n`);
