// `--mqtt-version 3.1.1|5` (issue 13) on the commands that connect: the version reaches the broker
// (mosquitto logs each client's protocol level), watch runs the app's engine over MQTT 5, and a
// version quotefeed does not offer is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMosquitto, startMosquitto, waitFor } from '../../tools/testkit';
import { lines, runCli } from './helpers';

test('publish and watch connect with the chosen MQTT version; another version is a usage error', { timeout: 60_000 }, async (t) => {
  const bad = await runCli(['publish', '--broker', 'mqtt://127.0.0.1:1', '--mqtt-version', '3.1', '--count', '1']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(lines(bad.stderr)[0], /--mqtt-version must be one of 3\.1\.1, 5/);
  if (findMosquitto() === undefined && !process.env.CI) {
    t.skip('mosquitto is not installed');
    return;
  }
  const m = await startMosquitto();
  try {
    const pub5 = await runCli(['publish', '--broker', m.mqttUrl, '--mqtt-version', '5', '--client-id', 'qf-pub-v5', '--count', '3', '--quiet']);
    assert.equal(pub5.code, 0, pub5.stderr);
    const pub311 = await runCli(['publish', '--broker', m.mqttUrl, '--mqtt-version', '3.1.1', '--client-id', 'qf-pub-v4', '--count', '1', '--quiet']);
    assert.equal(pub311.code, 0, pub311.stderr);
    const watch5 = await runCli(['watch', '--broker', m.mqttUrl, '--mqtt-version', '5', '--client-id', 'qf-watch-v5', '--duration', '1', '--json'],
      { timeoutMs: 20_000 });
    assert.equal(watch5.code, 0, watch5.stderr);
    const watchAuto = await runCli(['watch', '--broker', m.mqttUrl, '--client-id', 'qf-watch-auto', '--duration', '0.5', '--json'],
      { timeoutMs: 20_000 });
    assert.equal(watchAuto.code, 0, watchAuto.stderr);
    await waitFor(() => m.connects().length >= 4, 3000, 'four clients in mosquitto\'s log');
    const level = (id: string): number | undefined => m.connects().find((c) => c.id === id)?.version;
    assert.equal(level('qf-pub-v5'), 5);
    assert.equal(level('qf-pub-v4'), 4);
    assert.equal(level('qf-watch-v5'), 5, 'watch runs the app\'s adapter with MQTTVersion 5');
    assert.equal(level('qf-watch-auto'), 4, 'watch without the option: the app\'s Auto, 3.1.1 first');
  } finally {
    await m.close();
  }
});
