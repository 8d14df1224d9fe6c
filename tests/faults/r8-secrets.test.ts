// R8 (fast, aedes): TLS verification through the engine path, credential refusals and a URL with
// credentials, with every hilog line, status detail and event message scanned for the password.
// The mosquitto TLS run is r8-secrets-mosquitto.test.ts (@slow). Every other fault scenario runs a
// SecretWatch over its own engine too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionState, SessionErrorKind } from '@quotedeck/core';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';
import { EngineUnderTest } from '../../tools/faults/engine';
import { SecretWatch } from '../../tools/faults/secrets';
import { symbolNames } from '../../tools/faults/ticks';
import { selfSignedCert, startBroker, waitFor } from '../integration/helpers/mqtt-fixtures';
import { TLS_PASSWORD, runTlsChecks } from './scenarios/r8-secrets';

after(() => {
  // every line the engine logged here printed what its format promises
  assert.deepEqual(hilog.mismatches, []);
});

test('R8 ssl:// (aedes, self-signed): refused with a TLS error by default, connects with the CA as caFile; no secret anywhere', { timeout: 60000 }, async (t) => {
  const made = selfSignedCert();
  if ('skip' in made) {
    assert.fail(made.skip); // openssl is a CI dependency (.ci/run): a missing one must not pass silently
    return;
  }
  const broker = await startBroker({ tls: { key: made.key, cert: made.cert } });
  try {
    const r = await runTlsChecks('aedes', broker.url, broker.url.replace('ssl:', 'mqtts:'), made.cert, made.certFile, 'qd-r8-tls');
    t.diagnostic(`R8 aedes TLS: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
    made.cleanup();
  }
});

test('R8 credentials: a wrong password → BAD_CREDENTIALS, a URL with user:password@ → refused; the password never shows', { timeout: 30000 }, async (t) => {
  const watch = new SecretWatch([TLS_PASSWORD, 'wrong-pw-0d9e2f']).install();
  const broker = await startBroker({
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
    t.diagnostic(`R8 credentials: ${JSON.stringify({ wrong: wrong.store.status.detail, urlRefusal: inUrl.channel.failures[0], lines: watch.linesSeen, texts: watch.textsSeen })}`);
  } finally {
    for (const e of [wrong, inUrl, right]) await e.stop();
    watch.uninstall();
    await broker.close();
  }
});
