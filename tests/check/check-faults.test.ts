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

// ---- architecture: worker import closure, layering, cycles -------------------------------------

/** Adds a HAR at `rel` (e.g. common/core) named `name`, package `@fixture/<name>`, with the given sources. */
function addHar(dir: string, rel: string, name: string, sources: Record<string, string>, deps: string[] = []): void {
  const home = path.join(dir, rel);
  fs.mkdirSync(path.join(home, 'src', 'main'), { recursive: true });
  fs.writeFileSync(path.join(home, 'src', 'main', 'module.json5'), JSON.stringify({ module: { name, type: 'har', deviceTypes: ['default'] } }));
  fs.writeFileSync(path.join(home, 'build-profile.json5'), '{ "apiType": "stageMode", "targets": [{ "name": "default" }] }');
  fs.writeFileSync(path.join(home, 'hvigorfile.ts'), 'export default { system: undefined, plugins: [] };');
  const dependencies: Record<string, string> = {};
  for (const d of deps) dependencies[`@fixture/${d.split('/').pop()}`] = `file:${path.relative(home, path.join(dir, d))}`;
  fs.writeFileSync(path.join(home, 'oh-package.json5'), JSON.stringify({ name: `@fixture/${name}`, version: '1.0.0', main: 'Index.ets', dependencies }));
  for (const [file, text] of Object.entries(sources)) {
    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    fs.writeFileSync(path.join(home, file), text);
  }
  edit(path.join(dir, 'build-profile.json5'), '{ "name": "lib", "srcPath": "./lib" }',
    `{ "name": "lib", "srcPath": "./lib" },\n    { "name": "${name}", "srcPath": "./${rel}" }`);
}

/** Makes app/src/main/ets/workers/Feed.ets a worker entry with the given source. */
function addWorker(dir: string, source: string): void {
  fs.mkdirSync(path.join(dir, 'app/src/main/ets/workers'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'app/src/main/ets/workers/Feed.ets'), source);
  fs.writeFileSync(path.join(dir, 'app/build-profile.json5'),
    '{ "apiType": "stageMode", "buildOption": { "sourceOption": { "workers": ["./src/main/ets/workers/Feed.ets"] } }, "targets": [{ "name": "default" }] }');
}

function findings(run: CheckRun, code: string): string[] {
  return run.lines.filter((l) => l.includes(` ${code} `));
}

const WORKER_PORT = "import { worker, ThreadWorkerGlobalScope } from '@kit.ArkTS';\n" +
  'const port: ThreadWorkerGlobalScope = worker.workerPort;\n';

test('a worker that reaches a state-management decorator through its imports fails, naming the chain', () => {
  const run = withCopy((d) => {
    fs.writeFileSync(path.join(d, 'lib/src/main/ets/Ticker.ets'),
      '@ObservedV2\nexport class Ticker {\n  @Trace price: number = 0;\n}\n');
    edit(path.join(d, 'lib/Index.ets'), "from './src/main/ets/Price';", "from './src/main/ets/Price';\nexport { Ticker } from './src/main/ets/Ticker';");
    addWorker(d, `${WORKER_PORT}import { Price } from '@fixture/lib';\n\nport.onmessage = (): void => {\n  port.postMessage(new Price().value);\n};\n`);
  });
  expectFinding(run, 'Feed.ets', 'WORKER-UI');
  const hits = findings(run, 'WORKER-UI');
  assert.equal(hits.length, 1, 'one finding per file with UI code');
  assert.ok(hits[0].includes('lib/src/main/ets/Ticker.ets: @ObservedV2 (line 1), @Trace (line 3)'), hits[0]);
  assert.ok(hits[0].includes('app/src/main/ets/workers/Feed.ets → @fixture/lib (lib/Index.ets) → lib/src/main/ets/Ticker.ets'), hits[0]);
  assert.match(hits[0], /Feed\.ets:3:1 /, 'reported at the worker import that starts the chain');
});

test('a worker that reaches AppStorage or imports a UI module fails; type-only imports are not followed', () => {
  const run = withCopy((d) => {
    fs.mkdirSync(path.join(d, 'app/src/main/ets/workers'), { recursive: true });
    fs.writeFileSync(path.join(d, 'app/src/main/ets/workers/Theme.ets'),
      "export function accent(): string {\n  return AppStorage.get<string>('accent') ?? '#000';\n}\n");
    fs.writeFileSync(path.join(d, 'app/src/main/ets/workers/Screen.ets'),
      "import { display } from '@kit.ArkUI';\n\nexport function width(): number {\n  return display.getDefaultDisplaySync().width;\n}\n");
    fs.writeFileSync(path.join(d, 'app/src/main/ets/workers/Shape.ets'),
      '@ObservedV2\nexport class Shape {\n  @Trace size: number = 0;\n}\n');
    addWorker(d, `${WORKER_PORT}import { accent } from './Theme';\nimport { width } from './Screen';\n` +
      "import type { Shape } from './Shape';\n\nport.onmessage = (): void => {\n  const s: Shape | undefined = undefined;\n" +
      '  port.postMessage(`${accent()} ${width()} ${s}`);\n};\n');
  });
  const hits = findings(run, 'WORKER-UI');
  assert.ok(hits.some((l) => l.includes('app/src/main/ets/workers/Theme.ets: AppStorage (line 2)')), hits.join('\n'));
  assert.ok(hits.some((l) => l.includes('app/src/main/ets/workers/Screen.ets: import of @kit.ArkUI (line 1)')), hits.join('\n'));
  assert.ok(!hits.some((l) => l.includes('Shape.ets')), 'a type-only import loads nothing at run time');
});

