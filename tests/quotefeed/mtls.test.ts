// quotefeed and client certificates (mutual TLS), through the real CLI: `publish` and `watch` with
// --ca/--cert/--key against Debian mosquitto with `require_certificate true`, and `quotefeed broker
// --tls-port … --require-client-cert` refusing a client without a certificate. Certificates are made
// by openssl in the test (tools/testkit makeTestPki).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestPki, Mosquitto, startMutualTlsMosquitto, TestPki, waitFor } from '../../tools/testkit';
import { lines, runCli, startCli } from './helpers';

let pki: TestPki;
let mosquitto: Mosquitto;

before(async () => {
  pki = makeTestPki();
  mosquitto = await startMutualTlsMosquitto(pki);
});

after(async () => {
  await mosquitto?.close();
  pki?.cleanup();
});

test('publish --cert/--key reaches a broker that requires a client certificate, and without them it exits 3 saying so', { timeout: 30_000 }, async () => {
  const ok = await runCli(['publish', '--broker', mosquitto.url, '--ca', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientKeyFile,
    '--symbols', 'AAPL', '--count', '10', '--rate', '1000', '--qos', '1']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /published 10 quotes/);
  const without = await runCli(['publish', '--broker', mosquitto.url, '--ca', pki.caFile, '--symbols', 'AAPL', '--count', '1']);
  assert.equal(without.code, 3, without.stderr);
  assert.match(without.stderr, /requires a client certificate \(--cert\/--key\)/);
});

test('watch --cert/--key runs the app\'s engine over mutual TLS and --key without --cert is a usage error', { timeout: 30_000 }, async () => {
  const pub = runCli(['publish', '--broker', mosquitto.url, '--ca', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientKeyFile,
    '--symbols', 'MSFT', '--count', '5', '--rate', '100', '--qos', '1']);
  assert.equal((await pub).code, 0);
  const watch = await runCli(['watch', '--broker', mosquitto.url, '--ca', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientKeyFile,
    '--symbols', 'MSFT', '--json', '--duration', '3']);
  assert.equal(watch.code, 0, watch.stderr);
  assert.match(watch.stdout, /MSFT/);
  const usage = await runCli(['watch', '--broker', mosquitto.url, '--key', pki.clientKeyFile]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--key needs --cert/);
  const plain = await runCli(['publish', '--broker', 'tcp://127.0.0.1:1', '--cert', pki.clientCertFile, '--count', '1']);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /--cert needs a TLS broker URL/);
});

test('quotefeed broker --require-client-cert refuses a client without a certificate and accepts one from --tls-ca', { timeout: 30_000 }, async () => {
  const b = startCli(['broker', '--port', '0', '--tls-port', '0', '--tls-cert', pki.serverCertFile, '--tls-key', pki.serverKeyFile,
    '--tls-ca', pki.caFile, '--require-client-cert']);
  let stdout = '';
  b.child.stdout!.on('data', (d) => (stdout += d));
  try {
    await waitFor(() => /mqtts:\/\/127\.0\.0\.1:\d+\n/.test(stdout), 15_000, 'broker URLs');
    const tlsUrl = lines(stdout).find((l) => l.startsWith('mqtts://'))!;
    const refused = await runCli(['publish', '--broker', tlsUrl, '--ca', pki.caFile, '--symbols', 'AAPL', '--count', '1']);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /requires a client certificate/);
    const other = await runCli(['publish', '--broker', tlsUrl, '--ca', pki.caFile, '--cert', pki.otherCaCertFile, '--key', pki.otherCaKeyFile,
      '--symbols', 'AAPL', '--count', '1']);
    assert.equal(other.code, 3, other.stderr);
    const ok = await runCli(['publish', '--broker', tlsUrl, '--ca', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientKeyFile,
      '--symbols', 'AAPL', '--count', '5', '--rate', '1000']);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    b.child.kill('SIGINT');
    const res = await b.done;
    assert.equal(res.code, 0, res.stderr);
  }
});

test('an encrypted --key needs its password: without one a usage error, with it publish and watch connect, a wrong one is named before connecting; the password is never printed', { timeout: 60_000 }, async () => {
  const secret = pki.clientKeyPassword;
  const base = ['--broker', mosquitto.url, '--ca', pki.caFile, '--cert', pki.clientCertFile, '--key', pki.clientEncryptedKeyFile];
  const missing = await runCli(['publish', ...base, '--symbols', 'AAPL', '--count', '1']);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /is encrypted: give its password with --key-password or QUOTEFEED_KEY_PASSWORD/);
  const ok = await runCli(['publish', ...base, '--key-password', secret, '--symbols', 'AAPL', '--count', '10', '--rate', '1000', '--qos', '1']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /published 10 quotes/);
  const fromEnv = await runCli(['watch', ...base, '--symbols', 'AAPL', '--json', '--duration', '2'], { env: { QUOTEFEED_KEY_PASSWORD: secret } });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.match(fromEnv.stdout, /AAPL/);
  const wrong = await runCli(['publish', ...base, '--key-password', 'not-the-password', '--symbols', 'AAPL', '--count', '1']);
  assert.equal(wrong.code, 2, wrong.stderr);
  assert.match(wrong.stderr, /--key-password does not decrypt the key in /);
  const wrongWatch = await runCli(['watch', ...base, '--symbols', 'AAPL', '--json', '--duration', '2'], { env: { QUOTEFEED_KEY_PASSWORD: 'not-the-password' } });
  assert.equal(wrongWatch.code, 2, wrongWatch.stderr);
  assert.match(wrongWatch.stderr, /--key-password does not decrypt/);
  for (const r of [missing, ok, fromEnv, wrong, wrongWatch]) {
    assert.ok(!(r.stdout + r.stderr).includes(secret), 'the key password is printed');
    assert.ok(!(r.stdout + r.stderr).includes('not-the-password'), 'a key password is printed');
  }
});
