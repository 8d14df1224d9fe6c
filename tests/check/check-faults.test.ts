// The Linux check must fail on each kind of fault DevEco's build would reject. Each case copies the
// minimal valid fixture project, seeds one fault, runs the real `check` CLI on it and expects a
// non-zero exit with a finding of the right code at the right file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = process.cwd();
const fixture = path.join(root, 'tools', 'check', 'fixtures', 'minimal');
const checkCli = path.join(root, 'tools', 'check', 'check.mjs');

interface CheckRun { status: number; lines: string[] }

function withCopy(seed: (dir: string) => void): CheckRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-fault-'));
  fs.cpSync(fixture, dir, { recursive: true });
  try {
    seed(dir);
    const r = spawnSync(process.execPath, [checkCli, '--root', dir], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status ?? -1, lines: r.stdout.split('\n').filter((l) => l.length > 0) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `fixture ${file} lacks ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

function expectFinding(run: CheckRun, file: string, code: string): void {
  assert.notEqual(run.status, 0, `check passed but should fail:\n${run.lines.join('\n')}`);
  const hit = run.lines.find((l) => l.includes(file) && l.includes(code));
  assert.ok(hit, `no ${code} finding in ${file}; got:\n${run.lines.join('\n')}`);
  assert.match(hit!, /^[^:]+:\d+:\d+ \S+ .+/, 'findings are file:line:col code message');
}

test('the unmodified fixture passes', () => {
  const run = withCopy(() => {});
  assert.equal(run.status, 0, run.lines.join('\n'));
  assert.match(run.lines[run.lines.length - 1], /0 error\(s\)/);
});

test('`any` fails the ArkTS linter', () => {
  const run = withCopy((d) => edit(path.join(d, 'lib/src/main/ets/Price.ets'), 'value: number = 0;', 'value: any = 0;'));
  expectFinding(run, 'Price.ets', 'arkts-no-any-unknown');
});

test('an untyped object literal fails the ArkTS linter', () => {
  const run = withCopy((d) => edit(path.join(d, 'lib/src/main/ets/Price.ets'), 'export function formatPrice',
    'export const DEFAULTS = { digits: 2 };\n\nexport function formatPrice'));
  expectFinding(run, 'Price.ets', 'arkts-no-untyped-obj-literals');
});

test('a plain type error fails the type check', () => {
  const run = withCopy((d) => edit(path.join(d, 'lib/src/main/ets/Price.ets'), "currency: string = 'USD';", 'currency: string = 42;'));
  expectFinding(run, 'Price.ets', 'TS2322');
});

test('a $r resource that does not exist fails', () => {
  const run = withCopy((d) => edit(path.join(d, 'app/src/main/ets/pages/Index.ets'), "$r('app.string.title')", "$r('app.string.no_such_title')"));
  expectFinding(run, 'Index.ets', 'RES-MISSING');
});

test('a string missing from zh_CN fails', () => {
  const run = withCopy((d) => fs.writeFileSync(path.join(d, 'app/src/main/resources/zh_CN/element/string.json'),
    '{ "string": [{ "name": "greeting", "value": "你好" }] }'));
  expectFinding(run, 'string.json', 'RES-LOCALE');
  assert.ok(run.lines.some((l) => l.includes("'title'") && l.includes('zh_CN')));
});

test('a module missing from the root build-profile fails', () => {
  const run = withCopy((d) => edit(path.join(d, 'build-profile.json5'), '{ "name": "lib", "srcPath": "./lib" }', ''));
  expectFinding(run, 'module.json5', 'CFG-MODULE');
});

test('a page listed in main_pages without its file fails', () => {
  const run = withCopy((d) => fs.writeFileSync(path.join(d, 'app/src/main/resources/base/profile/main_pages.json'), '{ "src": ["pages/Index", "pages/Missing"] }'));
  expectFinding(run, 'main_pages.json', 'CFG-PAGE');
});
