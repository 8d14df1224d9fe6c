// @each-double R8 (fast, aedes): TLS verification through the engine path, credential refusals and a
// URL with credentials, with every hilog line, status detail and event message scanned for the
// password. The mosquitto TLS run is r8-secrets-mosquitto.test.ts (@slow). Every other fault
// scenario runs a SecretWatch over its own engine too. Scenarios and checks: scenarios/r8-secrets.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';
import { runCredentialChecks, runTlsChecks } from './scenarios/r8-secrets';

after(() => {
  // every line the engine logged here printed what its format promises
  assert.deepEqual(hilog.mismatches, []);
});

test('R8: on a self-signed ssl:// aedes the engine stops with a TLS error by default, connects with the CA as caFile, and no secret shows anywhere', { timeout: 60000 }, async (t) => {
  const r = await runTlsChecks('aedes', 'qd-r8-tls');
  t.diagnostic(`R8 aedes TLS: ${JSON.stringify(r)}`);
});

test('R8: a wrong password ends in BAD_CREDENTIALS, a URL with user:password@ is refused, and the password never shows', { timeout: 30000 }, async (t) => {
  const r = await runCredentialChecks();
  t.diagnostic(`R8 credentials: ${JSON.stringify(r)}`);
});
