// R8 — secrets and TLS through the engine path (FeedClient → feed → OhosMqttTransport):
//  - an ssl:// broker with a self-signed certificate is refused by default (certificate verified):
//    ERROR with SessionErrorKind.TLS after one attempt, no retry storm; with its CA as caFile the
//    same engine connects and gets data;
//  - across every run here (and every other fault scenario, each of which runs a SecretWatch) no
//    password appears in any hilog line, ConnectionStatus detail or FeedEvent message.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { ConnectionState, SessionErrorKind } from '@quotedeck/core';
import { EngineUnderTest } from '../harness/engine';
import { SecretWatch } from '../harness/secrets';
import { TickBook, symbolNames } from '../harness/ticks';
import { Broker, BrokerKind, selfSignedCert, sleep, startAedes, startMosquitto, waitFor } from '../../../tools/testkit';

export const TLS_PASSWORD = 'pw-R8-tls-5b1e0c77-never-logged';

export interface TlsResult {
  broker: string;
  untrusted: { state: string; lastError: string; detail: string; attempts: number };
  trusted: { state: string; connectMs: number; dataOk: boolean };
  logLinesScanned: number;
  textsScanned: number;
}

/**
 * Starts an ssl:// broker of `kind` with a self-signed certificate made for the run (openssl is a CI
 * dependency: a missing one fails the scenario) and runs the TLS checks against it.
 */
export async function runTlsChecks(kind: BrokerKind, clientId: string): Promise<TlsResult> {
  const made = selfSignedCert();
  if ('skip' in made) assert.fail(made.skip);
  let broker: Broker | undefined;
  try {
    broker = kind === 'aedes' ? await startAedes({ tls: { key: made.key, cert: made.cert } })
      : await startMosquitto({ tls: { keyFile: made.keyFile, certFile: made.certFile } });
    return await tlsChecks(broker, made.cert, made.certFile, clientId);
  } finally {
    await broker?.close();
    made.cleanup();
  }
}

/** `broker` listens on ssl:// with the self-signed certificate `cert` (also in `certFile`). */
async function tlsChecks(broker: Broker, cert: Buffer, certFile: string, clientId: string): Promise<TlsResult> {
  const url = broker.url;
  const watch = new SecretWatch([TLS_PASSWORD]).install();
  const symbols = symbolNames(2);
  const untrusted = new EngineUnderTest({ url, clientId, symbols, userName: 'quotes', password: TLS_PASSWORD });
  const trusted = new EngineUnderTest({ url, clientId, symbols, userName: 'quotes', password: TLS_PASSWORD, caFile: certFile });
  try {
    // Default settings: the certificate is verified, the self-signed one is refused.
    assert.equal(untrusted.startConfig().connection.tls.verifyServerCertificate, true, 'verification is on by default');
    untrusted.start();
    await waitFor(() => untrusted.state() === ConnectionState.ERROR, 20000, 'the TLS refusal');
    await sleep(1500); // no retry follows
    const st = untrusted.store.status;
    assert.equal(st.lastError, SessionErrorKind.TLS, `a TLS error, not ${st.lastError}: ${st.detail}`);
    assert.match(st.detail, /ssl:\/\/127\.0\.0\.1:\d+/);
    assert.match(st.detail, /TLS/);
    assert.equal(untrusted.factory.attempts.length, 1, 'a TLS failure is not retried');
    assert.equal(st.nextAttemptAt, 0);
    await untrusted.stop();

    // The same broker, its CA configured: connects, and data flows.
    const t0 = Date.now();
    trusted.start();
    await waitFor(() => trusted.state() === ConnectionState.CONNECTED && trusted.factory.subscribes.some((s) => s.ok), 20000, 'the TLS connect with caFile');
    const connectMs = Date.now() - t0;
    const book = new TickBook(symbols);
    const pub = await mqtt.connectAsync(broker.mqttUrl, { ca: cert, clientId: `${clientId}-pub`, reconnectPeriod: 0, rejectUnauthorized: true });
    try {
      for (const s of symbols) {
        const tick = book.next(s);
        await pub.publishAsync(tick.topic, tick.payload, { qos: 1 });
      }
    } finally {
      await pub.endAsync();
    }
    await waitFor(() => symbols.every((s) => trusted.item(s).price === book.last(s)!.price), 10000, 'data over TLS');
    await trusted.stop();
    watch.scanTexts(untrusted.channel.texts, 'untrusted status/event');
    watch.scanTexts(trusted.channel.texts, 'trusted status/event');
    assert.deepEqual(watch.leaks, [], 'no secret in any log line, status or event');
    assert.ok(watch.linesSeen > 0, 'the adapter logged (and every line was scanned)');
    return {
      broker: broker.kind,
      untrusted: { state: st.state, lastError: st.lastError, detail: st.detail, attempts: untrusted.factory.attempts.length },
      trusted: { state: ConnectionState.CONNECTED, connectMs, dataOk: true },
      logLinesScanned: watch.linesSeen,
      textsScanned: watch.textsSeen,
    };
  } finally {
    await untrusted.stop();
    await trusted.stop();
    watch.uninstall();
  }
}

export interface CredentialsResult {
  wrong: string;
  urlRefusal: string;
  lines: number;
  texts: number;
}

/**
 * On an aedes that wants user "quotes" with TLS_PASSWORD: a wrong password ends in ERROR /
 * BAD_CREDENTIALS, a URL with user:password@ is refused before any connect, the right one connects;
 * the passwords never show.
 */
export async function runCredentialChecks(): Promise<CredentialsResult> {
  const watch = new SecretWatch([TLS_PASSWORD, 'wrong-pw-0d9e2f']).install();
  const broker = await startAedes({
    authenticate: (_c, user, pass, done) => {
      if (user === 'quotes' && pass?.toString('utf8') === TLS_PASSWORD) done(null, true);
      else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
    },
  });
  const symbols = symbolNames(2);
  const wrong = new EngineUnderTest({ url: broker.url, clientId: 'qd-r8-wrong', symbols, userName: 'quotes', password: 'wrong-pw-0d9e2f' });
  const inUrl = new EngineUnderTest({ url: broker.url.replace('tcp://', `tcp://quotes:${TLS_PASSWORD}@`), clientId: 'qd-r8-url', symbols, password: TLS_PASSWORD });
  const right = new EngineUnderTest({ url: broker.url, clientId: 'qd-r8-right', symbols, userName: 'quotes', password: TLS_PASSWORD });
  try {
    wrong.start();
    await waitFor(() => wrong.state() === ConnectionState.ERROR, 10000, 'the credentials refusal');
    assert.equal(wrong.store.status.lastError, SessionErrorKind.BAD_CREDENTIALS, wrong.store.status.detail);
    inUrl.start();
    await waitFor(() => inUrl.channel.failures.length > 0, 5000, 'the URL refusal');
    assert.equal(inUrl.store.status.state, ConnectionState.ERROR);
    right.start();
    await waitFor(() => right.state() === ConnectionState.CONNECTED, 10000, 'the right password connects');
    for (const e of [wrong, inUrl, right]) {
      await e.stop();
      watch.scanTexts(e.channel.texts, 'status/event');
    }
    assert.deepEqual(watch.leaks, []);
    return { wrong: wrong.store.status.detail, urlRefusal: inUrl.channel.failures[0], lines: watch.linesSeen, texts: watch.textsSeen };
  } finally {
    for (const e of [wrong, inUrl, right]) await e.stop();
    watch.uninstall();
    await broker.close();
  }
}
