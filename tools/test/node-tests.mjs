#!/usr/bin/env node
// Runs the Node integration tests (tests/**/*.test.ts): each file is bundled with esbuild (so it can
// import the app's ArkTS code from `common` through the Node doubles) and run by node's test runner.
// Usage: node tools/test/node-tests.mjs [--fast] [--doubles=emulation,paho] [name-filter...]
//   --fast     skips files tagged @slow (the long fault scenarios).
//   --doubles  the @ohos/mqtt doubles to run on (emulation, paho: QUOTEDECK_OHOS_MQTT in
//              tools/node/bundle.mjs): every file runs on the first; files tagged @each-double are
//              bundled and run again on each of the others. Default $QUOTEDECK_OHOS_MQTT_DOUBLES,
//              else $QUOTEDECK_OHOS_MQTT, else emulation and paho where paho.mqtt.c can be used
//              (emulation only otherwise, said on the first line; in CI, $CI set, paho always, so
//              a missing library fails the paho pass).
// Tags are words starting with @ on a test file's first line.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
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

/** The @tags on a file's first line. */
function tagsOf(file) {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  return new Set(first.startsWith('//') ? first.match(/@[\w-]+/g) ?? [] : []);
}

/**
 * The doubles to run on, from --doubles=, $QUOTEDECK_OHOS_MQTT_DOUBLES or $QUOTEDECK_OHOS_MQTT;
 * without any of them, both where paho.mqtt.c can be used (see the header).
 */
export async function doublesFrom(args = [], env = process.env) {
  const arg = args.find((a) => a.startsWith('--doubles='))?.slice('--doubles='.length);
  const chosen = arg ?? env.QUOTEDECK_OHOS_MQTT_DOUBLES ?? env.QUOTEDECK_OHOS_MQTT;
  if (chosen !== undefined) {
    const list = chosen.split(',').map((s) => s.trim()).filter(Boolean);
    return list.length > 0 ? list : ['emulation'];
  }
  if (env.CI) return ['emulation', 'paho'];
  const reason = await pahoUnavailableReason();
  if (reason === undefined) return ['emulation', 'paho'];
  console.log(`note: the @each-double tests run on the emulation only: paho.mqtt.c is not usable here (${reason})`);
  return ['emulation'];
}

/** Why the paho double cannot run here (its own check: compiler, headers, library), or undefined. */
async function pahoUnavailableReason() {
  const dir = fs.mkdtempSync(cacheDir('paho-check-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, `export { pahoUnavailableReason } from ${JSON.stringify(path.join(projectRoot, 'tools/node/ohos-mqtt-paho/native.ts'))};\n`);
    const out = await bundleForNode(entry, path.join(dir, 'check.mjs'));
    const mod = await import(pathToFileURL(out).href);
    return mod.pahoUnavailableReason();
  } catch (e) {
    return `its check failed: ${e.message.split('\n')[0]}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One `node --test` run of `bundles` with the @ohos/mqtt double `double`; counts from its TAP. */
async function runPass(bundles, double, concurrency, tmp) {
  const tapFile = path.join(tmp, `tap-${double}.txt`);
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    `--test-concurrency=${concurrency}`, ...bundles], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: projectRoot,
    // QUOTEDECK_HILOG_STRICT: a test process (or a CLI it runs) whose hilog double saw a format
    // mismatch exits 1, so every suite that logs asserts there is none
    env: { ...process.env, QUOTEDECK_HILOG_STRICT: '1', QUOTEDECK_OHOS_MQTT: double },
  });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const passed = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  return { passed, failed: failed || (code !== 0 ? 1 : 0) };
}

export async function runNodeTests({ dirs, fast, filters, concurrency = 1, doubles }) {
  if (doubles === undefined) doubles = await doublesFrom();
  let files = dirs.flatMap((d) => findTests(path.join(projectRoot, d)));
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  if (fast) files = files.filter((f) => !tagsOf(f).has('@slow'));
  if (files.length === 0) return { passed: 0, failed: 0, files: 0 };
  const tmp = fs.mkdtempSync(cacheDir('node-tests-'));
  const chosenDouble = process.env.QUOTEDECK_OHOS_MQTT;
  let passed = 0;
  let failed = 0;
  for (const [i, double] of doubles.entries()) {
    const pass = i === 0 ? files : files.filter((f) => tagsOf(f).has('@each-double'));
    if (pass.length === 0) continue;
    if (doubles.length > 1) console.log(`\n--- @ohos/mqtt double "${double}": ${pass.length} file(s) ---`);
    // bundle.mjs resolves '@ohos/mqtt' to the double $QUOTEDECK_OHOS_MQTT names, when it bundles
    process.env.QUOTEDECK_OHOS_MQTT = double;
    const dir = path.join(tmp, double);
    fs.mkdirSync(dir);
    const bundles = [];
    for (const f of pass) {
      const out = path.join(dir, path.relative(projectRoot, f).replace(/[\\/]/g, '__').replace(/\.ts$/, '.mjs'));
      try {
        await bundleForNode(f, out);
        bundles.push(out);
      } catch (e) {
        failed++;
        console.log(`✖ ${path.relative(projectRoot, f)} does not build: ${e.message.split('\n')[0]}`);
      }
    }
    if (bundles.length === 0) continue;
    const r = await runPass(bundles, double, concurrency, dir);
    passed += r.passed;
    failed += r.failed;
  }
  if (chosenDouble === undefined) delete process.env.QUOTEDECK_OHOS_MQTT;
  else process.env.QUOTEDECK_OHOS_MQTT = chosenDouble;
  fs.rmSync(tmp, { recursive: true, force: true });
  return { passed, failed, files: files.length };
}

if (process.argv[1] && process.argv[1].endsWith('node-tests.mjs')) {
  const args = process.argv.slice(2);
  const fast = args.includes('--fast');
  const filters = args.filter((a) => !a.startsWith('--'));
  const r = await runNodeTests({ dirs: ['tests'], fast, filters, doubles: await doublesFrom(args) });
  console.log(`integration: ${r.files} files`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0);
}
