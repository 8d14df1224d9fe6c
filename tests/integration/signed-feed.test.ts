// Signed quotes end to end (docs/payload.md "Signed quotes"): a signed publisher and an attacker
// publishing well-formed forgeries onto the same topics through a real broker (aedes on loopback);
// then key rotation and bad input through the engine with Node's Ed25519 behind the verifier port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import mqtt from 'mqtt';
import {
  AlertKind, AlertRule, ConnectionOptions, ConnectionState, FeedChannel, FeedEngine, FeedEngineOptions, FeedEvent,
  FeedEventKind, FeedStartConfig, InProcessFeedChannel, MathRandom, MemoryKeyValueStore, QuoteAuthenticator, QuoteBatch,
  QuoteCache, RejectReason, SignatureMode, SystemClock, SystemTimers, FeedCommand, ConnectionStatus
} from '@quotedeck/core';
import { OhosMqttTransportFactory, OhosSignatureVerifier } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { startAedes as startBroker, waitFor } from '../../tools/testkit';
import { keyIdOf, NodeSignatureVerifier, PayloadSigner, publicKeyText, rawOfPublicKey } from '../../tools/quotefeed/src/index';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

function newKey(): { signer: PayloadSigner; text: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { signer: new PayloadSigner(privateKey), text: publicKeyText(rawOfPublicKey(publicKey)) };
}

function payload(symbol: string, seq: number, price: number, ts: number): string {
  return JSON.stringify({ symbol, price, timestamp: ts, seq, prevClose: 100 });
}

/** Counts the alerts in every batch on their way to the FeedClient. */
class TapChannel implements FeedChannel {
  alerts = 0;
  failures: string[] = [];
  constructor(readonly inner: InProcessFeedChannel) {}
  send(command: FeedCommand): void { this.inner.send(command); }
  setReceiver(receiver: (event: FeedEvent) => void): void {
    this.inner.setReceiver((event: FeedEvent) => {
      if (event.batch !== undefined) this.alerts += event.batch.alerts.length;
      if (event.kind === FeedEventKind.FAILED) this.failures.push(event.message);
      receiver(event);
    });
  }
  close(): void { this.inner.close(); }
}

function alertAbove(symbol: string, level: number): AlertRule {
  const r = new AlertRule();
  r.id = `above-${symbol}`;
  r.symbol = symbol;
  r.kind = AlertKind.CROSSES_ABOVE;
  r.level = level;
  r.createdAt = Date.now();
  r.updatedAt = r.createdAt;
  return r;
}

