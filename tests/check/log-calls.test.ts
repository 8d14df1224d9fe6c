// The app logs through one logger (core's Logger, over hilog) with one hilog domain per layer:
// no other app file imports hilog, none writes to the console (which bypasses hilog's privacy
// rules and the log scans), and each module creates its Loggers with the layer it belongs to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const LOGGER_FILE = 'common/core/src/main/ets/util/Logger.ets';

/** The log layer each module folder must use. */
const LAYER_OF: Array<[RegExp, string]> = [
  [/^common\/core\//, 'CORE'],
  [/^common\/platform\//, 'PLATFORM'],
  [/^common\/ui\//, 'UI'],
  [/^features\/[^/]+\//, 'UI'],
  [/^entry\//, 'ENTRY'],
];

function appSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'oh_modules') walk(p);
      } else if (/\.(ets|ts)$/.test(e.name)) {
        out.push(path.relative(root, p).split(path.sep).join('/'));
      }
    }
  };
  for (const top of ['common', 'features']) {
    if (!fs.existsSync(path.join(root, top))) continue;
    for (const m of fs.readdirSync(path.join(root, top))) walk(path.join(root, top, m, 'src', 'main'));
  }
  walk(path.join(root, 'entry', 'src', 'main'));
  return out.sort();
}

/** Source text without comments (a comment may mention console.log or hilog). */
function code(file: string): string {
  return fs.readFileSync(path.join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

test('the app sources are found', () => {
  const files = appSources();
  assert.ok(files.length > 50, `${files.length} files`);
  assert.ok(files.includes(LOGGER_FILE));
});

test('only the Logger imports hilog', () => {
  const offenders = appSources().filter((f) => f !== LOGGER_FILE &&
    /from\s+'@kit\.PerformanceAnalysisKit'|from\s+'@ohos\.hilog'|\bhilog\./.test(code(f)));
  assert.deepEqual(offenders, [], 'log through a Logger (common/core util/Logger.ets) instead');
});

test('no app code writes to the console', () => {
  const offenders = appSources().filter((f) => /\bconsole\.\w+\s*\(/.test(code(f)));
  assert.deepEqual(offenders, [], 'log through a Logger instead of console.*');
});

test('each module logs in the domain of its layer', () => {
  const wrong: string[] = [];
  let loggers = 0;
  for (const f of appSources()) {
    const layer = LAYER_OF.find(([re]) => re.test(f))?.[1];
    for (const m of code(f).matchAll(/new Logger\(\s*LogLayer\.(\w+)/g)) {
      loggers++;
      if (m[1] !== layer) wrong.push(`${f}: LogLayer.${m[1]}, expected LogLayer.${layer}`);
    }
  }
  assert.ok(loggers >= 5, `${loggers} loggers found`);
  assert.deepEqual(wrong, []);
});
