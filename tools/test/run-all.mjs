#!/usr/bin/env node
// `npm test`: the check, every hypium suite on Node, then the Node integration tests (the fast
// ones; `npm run test:faults` runs the long fault scenarios too; the @each-double files run on each
// @ohos/mqtt double: both where paho.mqtt.c is installed, --doubles=a,b to choose, see node-tests.mjs). One closing line counts all:
// `N passed, N failed`. Exit non-zero on any failure or when nothing ran.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../node/bundle.mjs';
import { doublesFrom, runNodeTests } from './node-tests.mjs';

const full = process.argv.includes('--full');
let passed = 0;
let failed = 0;

function stage(title) {
  console.log(`\n=== ${title} ===`);
}

function runStep(script, args = []) {
  const r = spawnSync(process.execPath, [path.join(projectRoot, script), ...args], { encoding: 'utf8', cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r;
}

stage('check: configs, resources, type check and ArkTS lint');
const check = runStep('tools/check/check.mjs');
if (check.status === 0) passed += 1;
else failed += 1;

stage('hypium unit suites on Node');
const unit = runStep('tools/test/hypium-node.mjs');
const m = /^(\d+) passed, (\d+) failed$/m.exec(unit.stdout);
if (m) {
  passed += Number(m[1]);
  failed += Number(m[2]);
}
if (unit.status !== 0 && (!m || Number(m[2]) === 0)) failed += 1;

stage(full ? 'integration tests (all, including slow fault scenarios)' : 'integration tests');
const integration = await runNodeTests({ dirs: ['tests'], fast: !full, filters: [], doubles: await doublesFrom(process.argv.slice(2)) });
passed += integration.passed;
failed += integration.failed;

console.log(`\nall: check ${check.status === 0 ? 'clean' : 'FAILED'}, ${passed} passed, ${failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
