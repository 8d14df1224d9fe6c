// The settings code's log lines (SettingsRepository, ConnectionTester) along every path that logs,
// with a secret store and a transport that fail with the password in their error messages (the
// key-value store never sees it), scanned with hilog's privacy mode off (a developer phone): the
// password must never be handed to hilog, whatever the format.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { hilog } from '../../tools/node/kits/@kit.PerformanceAnalysisKit';
import {
  ConnectionTester, FeedSettings, KeyValueStore, MemoryKeyValueStore, SecretStoreError, SettingsRepository,
  SystemClock, SystemTimers, TransportErrorKind, TransportResult
} from '@quotedeck/core';
import { FakeTransportFactory, MemorySecretStore, SeededRandom } from '@quotedeck/testing';

const PASSWORD = 'Pw-settings-41d7-s3cret';

hilog.privacyMode = false;
const firstLine = hilog.lines.length;

/** Fails every call, quoting what it was given. */
class FailingKeyValueStore implements KeyValueStore {
  get(key: string): Promise<string | undefined> {
    return Promise.reject(new Error(`preferences unreadable at "${key}"`));
  }
  put(key: string, value: string): Promise<void> {
    return Promise.reject(new Error(`cannot write ${key}=${value}`));
  }
  delete(_key: string): Promise<void> {
    return Promise.reject(new Error('cannot delete'));
  }
  flush(): Promise<void> {
    return Promise.reject(new Error('cannot flush'));
  }
}

/** Fails every call with an error that quotes the password (as a careless platform message could). */
function leakySecrets(): MemorySecretStore {
  const secrets = new MemorySecretStore();
  secrets.failWith = new SecretStoreError(24000001, `asset service failed for secret ${PASSWORD}`);
  return secrets;
}

function newLines(): string[] {
  return hilog.lines.slice(firstLine);
}

after(() => {
  const lines = newLines();
  assert.ok(lines.length >= 6, `the settings code logged (${lines.length} lines)`);
  for (const line of lines) {
    assert.equal(line.includes(PASSWORD), false, `password in hilog line: ${line}`);
    assert.equal(line.includes(encodeURIComponent(PASSWORD)), false);
  }
  assert.deepEqual(hilog.mismatches, []);
});

test('a repository over failing stores logs every failure without the password', async () => {
  const repo = new SettingsRepository(new FailingKeyValueStore(), leakySecrets(), new SeededRandom(3));
  await repo.load();
  assert.equal(await repo.password(), '');
  assert.equal((await repo.savePassword(PASSWORD)).ok, false);
  assert.equal((await repo.clearPassword()).ok, false);
  const s = new FeedSettings();
  s.clientId = 'quotedeck-logs1';
  const saved = await repo.save(s);
  assert.equal(saved.detail.includes(PASSWORD), false);
});

test('a saved password and a listener that throws are logged without the password', async () => {
  const repo = new SettingsRepository(new MemoryKeyValueStore(), new MemorySecretStore(), new SeededRandom(4));
  await repo.load();
  repo.addListener(() => {
    throw new Error('listener failed');
  });
  assert.equal((await repo.savePassword(PASSWORD)).ok, true);
  const s = new FeedSettings();
  s.clientId = 'quotedeck-logs2';
  s.userName = 'alice';
  assert.equal((await repo.save(s)).status, 'saved');
});

test('a connection test whose transport fails with the password in the message logs it redacted', async () => {
  const factory = new FakeTransportFactory();
  factory.connectResults = [TransportResult.failure(TransportErrorKind.BAD_CREDENTIALS, 4, `refused (password ${PASSWORD})`)];
  const tester = new ConnectionTester(factory, new SystemClock(), new SystemTimers());
  const s = new FeedSettings();
  s.brokerUrl = 'tcp://broker.test:1883';
  s.clientId = 'quotedeck-logs3';
  s.userName = 'alice';
  const r = await tester.test(s, PASSWORD);
  assert.equal(r.kind, 'badCredentials');
  assert.ok(newLines().some((l) => l.includes('connection test: failed')));
});
