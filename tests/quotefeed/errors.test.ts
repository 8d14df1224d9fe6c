// Error paths of the real CLI: one line on stderr, the documented exit code, no secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBroker } from '../../tools/quotefeed/src/index';
import { freePort, silentServer } from '../../tools/testkit';
import { FIXTURES, runCli, lines, tempDir } from './helpers';

function oneLine(stderr: string): string {
  const ls = lines(stderr);
  assert.equal(ls.length, 1, `expected one line on stderr, got:\n${stderr}`);
  return ls[0];
}

test('bad broker URLs exit 2 with one line', { timeout: 30_000 }, async () => {
  for (const url of ['http://127.0.0.1:1883', 'mqtt://127.0.0.1:70000', 'mqtt://', '127.0.0.1:1883']) {
    const r = await runCli(['publish', '--broker', url, '--count', '1']);
    assert.equal(r.code, 2, `${url}: ${r.stderr}`);
    assert.match(oneLine(r.stderr), /^quotefeed publish: bad broker URL: .+ \(see quotefeed publish --help\)$/);
    assert.equal(r.stdout, '');
  }
});

test('usage errors exit 2 and --help exits 0 for every command', { timeout: 40_000 }, async () => {
  const usage: [string[], RegExp][] = [
    [['publish', '--count', '5'], /--broker URL is required/],
    [['publish', '--broker', 'mqtt://h', '--count', '1', '--duration', '1'], /--count and --duration cannot be used together/],
    [['publish', '--broker', 'mqtt://h', '--profile', 'crazy'], /--profile must be one of normal, active, burst/],
    [['publish', '--broker', 'mqtt://h', '--symbols', 'AAPL,aapl'], /bad symbol "aapl"/],
    [['replay', '--broker', 'mqtt://h'], /missing FILE/],
    [['record', '--broker', 'mqtt://h'], /--out FILE is required/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /usage: quotefeed <command>/],
  ];
  // Independent runs: spawn them together to keep the test short.
  const results = await Promise.all(usage.map(([argv]) => runCli(argv)));
  usage.forEach(([argv, re], i) => {
    const r = results[i];
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    if (argv.length) oneLine(r.stderr);
  });
  const cmds = ['broker', 'publish', 'replay', 'record', 'watch', 'demo'];
  const helps = await Promise.all(cmds.map((cmd) => runCli([cmd, '--help'])));
  cmds.forEach((cmd, i) => {
    assert.equal(helps[i].code, 0);
    assert.match(helps[i].stdout, new RegExp(`^usage: quotefeed ${cmd}`));
  });
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /broker[\s\S]*publish[\s\S]*replay[\s\S]*record[\s\S]*watch[\s\S]*demo/);
});

test('an unreachable broker exits 3 with one line, quickly', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const r = await runCli(['publish', '--broker', `mqtt://127.0.0.1:${port}`, '--count', '1']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(oneLine(r.stderr), `quotefeed publish: cannot connect to mqtt://127.0.0.1:${port}: connection refused`);
  const dir = tempDir();
  try {
    const out = path.join(dir, 'x.ndjson');
    const rec = await runCli(['record', '--broker', `tcp://127.0.0.1:${port}`, '--out', out]);
    assert.equal(rec.code, 3, rec.stderr);
    assert.equal(fs.existsSync(out), false, 'no empty file left behind');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('publish exits 3 after the connect timeout when the broker never answers CONNECT', { timeout: 30_000 }, async () => {
  const silent = await silentServer();
  try {
    const r = await runCli(['publish', '--broker', `mqtt://127.0.0.1:${silent.port}`, '--count', '1', '--connect-timeout', '1']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(oneLine(r.stderr), /no answer from mqtt:\/\/127\.0\.0\.1:\d+ (within 1 s|\(connect timed out\))/);
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  } finally {
    await silent.close();
  }
});

test('bad credentials exit 3 and the password is never printed', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0, credentials: { username: 'feeder', password: 'right-pass' } });
  const secret = 'Wr0ng-S3cret-xyz';
  try {
    const r = await runCli(['publish', '--broker', broker.url, '--username', 'feeder', '--password', secret, '--count', '1']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(oneLine(r.stderr), `quotefeed publish: ${broker.url} rejected the credentials: bad user name or password`);
    assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
    const inUrl = await runCli(['record', '--broker', broker.url.replace('mqtt://', `mqtt://feeder:${secret}@`), '--out', '-', '--count', '1']);
    assert.equal(inUrl.code, 2, inUrl.stderr);
    assert.match(oneLine(inUrl.stderr), /bad broker URL: do not put the user name or password in the address/);
    assert.ok(!inUrl.stderr.includes(secret) && !inUrl.stdout.includes(secret));
    const env = await runCli(['publish', '--broker', broker.url, '--username', 'feeder', '--count', '3', '--rate', '1000'], { env: { QUOTEFEED_PASSWORD: 'right-pass' } });
    assert.equal(env.code, 0, env.stderr);
    assert.ok(!env.stdout.includes('right-pass') && !env.stderr.includes('right-pass'));
  } finally {
    await broker.close();
  }
});

test('a malformed replay line exits 4 naming the line, before connecting', { timeout: 30_000 }, async () => {
  const port = await freePort(); // nothing listens: the file must be rejected first
  const nd = await runCli(['replay', path.join(FIXTURES, 'malformed.ndjson'), '--broker', `mqtt://127.0.0.1:${port}`]);
  assert.equal(nd.code, 4, nd.stderr);
  assert.match(oneLine(nd.stderr), /^quotefeed replay: .*malformed\.ndjson:4: not valid JSON/);
  const csv = await runCli(['replay', path.join(FIXTURES, 'malformed.csv'), '--broker', `mqtt://127.0.0.1:${port}`]);
  assert.equal(csv.code, 4, csv.stderr);
  assert.match(oneLine(csv.stderr), /malformed\.csv:4: price must be a number > 0 and <= 1e9 \(got -5\)$/);
  const missing = await runCli(['replay', path.join(FIXTURES, 'nope.ndjson'), '--broker', `mqtt://127.0.0.1:${port}`]);
  assert.equal(missing.code, 4);
  assert.match(oneLine(missing.stderr), /nope\.ndjson: no such file$/);
});

test('the broker command on a port already in use exits 1 with one line', { timeout: 30_000 }, async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const r = await runCli(['broker', '--port', String(broker.port)]);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stderr), /cannot listen on 127\.0\.0\.1:\d+: address already in use/);
  } finally {
    await broker.close();
  }
});