test('signed feed + forgeries through aedes: final state is the signed feed, each forgery counted, no alert, cache clean', async () => {
  const broker = await startBroker();
  const owner = newKey();
  const attacker = newKey();
  const store = new QuoteStore();
  const kv = new MemoryKeyValueStore();
  const inner = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  inner.setSignatureVerifier(new OhosSignatureVerifier()); // the phone's adapter, over the kit double
  const channel = new TapChannel(inner);
  const client = new FeedClient(channel, store, new SystemClock(), new QuoteCache(kv, new SystemClock(), 0));
  const pub = mqtt.connect(broker.url.replace('tcp://', 'mqtt://'), { clientId: 'signed-pub', reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => { pub.once('connect', () => resolve()); pub.once('error', reject); });
  try {
    const config = new FeedStartConfig();
    config.connection = ConnectionOptions.forBroker(broker.url, 'quotedeck-signed');
    config.symbols = SYMBOLS.slice();
    config.flushIntervalMs = 50;
    config.trustedKeys = [owner.text];
    client.setAlertRules(SYMBOLS.map((s) => alertAbove(s, 1000)));
    client.start(config);
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 5000, 'engine connected');
    await new Promise((r) => setTimeout(r, 200));
    const now = Date.now();
    const last = new Map<string, number>();
    const signed = new Map<string, Buffer>(); // an early signed message per symbol, for the replays
    const sends: Array<[string, string | Buffer]> = [];
    for (let seq = 1; seq <= 50; seq++) {
      for (const s of SYMBOLS) {
        const topic = `finance/${s}/quotes`;
        const price = 100 + seq + SYMBOLS.indexOf(s);
        const body = owner.signer.sign(topic, payload(s, seq, price, now + seq));
        if (seq === 10) signed.set(s, body);
        last.set(s, price);
        sends.push([topic, body]);
      }
    }
    for (const [t, b] of sends) await pub.publishAsync(t, b, { qos: 1 });
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === last.get(s)), 10000, 'signed feed applied');
    // The attacker: prices far above the alert level, fresh seqs, on the real topics.
    const forge = (s: string, seq: number): string => payload(s, seq, 5000, now + seq);
    const forgeries: Array<[string, string | Buffer]> = [
      ['finance/AAPL/quotes', forge('AAPL', 100)], // UNSIGNED
      ['finance/MSFT/quotes', forge('MSFT', 100)], // UNSIGNED
      ['finance/AAPL/quotes', attacker.signer.sign('finance/AAPL/quotes', forge('AAPL', 101))], // UNKNOWN_KEY
      // The owner's valid MSFT signature replayed onto AAPL's topic: as it is (SYMBOL_MISMATCH) ...
      ['finance/AAPL/quotes', signed.get('MSFT')!],
      // ... and with the symbol edited to match the topic: the signature no longer verifies.
      ['finance/AAPL/quotes', Buffer.from(signed.get('MSFT')!.toString('utf8').replace('"MSFT"', '"AAPL"'))],
      // Signed by the owner for another prefix (a test feed), replayed onto the live topic.
      ['finance/NVDA/quotes', owner.signer.sign('staging/NVDA/quotes', forge('NVDA', 102))],
      // A valid signature over a tampered price.
      ['finance/NVDA/quotes', Buffer.from(owner.signer.sign('finance/NVDA/quotes', payload('NVDA', 103, 150, now + 103)).toString('utf8').replace('"price":150', '"price":5000'))],
      // An old signed quote replayed with its original seq: a duplicate.
      ['finance/AAPL/quotes', signed.get('AAPL')!],
    ];
    for (const [t, b] of forgeries) await pub.publishAsync(t, b, { qos: 1 });
    await waitFor(() => store.stats.rejected >= 7 && store.stats.duplicates >= 1, 5000, 'forgeries counted');
    await new Promise((r) => setTimeout(r, 300));
    const stats = store.stats;
    assert.equal(stats.rejectedByReason[RejectReason.UNSIGNED], 2);
    assert.equal(stats.rejectedByReason[RejectReason.UNKNOWN_KEY], 1);
    assert.equal(stats.rejectedByReason[RejectReason.SYMBOL_MISMATCH], 1);
    assert.equal(stats.rejectedByReason[RejectReason.BAD_SIGNATURE], 3);
    assert.equal(stats.rejected, 7);
    assert.equal(stats.duplicates, 1);
    assert.equal(stats.accepted, 150);
    for (const s of SYMBOLS) {
      assert.equal(store.item(s)!.price, last.get(s), `${s}: the signed feed's last price`);
      assert.equal(store.item(s)!.ticks, 50, `${s}: only signed ticks applied`);
    }
    assert.equal(channel.alerts, 0, 'no alert fired from a forgery');
    await client.stop(); // saves the cache one last time
    const cached = await new QuoteCache(kv, new SystemClock()).load();
    assert.equal(cached.length, SYMBOLS.length);
    for (const c of cached) assert.equal(c.price, last.get(c.symbol), `${c.symbol}: cached price is the signed one`);
    assert.deepEqual(channel.failures, []);
  } finally {
    await client.stop();
    await pub.endAsync();
    await broker.close();
  }
});

class NullSink {
  batches: QuoteBatch[] = [];
  onBatch(batch: QuoteBatch): void { this.batches.push(batch); }
  onStatus(_status: ConnectionStatus): void {}
}

function engineTrusting(keys: string[], mode: SignatureMode): FeedEngine {
  const engine = new FeedEngine(new FeedEngineOptions(), new SystemClock(), new SystemTimers(), new NullSink());
  engine.setAuthenticator(new QuoteAuthenticator(new NodeSignatureVerifier(), keys, mode));
  engine.setSymbols(['AAPL']);
  return engine;
}

function bytes(b: string | Buffer): ArrayBuffer {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
}

test('key rotation: both keys trusted during the switch, then the old key is refused', async () => {
  const oldKey = newKey();
  const newer = newKey();
  const topic = 'finance/AAPL/quotes';
  const now = Date.now();
  const both = engineTrusting([oldKey.text, newer.text], SignatureMode.REQUIRE);
  assert.equal(both.ingest(topic, bytes(oldKey.signer.sign(topic, payload('AAPL', 1, 101, now))), now), 0);
  assert.equal(both.ingest(topic, bytes(newer.signer.sign(topic, payload('AAPL', 2, 102, now + 1))), now), 0);
  assert.equal(both.processorForTest().stats.accepted, 2);
  await both.stop();
  const onlyNew = engineTrusting([newer.text], SignatureMode.REQUIRE);
  onlyNew.ingest(topic, bytes(oldKey.signer.sign(topic, payload('AAPL', 3, 103, now + 2))), now);
  onlyNew.ingest(topic, bytes(newer.signer.sign(topic, payload('AAPL', 4, 104, now + 3))), now);
  const stats = onlyNew.processorForTest().stats;
  assert.equal(stats.rejectedByReason[RejectReason.UNKNOWN_KEY], 1);
  assert.equal(stats.accepted, 1);
  await onlyNew.stop();
});

