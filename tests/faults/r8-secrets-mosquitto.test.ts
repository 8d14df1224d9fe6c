// @slow R8 against mosquitto with a TLS listener and a self-signed certificate: refused with a TLS
// error by default, connects with its CA as caFile; no secret in any log line, status or event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { selfSignedCert } from '../integration/helpers/mqtt-fixtures';
import { startMosquittoBroker } from './scenarios/brokers';
import { runTlsChecks } from './scenarios/r8-secrets';

test('R8 ssl:// (mosquitto, self-signed): TLS error by default, connects with caFile; no secret anywhere', { timeout: 90000 }, async (t) => {
  const made = selfSignedCert();
  if ('skip' in made) {
    assert.fail(made.skip);
    return;
  }
  const keyFile = path.join(path.dirname(made.certFile), 'key.pem');
  assert.ok(fs.existsSync(keyFile));
  const broker = await startMosquittoBroker({ tls: { keyFile, certFile: made.certFile } });
  try {
    const r = await runTlsChecks('mosquitto', broker.url, broker.mosquitto!.mqttUrl, made.cert, made.certFile, 'qd-r8-mtls');
    t.diagnostic(`R8 mosquitto TLS: ${JSON.stringify(r)}`);
  } finally {
    await broker.close();
    made.cleanup();
  }
});
