// @each-double The settings page's "Test connection" (ConnectionTester) through the app's real MQTT
// adapter (OhosMqttTransport over a Node double of '@ohos/mqtt') against an in-process aedes broker
// with an authenticate hook on 127.0.0.1. Checks the precise result kinds, that the test never
// disturbs the app's own session, and that the password shows up in no result and no hilog line.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';
import {
  BrokerUrlError, ConnectionTester, ConnectionTestResult, FeedSettings, SessionErrorKind, SettingsField,
  SystemClock, SystemTimers, TransportErrorKind
} from '@quotedeck/core';
import { OhosMqttTransportFactory } from '@quotedeck/platform';
import { AedesBroker, AedesBrokerOptions, freePort, selfSignedCert, sleep, startAedes } from '../../tools/testkit';

const PASSWORD = 'Pw-7c41e9-s3cr3t';
const APP_CLIENT_ID = 'quotedeck-k3x9q2ab';
const T = { timeout: 30000 };

const authenticate: AedesBrokerOptions['authenticate'] = (_c, username, password, done) => {
  if (username === 'viewer' && password?.toString() === PASSWORD) return done(null, true);
  if (username === 'blocked') return done(Object.assign(new Error('not authorized'), { returnCode: 5 }), false);
  done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
};

function settingsFor(url: string, userName = 'viewer'): FeedSettings {
  const s = new FeedSettings();
  s.brokerUrl = url;
  s.userName = userName;
  s.clientId = APP_CLIENT_ID;
  return s;
}

function tester(): ConnectionTester {
  return new ConnectionTester(new OhosMqttTransportFactory(), new SystemClock(), new SystemTimers());
}

const results: ConnectionTestResult[] = [];
async function run(settings: FeedSettings, password: string): Promise<ConnectionTestResult> {
  const r = await tester().test(settings, password);
  results.push(r);
  return r;
}

const firstLogLine = hilog.lines.length;
// A developer phone: hilog masks nothing, so the password must not even be handed to it.
hilog.privacyMode = false;

after(() => {
  // Over every test of this file: no result field and no hilog line holds the password, and every
  // line prints what its format promises.
  assert.ok(results.length >= 5);
  for (const r of results) {
    assert.equal(JSON.stringify(r).includes(PASSWORD), false, `password in result ${r.kind}`);
  }
  const lines = hilog.lines.slice(firstLogLine);
  assert.ok(lines.some((l) => l.includes('connection test')), 'the tester logs its results');
  for (const line of lines) {
    assert.equal(line.includes(PASSWORD), false, `password in hilog line: ${line}`);
    assert.equal(line.includes(encodeURIComponent(PASSWORD)), false);
  }
  assert.deepEqual(hilog.mismatches, []);
});

test('a test against a good broker makes one clean-session connect as "<clientId>-test", then a polite disconnect', T, async () => {
  const broker = await startAedes({ authenticate });
  try {
    const r = await run(settingsFor(broker.url), PASSWORD);
    assert.equal(r.ok, true, r.detail);
    assert.equal(r.kind, SessionErrorKind.NONE);
    assert.equal(r.clientId, `${APP_CLIENT_ID}-test`);
    assert.equal(r.url, broker.url);
    const seen = broker.connects().filter((c) => c.id === `${APP_CLIENT_ID}-test`);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].clean, true);
    await sleep(100);
    assert.equal(broker.aedes.connectedClients, 0, 'the test client is gone');
  } finally {
    await broker.close();
  }
});

test('the connection test does not take over the app\'s own session', T, async () => {
  const broker = await startAedes({ authenticate });
  const app = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    clientId: APP_CLIENT_ID, username: 'viewer', password: PASSWORD, clean: false, reconnectPeriod: 0,
  });
  let appClosed = false;
  app.on('close', () => {
    appClosed = true;
  });
  try {
    const r = await run(settingsFor(broker.url), PASSWORD);
    assert.equal(r.ok, true, r.detail);
    await sleep(200);
    assert.equal(appClosed, false, 'the app\'s connection survived the test');
    assert.equal(app.connected, true);
  } finally {
    await app.endAsync(true);
    await broker.close();
  }
});

test('a wrong password gives BAD_CREDENTIALS and a refused user NOT_AUTHORIZED', T, async () => {
  const broker = await startAedes({ authenticate });
  try {
    const bad = await run(settingsFor(broker.url), `${PASSWORD}-wrong`);
    assert.equal(bad.ok, false);
    assert.equal(bad.kind, SessionErrorKind.BAD_CREDENTIALS, bad.detail);
    assert.equal(bad.transportKind, TransportErrorKind.BAD_CREDENTIALS);
    assert.equal(bad.code, 4);
    assert.equal(bad.detail.includes(`${PASSWORD}-wrong`), false);
    const blocked = await run(settingsFor(broker.url, 'blocked'), PASSWORD);
    assert.equal(blocked.kind, SessionErrorKind.NOT_AUTHORIZED, blocked.detail);
    const anonymous = await run(settingsFor(broker.url, ''), '');
    assert.equal(anonymous.kind, SessionErrorKind.BAD_CREDENTIALS, anonymous.detail);
  } finally {
    await broker.close();
  }
});

test('a closed port gives UNREACHABLE quickly', T, async () => {
  const port = await freePort();
  const started = Date.now();
  const r = await run(settingsFor(`tcp://127.0.0.1:${port}`), PASSWORD);
  assert.equal(r.ok, false);
  assert.equal(r.kind, SessionErrorKind.UNREACHABLE, r.detail);
  assert.ok(Date.now() - started < 10000);
  assert.ok(r.detail.includes(`127.0.0.1:${port}`));
});

test('a bad URL gives BAD_URL with BrokerUrl\'s reason and attempts no connection', T, async () => {
  const r = await run(settingsFor('http://127.0.0.1:1883'), PASSWORD);
  assert.equal(r.kind, SessionErrorKind.BAD_URL);
  assert.equal(r.brokerUrlError, BrokerUrlError.UNSUPPORTED_SCHEME);
  assert.equal(r.field, SettingsField.BROKER_URL);
  const withCredentials = await run(settingsFor(`tcp://viewer:${PASSWORD}@127.0.0.1:1883`), PASSWORD);
  assert.equal(withCredentials.kind, SessionErrorKind.BAD_URL);
  assert.equal(withCredentials.brokerUrlError, BrokerUrlError.CREDENTIALS);
  assert.equal(withCredentials.detail.includes(PASSWORD), false);
});

test('an untrusted certificate gives TLS and the same one trusted through the CA file connects', T, async (t) => {
  const cert = selfSignedCert();
  if ('skip' in cert) {
    t.skip(cert.skip);
    return;
  }
  const broker: AedesBroker = await startAedes({ authenticate, tls: { key: cert.key, cert: cert.cert } });
  try {
    const untrusted = await run(settingsFor(broker.url), PASSWORD);
    assert.equal(untrusted.kind, SessionErrorKind.TLS, untrusted.detail);
    const s = settingsFor(broker.url);
    s.caFile = cert.certFile;
    const trusted = await run(s, PASSWORD);
    assert.equal(trusted.ok, true, trusted.detail);
  } finally {
    await broker.close();
    cert.cleanup();
  }
});
