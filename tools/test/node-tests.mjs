#!/usr/bin/env node
// Runs the Node integration tests (tests/**/*.test.ts): each file is bundled with esbuild (so it can
// import the app's ArkTS code from `common` through the Node doubles) and run by node's test runner.
// Usage: node tools/test/node-tests.mjs [--fast] [name-filter...]
//   --fast  skips files whose first line contains "@slow" (the long fault scenarios).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { bundleForNode, projectRoot, cacheDir } from '../node/bundle.mjs';

function findTests(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findTests(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

export async function runNodeTests({ dirs, fast, filters, concurrency = 1 }) {
  let files = dirs.flatMap((d) => findTests(path.join(projectRoot, d)));
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  if (fast) files = files.filter((f) => !fs.readFileSync(f, 'utf8').split('\n', 1)[0].includes('@slow'));
  if (files.length === 0) return { passed: 0, failed: 0, files: 0 };
  const tmp = fs.mkdtempSync(cacheDir('node-tests-'));
  const bundles = [];
  let buildFailures = 0;
  for (const f of files) {
    const out = path.join(tmp, path.relative(projectRoot, f).replace(/[\\/]/g, '__').replace(/\.ts$/, '.mjs'));
    try {
      await bundleForNode(f, out);
      bundles.push(out);
    } catch (e) {
      buildFailures++;
      console.log(`✖ ${path.relative(projectRoot, f)} does not build: ${e.message.split('\n')[0]}`);
    }
  }
  if (bundles.length === 0) return { passed: 0, failed: buildFailures, files: files.length };
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${path.join(tmp, 'tap.txt')}`,
    `--test-concurrency=${concurrency}`, ...bundles],
  // QUOTEDECK_HILOG_STRICT: a test process (or a CLI it runs) whose hilog double saw a format
  // mismatch exits 1, so every suite that logs asserts there is none
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: projectRoot, env: { ...process.env, QUOTEDECK_HILOG_STRICT: '1' } });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const tap = fs.existsSync(path.join(tmp, 'tap.txt')) ? fs.readFileSync(path.join(tmp, 'tap.txt'), 'utf8') : '';
  const pass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  fs.rmSync(tmp, { recursive: true, force: true });
  return { passed: pass, failed: fail + buildFailures || (code !== 0 ? 1 : 0), files: files.length };
}

if (process.argv[1] && process.argv[1].endsWith('node-tests.mjs')) {
  const args = process.argv.slice(2);
  const fast = args.includes('--fast');
  const filters = args.filter((a) => !a.startsWith('--'));
  const r = await runNodeTests({ dirs: ['tests'], fast, filters });
  console.log(`integration: ${r.files} files`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0);
}