test('imports against the layer direction fail with a LAYER finding per rule; allowed ones pass', () => {
  const run = withCopy((d) => {
    addHar(d, 'common/core', 'core', {
      'Index.ets': "export { Ticks } from './src/main/ets/Ticks';\n",
      'src/main/ets/Ticks.ets': "import { connection } from '@kit.NetworkKit';\nimport { Adapter } from '@fixture/platform';\n" +
        "import { hilog } from '@kit.PerformanceAnalysisKit';\n\nexport class Ticks {\n" +
        '  online(): boolean {\n    hilog.info(0x1, "t", "%{public}d", new Adapter().n);\n    return connection.hasDefaultNetSync();\n  }\n}\n',
      'src/test/Ticks.test.ets': "import { Fake } from '@fixture/testing';\n\nexport const FAKE: Fake = new Fake();\n",
    }, ['common/platform', 'common/testing']);
    addHar(d, 'common/platform', 'platform', {
      'Index.ets': "export { Adapter } from './src/main/ets/Adapter';\n",
      'src/main/ets/Adapter.ets': "import { promptAction } from '@kit.ArkUI';\n\nexport class Adapter {\n  n: number = 1;\n" +
        "  tell(): void {\n    promptAction.showToast({ message: 'x' });\n  }\n}\n",
    });
    addHar(d, 'common/testing', 'testing', {
      'Index.ets': "export { Fake } from './src/main/ets/Fake';\n",
      'src/main/ets/Fake.ets': 'export class Fake {\n  calls: number = 0;\n}\n',
    });
    addHar(d, 'features/quotes', 'quotes', {
      'Index.ets': "export { view } from './src/main/ets/View';\n",
      'src/main/ets/View.ets': "import { Adapter } from '@fixture/platform';\nimport { Fake } from '@fixture/testing';\n" +
        "import { Ticks } from '@fixture/core';\n\nexport function view(): string {\n" +
        '  return `${new Adapter().n} ${new Fake().calls} ${new Ticks().online()}`;\n}\n',
    }, ['common/core', 'common/platform', 'common/testing']);
  });
  const at = (file: string, code: string, text: string): void => {
    const hit = run.lines.find((l) => l.includes(file) && l.includes(` ${code} `) && l.includes(text));
    assert.ok(hit, `no ${code} finding in ${file} about ${text}; got:\n${run.lines.join('\n')}`);
  };
  assert.notEqual(run.status, 0);
  at('common/core/src/main/ets/Ticks.ets:1:1', 'LAYER-CORE', '@kit.NetworkKit');
  at('common/core/src/main/ets/Ticks.ets:2:1', 'LAYER-CORE', '@fixture/platform');
  at('common/platform/src/main/ets/Adapter.ets:1:1', 'LAYER-PLATFORM', '@kit.ArkUI');
  at('features/quotes/src/main/ets/View.ets:1:1', 'LAYER-FEATURE', '@fixture/platform');
  at('features/quotes/src/main/ets/View.ets:2:1', 'LAYER-FEATURE', '@fixture/testing');
  assert.ok(!run.lines.some((l) => l.includes('Ticks.ets:3:') || l.includes('Ticks.test.ets') || l.includes('View.ets:3:')),
    `allowed imports (core → @kit.PerformanceAnalysisKit, a test → testing, a feature → core) were reported:\n${run.lines.join('\n')}`);
});

test('an import cycle between files fails, naming the cycle', () => {
  const run = withCopy((d) => {
    fs.writeFileSync(path.join(d, 'lib/src/main/ets/Fx.ets'),
      "import { Price } from './Price';\n\nexport function rate(p: Price): number {\n  return p.value;\n}\n");
    edit(path.join(d, 'lib/src/main/ets/Price.ets'), 'export class Price {', "import { rate } from './Fx';\n\nexport class Price {");
    edit(path.join(d, 'lib/src/main/ets/Price.ets'), '${p.currency}', '${p.currency} ${rate(p)}');
  });
  expectFinding(run, 'Fx.ets', 'IMPORT-CYCLE');
  assert.ok(run.lines.some((l) => l.includes('import cycle: lib/src/main/ets/Fx.ets → lib/src/main/ets/Price.ets → lib/src/main/ets/Fx.ets')),
    run.lines.join('\n'));
});
