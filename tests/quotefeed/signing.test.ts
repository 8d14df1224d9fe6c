// quotefeed keygen / --sign / watch --trust through the CLI, on a loopback broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from '../../tools/quotefeed/src/index';
import { waitFor } from '../../tools/testkit';
import { runCli, startCli } from './helpers';

test('keygen writes a 0600 private key it never prints, FILE.pub with the key line, and never overwrites', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-keygen-'));
  try {
    const r = await runCli(['keygen', '--out', 'pub.key'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const priv = path.join(dir, 'pub.key');
    assert.equal(fs.statSync(priv).mode & 0o777, 0o600);
    const pem = fs.readFileSync(priv, 'utf8');
    const secretLine = pem.split('\n')[1];
    assert.ok(!r.stdout.includes(secretLine) && !r.stderr.includes(secretLine), 'the private key is never printed');
    const pub = fs.readFileSync(`${priv}.pub`, 'utf8').trim();
    assert.match(pub, /^qdk1-ed25519:[A-Za-z0-9_-]{43}$/);
    assert.ok(r.stdout.includes(pub), 'the key line to paste is printed');
    const again = await runCli(['keygen', '--out', 'pub.key'], { cwd: dir });
    assert.equal(again.code, 2);
    assert.equal(fs.readFileSync(priv, 'utf8'), pem);
    const badTrust = await runCli(['watch', '--broker', 'mqtt://127.0.0.1:1', '--trust', 'pub.key', '--json'], { cwd: dir });
    assert.equal(badTrust.code, 2, 'a private key given to --trust is refused');
    assert.match(badTrust.stderr, /starts with qdk1-ed25519:/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('publish --sign, watch --trust: signed quotes applied, unsigned and other-key quotes counted by reason in --json', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-sign-'));
  const broker = await startBroker({ port: 0 });
  try {
    assert.equal((await runCli(['keygen', '--out', 'a.key'], { cwd: dir })).code, 0);
    assert.equal((await runCli(['keygen', '--out', 'b.key'], { cwd: dir })).code, 0);
    const watch = startCli(['watch', '--broker', broker.url, '--symbols', 'AAPL,MSFT', '--trust', 'a.key.pub', '--json', '--duration', '6'], { cwd: dir, timeoutMs: 30_000 });
    await waitFor(() => watch.stderrLines().some((l) => l.includes('connected')), 10_000, 'watch connected');
    const common = ['publish', '--broker', broker.url, '--symbols', 'AAPL,MSFT', '--rate', '200', '--no-retain', '--quiet'];
    assert.equal((await runCli([...common, '--count', '20', '--sign', 'a.key'], { cwd: dir })).code, 0);
    assert.equal((await runCli([...common, '--count', '6'], { cwd: dir })).code, 0);
    assert.equal((await runCli([...common, '--count', '4', '--sign', 'b.key'], { cwd: dir })).code, 0);
    const r = await watch.done;
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.stats.rejectedByReason.UNSIGNED, 6);
    assert.equal(out.stats.rejectedByReason.UNKNOWN_KEY, 4);
    assert.equal(out.stats.rejectedByReason.BAD_SIGNATURE, 0);
    assert.equal(out.stats.accepted, 20);
  } finally {
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
