#!/usr/bin/env node
// Runs every module's hypium suites (src/test/List.test.ets) on Node: each is bundled with esbuild
// and driven through Hypium.hypiumTest with a small delegator that prints each case. Ends with
// `N passed, N failed`; exits non-zero on any failure, error, or when no case ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, projectRoot, cacheDir, localModules } from '../node/bundle.mjs';

const MODULE_DIRS = [...localModules().values()].map((m) => path.relative(projectRoot, m.dir));

async function runSuiteFile(listFile, label, filter) {
  const tmp = fs.mkdtempSync(cacheDir('hypium-'));
  const entry = path.join(tmp, 'entry.ts');
  fs.writeFileSync(entry, [
    `import { Hypium } from '${path.join(projectRoot, 'node_modules/@ohos/hypium/index.js')}';`,
    `import testsuite from '${listFile}';`,
    `export { hilog } from '${path.join(projectRoot, 'tools/node/kits/@kit.PerformanceAnalysisKit.ts')}';`,
    `export { Hypium, testsuite };`,
  ].join('\n'));
  const out = await bundleForNode(entry, path.join(tmp, 'bundle.mjs'));
  const mod = await import(pathToFileURL(out).href);
  const result = await new Promise((resolve) => {
    const lines = [];
    let current = { cls: '', test: '' };
    let buffer = '';
    const onText = (text) => {
      buffer += text;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        let m;
        if ((m = /^OHOS_REPORT_STATUS: class=(.*)$/.exec(line))) current.cls = m[1];
        else if ((m = /^OHOS_REPORT_STATUS: test=(.*)$/.exec(line))) current.test = m[1];
        else if ((m = /^OHOS_REPORT_STATUS: stack=(.*)$/.exec(line))) current.stack = m[1];
        else if ((m = /^OHOS_REPORT_STATUS_CODE: (-?\d+)$/.exec(line))) {
          const code = Number(m[1]);
          if (code === 0) console.log(`  ok    ${label} › ${current.cls} › ${current.test}`);
          else if (code < 0) console.log(`  FAIL  ${label} › ${current.cls} › ${current.test}\n        ${current.stack ?? ''}`);
          current.stack = undefined;
        }
      }
    };
    const delegator = {
      print: (msg) => { onText(`${msg}\n`); return Promise.resolve(); },
      printSync: (msg) => { onText(`${msg}\n`); },
      finishTest: (msg, code, cb) => {
        const text = lines.join('\n');
        const m = /Tests run: (\d+), Failure: (\d+), Error: (\d+), Pass: (\d+), Ignore: (\d+)/.exec(text);
        resolve(m ? { run: +m[1], failed: +m[2], errors: +m[3], passed: +m[4], ignored: +m[5] } : { run: 0, failed: 0, errors: 1, passed: 0, ignored: 0 });
        if (cb) cb();
      },
      getAppContext: () => ({}),
    };
    const parameters = { timeout: process.env.HYPIUM_TIMEOUT ?? '60000' };
    if (filter) parameters.class = filter;
    const args = { bundleName: 'com.quotedeck.app', parameters, testCaseNames: '', testRunnerClassName: 'NodeRunner' };
    mod.Hypium.hypiumTest(delegator, args, mod.testsuite);
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  // A log call that prints something else on a phone than its format promises fails the module.
  for (const m of mod.hilog.mismatches) console.log(`  FAIL  ${label} › hilog › ${m}`);
  result.errors += mod.hilog.mismatches.length;
  return result;
}

const filterArg = process.argv.indexOf('--class');
const filter = filterArg >= 0 ? process.argv[filterArg + 1] : undefined;
const onlyArg = process.argv.indexOf('--module');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1] : undefined;
// hypium logs its own progress with console.info; the delegator output above is the report.
const realInfo = console.info;
console.info = (...a) => { if (process.env.HYPIUM_VERBOSE) realInfo(...a); };
const realLog = console.log;
console.log = (...a) => { if (process.env.HYPIUM_VERBOSE || !String(a[0]).startsWith('[Hypium]')) realLog(...a); };

let passed = 0;
let failed = 0;
for (const dir of MODULE_DIRS) {
  if (only && !dir.endsWith(only)) continue;
  const listFile = path.join(projectRoot, dir, 'src', 'test', 'List.test.ets');
  if (!fs.existsSync(listFile)) continue;
  const r = await runSuiteFile(listFile, dir, filter);
  passed += r.passed;
  failed += r.failed + r.errors;
  console.log(`  ${dir}: ${r.run} run, ${r.passed} passed, ${r.failed} failed, ${r.errors} errors`);
}
console.log(`hypium: ${passed} passed, ${failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