test('bad input: malformed keys are clear errors; truncated and huge signatures are counted, no crash', async () => {
  const key = newKey();
  assert.throws(() => engineTrusting(['qdk1-ed25519:abc'], SignatureMode.REQUIRE), /trusted key 1: .*32 bytes/);
  assert.throws(() => engineTrusting([key.text, 'ssh-ed25519 AAAA'], SignatureMode.REQUIRE), /trusted key 2: .*starts with qdk1-ed25519:/);
  assert.throws(() => engineTrusting([key.text + '!'], SignatureMode.REQUIRE), /base64url/);
  const topic = 'finance/AAPL/quotes';
  const now = Date.now();
  const engine = engineTrusting([key.text], SignatureMode.REQUIRE);
  const good = key.signer.sign(topic, payload('AAPL', 1, 101, now)).toString('utf8');
  const truncated = good.replace(/"sig":"([^"]*)"/, (_m, sig: string) => `"sig":"${sig.substring(0, 40)}"`);
  const huge = good.replace(/"sig":"([^"]*)"/, () => `"sig":"${'A'.repeat(3000)}"`);
  const tooLarge = good.replace(/"sig":"([^"]*)"/, () => `"sig":"${'A'.repeat(5000)}"`);
  const badKid = good.replace(/"kid":"[0-9a-f]{16}"/, '"kid":"ZZZZZZZZZZZZZZZZ"');
  const sigNotLast = good.replace(/,"kid":("[^"]*"),"sig":("[^"]*")\}$/, ',"sig":$2,"kid":$1}');
  for (const p of [truncated, huge, badKid, sigNotLast]) engine.ingest(topic, bytes(p), now);
  engine.ingest(topic, bytes(tooLarge), now);
  const stats = engine.processorForTest().stats;
  assert.equal(stats.rejectedByReason[RejectReason.BAD_SIGNATURE], 4);
  assert.equal(stats.rejectedByReason[RejectReason.TOO_LARGE], 1);
  assert.equal(stats.accepted, 0);
  engine.ingest(topic, bytes(good), now);
  assert.equal(engine.processorForTest().stats.accepted, 1, 'the genuine quote still applies afterwards');
  await engine.stop();
  // Accept-unsigned mode: unsigned quotes apply, signed ones must still verify.
  const lenient = engineTrusting([key.text], SignatureMode.ACCEPT_UNSIGNED);
  lenient.ingest(topic, bytes(payload('AAPL', 1, 101, now)), now);
  lenient.ingest(topic, bytes(truncated), now);
  assert.equal(lenient.processorForTest().stats.accepted, 1);
  assert.equal(lenient.processorForTest().stats.rejectedByReason[RejectReason.BAD_SIGNATURE], 1);
  await lenient.stop();
});

test('OhosSignatureVerifier over the CryptoArchitectureKit double agrees with Node: key ids, valid, forged, malformed', async () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = rawOfPublicKey(publicKey);
  const verifier = new OhosSignatureVerifier();
  const id = verifier.addKey(raw);
  assert.equal(id, keyIdOf(raw), 'key id = first 8 bytes of SHA-256(raw key), as the publisher computes it');
  const message = new Uint8Array(Buffer.from('quotedeck-sig-v1\nfinance/AAPL/quotes\n{"symbol":"AAPL"}'));
  const signature = new Uint8Array(crypto.sign(null, message, privateKey));
  assert.equal(verifier.verify(id, message, signature), true);
  const tampered = message.slice();
  tampered[tampered.length - 3] ^= 1;
  assert.equal(verifier.verify(id, tampered, signature), false);
  assert.equal(verifier.verify(id, message, signature.subarray(0, 40)), false, 'a short signature is false, not a throw');
  assert.equal(verifier.verify('0000000000000000', message, signature), false);
  assert.throws(() => verifier.addKey(new Uint8Array(31)), /32 bytes/);
  // 32 bytes that are not a point on the curve: the platform (and the double) refuse the key.
  const notAPoint = new Uint8Array(32).fill(0xff);
  let refused = false;
  try {
    verifier.addKey(notAPoint);
  } catch (e) {
    refused = /refused/.test((e as Error).message);
  }
  // Node's SPKI import accepts some non-canonical encodings; either way nothing verifies under it.
  if (!refused) assert.equal(verifier.verify(keyIdOf(notAPoint), message, signature), false);
  verifier.clearKeys();
  assert.equal(verifier.hasKey(id), false);
});
