// @each-double Client certificates (mutual TLS) end to end: Debian mosquitto with
// `require_certificate true` on loopback, certificates made by openssl in the test (a CA, a server
// and a client certificate, an expired client certificate, one from another CA, encrypted keys in
// PKCS#8 and OpenSSL's legacy format, a DER file), the app's adapter (OhosMqttTransport over the @ohos/mqtt double this pass runs on).
// Checks that the engine streams a QoS 1 feed into the store exactly over mutual TLS, that each
// refusal gets its own kind in "Test connection" (ConnectionTester) and in the feed's status, and
// that the key password shows up in no result, status or hilog line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import mqtt from 'mqtt';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';
import {
  ConnectionState, ConnectionTester, ConnectionTestResult, FeedSettings, InProcessFeedChannel, MathRandom,
  SessionErrorKind, SystemClock, SystemTimers, TransportErrorKind, feedStartConfig
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { FeedClient, QuoteStore } from '@quotedeck/ui';
import { Mosquitto, TestPki, makeTestPki, sleep, startMutualTlsMosquitto, waitFor } from '../../tools/testkit';

const T = { timeout: 60000 };
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', '0700.HK', 'BTC-USD'];
const WRONG_PASSWORD = 'Wrong-k3y-pw-81f2';

let pki: TestPki;
let broker: Mosquitto;
const results: ConnectionTestResult[] = [];
const firstLogLine = hilog.lines.length;
hilog.privacyMode = false;

before(async () => {
  pki = makeTestPki();
  broker = await startMutualTlsMosquitto(pki);
});

after(async () => {
  await broker?.close();
  pki?.cleanup();
  // over every test: neither password of the key shows up in a result or a hilog line
  for (const r of results) {
    const text = JSON.stringify(r);
    assert.equal(text.includes(pki.clientKeyPassword), false, `key password in result ${r.kind}`);
    assert.equal(text.includes(WRONG_PASSWORD), false, `key password in result ${r.kind}`);
  }
  for (const line of hilog.lines.slice(firstLogLine)) {
    assert.equal(line.includes(pki.clientKeyPassword), false, `key password in hilog line: ${line}`);
    assert.equal(line.includes(WRONG_PASSWORD), false, `key password in hilog line: ${line}`);
  }
  assert.deepEqual(hilog.mismatches, []);
});

function settings(cert = '', key = ''): FeedSettings {
  const s = new FeedSettings();
  s.brokerUrl = broker.url;
  s.clientId = 'quotedeck-mtls-app';
  s.caFile = pki.caFile;
  s.clientCertFile = cert;
  s.clientKeyFile = key;
  return s;
}

/** How many connections mosquitto has seen so far. */
function brokerConnections(): number {
  return broker.log().filter((l) => l.includes('New connection')).length;
}

async function testConnection(s: FeedSettings, keyPassword = ''): Promise<ConnectionTestResult> {
  const r = await new ConnectionTester(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers())
    .test(s, '', keyPassword);
  results.push(r);
  return r;
}

function engine(s: FeedSettings, keyPassword = ''): { store: QuoteStore; client: FeedClient } {
  const store = new QuoteStore();
  const channel = new InProcessFeedChannel(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers(), new MathRandom());
  const client = new FeedClient(channel, store, new SystemClock());
  const config = feedStartConfig(s, '', SYMBOLS, keyPassword);
  config.flushIntervalMs = 100;
  client.start(config);
  return { store, client };
}

async function publisher(): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(broker.mqttUrl.replace('mqtt://', 'mqtts://'), {
    clientId: `mtls-pub-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 0,
    ca: fs.readFileSync(pki.caFile), cert: fs.readFileSync(pki.clientCertFile), key: fs.readFileSync(pki.clientKeyFile),
  });
}

test('mutual TLS: the engine connects with its client certificate and streams a QoS 1 feed into the store exactly', T, async () => {
  assert.match(broker.url, /^ssl:\/\//);
  const { store, client } = engine(settings(pki.clientCertFile, pki.clientKeyFile));
  const pub = await publisher();
  try {
    await waitFor(() => store.status.state === ConnectionState.CONNECTED, 10000, 'engine connected over mutual TLS');
    await sleep(300); // the subscription follows the CONNACK
    const last = new Map<string, number>();
    const sends: Array<Promise<unknown>> = [];
    const now = Date.now();
    for (let seq = 1; seq <= 200; seq++) {
      for (const symbol of SYMBOLS) {
        const price = 100 + seq / 100 + SYMBOLS.indexOf(symbol);
        last.set(symbol, price);
        const payload = JSON.stringify({ symbol, price, timestamp: now + seq, seq, volume: seq * 100, prevClose: 100 });
        sends.push(pub.publishAsync(`finance/${symbol}/quotes`, payload, { qos: 1 }));
      }
    }
    await Promise.all(sends);
    await waitFor(() => SYMBOLS.every((s) => store.item(s)?.price === last.get(s)), 15000, 'final prices');
    await sleep(300);
    for (const symbol of SYMBOLS) {
      const item = store.item(symbol)!;
      assert.equal(item.price, last.get(symbol), `${symbol} final price`);
      assert.equal(item.ticks, 200, `${symbol}: each tick applied once`);
      assert.equal(item.gaps, 0, `${symbol}: nothing lost`);
    }
    assert.equal(store.stats.accepted, 1000);
    assert.equal(store.lostBatches, 0);
    assert.ok(broker.log().some((l) => l.includes('as quotedeck-mtls-app')), 'mosquitto saw the app over its TLS listener');
  } finally {
    await client.stop();
    await pub.endAsync();
  }
});

test('an encrypted key with its password connects, and "Test connection" says so', T, async () => {
  const r = await testConnection(settings(pki.clientCertFile, pki.clientEncryptedKeyFile), pki.clientKeyPassword);
  assert.equal(r.ok, true, r.detail);
});

test('without a client certificate the broker\'s refusal gives CLIENT_CERT_REQUIRED, in the test and in the feed\'s status', T, async () => {
  const r = await testConnection(settings());
  assert.equal(r.transportKind, TransportErrorKind.CLIENT_CERT_REQUIRED, r.detail);
  assert.equal(r.kind, SessionErrorKind.CLIENT_CERT_REQUIRED);
  // the detail says what the probes found, whichever message paho gave
  assert.match(r.detail, /: the broker refused the TLS session: it requires a client certificate/);
  const { store, client } = engine(settings());
  try {
    await waitFor(() => store.status.state === ConnectionState.ERROR, 20000, 'the feed stops with an error');
    assert.equal(store.status.lastError, SessionErrorKind.CLIENT_CERT_REQUIRED, store.status.detail);
    assert.match(store.status.detail, /it requires a client certificate/);
  } finally {
    await client.stop();
  }
});

test('an expired client certificate gives CLIENT_CERT_EXPIRED before any connect', T, async () => {
  const connectsBefore = brokerConnections();
  const r = await testConnection(settings(pki.expiredCertFile, pki.clientKeyFile));
  assert.equal(r.kind, SessionErrorKind.CLIENT_CERT_EXPIRED, r.detail);
  assert.match(r.detail, /expired on \d{4}-/);
  await sleep(200);
  assert.equal(brokerConnections(), connectsBefore, 'nothing reached the broker');
});

test('a client certificate from a CA the broker does not trust gives CLIENT_CERT_UNTRUSTED', T, async () => {
  const r = await testConnection(settings(pki.otherCaCertFile, pki.otherCaKeyFile));
  assert.equal(r.kind, SessionErrorKind.CLIENT_CERT_UNTRUSTED, r.detail);
  const { store, client } = engine(settings(pki.otherCaCertFile, pki.otherCaKeyFile));
  try {
    await waitFor(() => store.status.state === ConnectionState.ERROR, 20000, 'the feed stops with an error');
    assert.equal(store.status.lastError, SessionErrorKind.CLIENT_CERT_UNTRUSTED, store.status.detail);
    assert.match(store.status.detail, /it does not accept the client certificate/);
  } finally {
    await client.stop();
  }
});

test('a key that is not the certificate\'s gives CLIENT_KEY_MISMATCH', T, async () => {
  const r = await testConnection(settings(pki.clientCertFile, pki.otherCaKeyFile));
  assert.equal(r.kind, SessionErrorKind.CLIENT_KEY_MISMATCH, r.detail);
});

test('an encrypted key with a wrong password, or none, gives CLIENT_KEY_PASSWORD before any connect', T, async () => {
  const before = brokerConnections();
  const wrong = await testConnection(settings(pki.clientCertFile, pki.clientEncryptedKeyFile), WRONG_PASSWORD);
  assert.equal(wrong.kind, SessionErrorKind.CLIENT_KEY_PASSWORD, wrong.detail);
  assert.match(wrong.detail, /the password does not decrypt the private key/);
  const legacy = await testConnection(settings(pki.clientCertFile, pki.clientLegacyEncryptedKeyFile), WRONG_PASSWORD);
  assert.equal(legacy.kind, SessionErrorKind.CLIENT_KEY_PASSWORD, legacy.detail);
  await sleep(200);
  assert.equal(brokerConnections(), before, 'a wrong password is found locally: nothing reached the broker');
  // without a password the library would make OpenSSL ask on the terminal: refused before it
  const none = await testConnection(settings(pki.clientCertFile, pki.clientEncryptedKeyFile));
  assert.equal(none.kind, SessionErrorKind.CLIENT_KEY_PASSWORD, none.detail);
  assert.match(none.detail, /encrypted/);
});

test('an encrypted key is decrypted locally with its password: OpenSSL\'s legacy format connects, a key of another certificate is CLIENT_KEY_MISMATCH', T, async () => {
  const legacy = await testConnection(settings(pki.clientCertFile, pki.clientLegacyEncryptedKeyFile), pki.clientKeyPassword);
  assert.equal(legacy.ok, true, legacy.detail);
  await sleep(200); // the broker's log of that connection has arrived
  const before = brokerConnections();
  const mismatch = await testConnection(settings(pki.clientCertFile, pki.otherCaEncryptedKeyFile), pki.clientKeyPassword);
  assert.equal(mismatch.kind, SessionErrorKind.CLIENT_KEY_MISMATCH, mismatch.detail);
  await sleep(200);
  assert.equal(brokerConnections(), before, 'the mismatch is found locally');
});

test('with a verified key password, a broker refusing the certificate is CLIENT_CERT_UNTRUSTED, not the password', T, async () => {
  const r = await testConnection(settings(pki.otherCaCertFile, pki.otherCaEncryptedKeyFile), pki.clientKeyPassword);
  assert.equal(r.kind, SessionErrorKind.CLIENT_CERT_UNTRUSTED, r.detail);
  assert.match(r.detail, /it does not accept the client certificate/);
});

test('a certificate or key file that is not PEM gives NOT_PEM', T, async () => {
  const der = await testConnection(settings(pki.derCertFile, pki.clientKeyFile));
  assert.equal(der.kind, SessionErrorKind.NOT_PEM, der.detail);
  const textKey = await testConnection(settings(pki.clientCertFile, pki.caFile));
  assert.equal(textKey.kind, SessionErrorKind.NOT_PEM, textKey.detail);
  const missing = await testConnection(settings(`${pki.dir}/missing.pem`, pki.clientKeyFile));
  assert.equal(missing.kind, SessionErrorKind.NOT_PEM, missing.detail);
});
