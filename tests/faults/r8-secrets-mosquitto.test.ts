// @slow @each-double R8 against mosquitto with a TLS listener and a self-signed certificate: refused
// with a TLS error by default, connects with its CA as caFile; no secret in any log line, status or
// event. Scenario and checks: scenarios/r8-secrets.ts.
import { test } from 'node:test';
import { runTlsChecks } from './scenarios/r8-secrets';

test('R8: on a self-signed ssl:// mosquitto the engine stops with a TLS error by default, connects with the CA as caFile, and no secret shows anywhere', { timeout: 90000 }, async (t) => {
  const r = await runTlsChecks('mosquitto', 'qd-r8-mtls');
  t.diagnostic(`R8 mosquitto TLS: ${JSON.stringify(r)}`);
});
