// The card checks must fail on each fault a card build or the card runtime would reject. Each case
// copies the minimal fixture, adds a valid quote card to its entry module, seeds one fault and runs
// the card checks (tools/check/widgets.mjs); one case runs the whole `check` CLI to prove they are
// part of `npm run check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = process.cwd();
const fixture = path.join(root, 'tools', 'check', 'fixtures', 'minimal');
const widgetsCli = path.join(root, 'tools', 'check', 'widgets.mjs');
const checkCli = path.join(root, 'tools', 'check', 'check.mjs');

const PAGE = 'app/src/main/ets/widget/pages/CardPage.ets';
const HELPER = 'app/src/main/ets/widget/common/CardRows.ets';
const CONFIG = 'app/src/main/resources/base/profile/form_config.json';
const MODULE = 'app/src/main/module.json5';

interface CheckRun { status: number; lines: string[] }

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/** Adds a card that passes every check: a form ability, its profile, a page and a card-local helper. */
function addCard(dir: string): void {
  write(dir, MODULE, JSON.stringify({
    module: {
      name: 'app', type: 'entry', deviceTypes: ['phone'], pages: '$profile:main_pages', description: '$string:greeting',
      extensionAbilities: [{
        name: 'CardAbility', srcEntry: './ets/cards/CardAbility.ets', type: 'form',
        metadata: [{ name: 'ohos.extension.form', resource: '$profile:form_config' }]
      }]
    }
  }, null, 2));
  write(dir, 'app/src/main/ets/cards/CardAbility.ets', [
    "import { formBindingData, FormExtensionAbility } from '@kit.FormKit';",
    "import { Want } from '@kit.AbilityKit';",
    '',
    'export default class CardAbility extends FormExtensionAbility {',
    '  onAddForm(want: Want): formBindingData.FormBindingData {',
    "    return formBindingData.createFormBindingData('{}');",
    '  }',
    '}',
    ''
  ].join('\n'));
  write(dir, CONFIG, JSON.stringify({
    forms: [{
      name: 'prices', displayName: '$string:title', description: '$string:greeting',
      src: './ets/widget/pages/CardPage.ets', uiSyntax: 'arkts', isDefault: true, updateEnabled: true,
      updateDuration: 1, defaultDimension: '2*2', supportDimensions: ['2*2']
    }]
  }, null, 2));
  write(dir, HELPER, [
    '@Component',
    'export struct CardRows {',
    "  @Prop label: string = '';",
    '',
    '  build() {',
    '    Column() {',
    "      Text(this.label).fontSize(12).accessibilityText(this.label)",
    '    }',
    '  }',
    '}',
    ''
  ].join('\n'));
  write(dir, PAGE, [
    "import { CardRows } from '../common/CardRows';",
    '',
    'const storage: LocalStorage = new LocalStorage();',
    '',
    '@Entry(storage)',
    '@Component',
    'struct CardPage {',
    "  @LocalStorageProp('label') label: string = '';",
    '',
    '  build() {',
    '    Column() {',
    '      CardRows({ label: this.label })',
    "      Text($r('app.string.title'))",
    '    }',
    '    .onClick(() => {',
    "      postCardAction(this, { action: 'router' });",
    '    })',
    '  }',
    '}',
    ''
  ].join('\n'));
}

function edit(dir: string, file: string, from: string, to: string): void {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  assert.ok(text.includes(from), `${file} lacks ${from}`);
  fs.writeFileSync(p, text.replace(from, to));
}

function withCard(seed: (dir: string) => void, cli: string = widgetsCli): CheckRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-widgets-'));
  fs.cpSync(fixture, dir, { recursive: true });
  try {
    addCard(dir);
    seed(dir);
    const r = spawnSync(process.execPath, [cli, '--root', dir], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status ?? -1, lines: r.stdout.split('\n').filter((l) => l.length > 0) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectFinding(run: CheckRun, file: string, code: string, words: string): void {
  assert.notEqual(run.status, 0, `check passed but should fail:\n${run.lines.join('\n')}`);
  const hit = run.lines.find((l) => l.includes(file) && l.includes(code) && l.includes(words));
  assert.ok(hit, `no ${code} finding about "${words}" in ${file}; got:\n${run.lines.join('\n')}`);
  assert.match(hit!, /^[^:]+:\d+:\d+ \S+ .+/, 'findings are file:line:col code message');
}

test('a valid card passes the card checks', () => {
  const run = withCard(() => {});
  assert.equal(run.status, 0, run.lines.join('\n'));
});

test('state management V2 in a card page fails', () => {
  const run = withCard((d) => {
    edit(d, HELPER, '@Component', '@ComponentV2');
    edit(d, HELPER, "@Prop label: string = '';", "@Param label: string = '';");
  });
  expectFinding(run, 'CardRows.ets', 'CARD-API', '@ComponentV2');
  expectFinding(run, 'CardRows.ets', 'CARD-API', '@Param');
});

test('a component or attribute not made for cards fails, also in a file the page imports', () => {
  const run = withCard((d) => {
    edit(d, HELPER, 'Column() {', 'Column() {\n      TextInput()');
    edit(d, PAGE, '.onClick(() => {', '.onKeyEvent(() => {})\n    .onClick(() => {');
  });
  expectFinding(run, 'CardRows.ets', 'CARD-API', 'component TextInput');
  expectFinding(run, 'CardPage.ets', 'CARD-API', '.onKeyEvent()');
});

test('a card page importing a shared package fails', () => {
  const run = withCard((d) => edit(d, PAGE, "import { CardRows } from '../common/CardRows';",
    "import { CardRows } from '../common/CardRows';\nimport { formatPrice } from '@fixture/lib';"));
  expectFinding(run, 'CardPage.ets', 'CARD-IMPORT', '@fixture/lib');
});

test('a card binding @LocalStorageProp under an @Entry without storage fails', () => {
  const run = withCard((d) => edit(d, PAGE, '@Entry(storage)', '@Entry'));
  expectFinding(run, 'CardPage.ets', 'CARD-STORAGE', 'LocalStorage');
});

test('a form whose page does not exist fails', () => {
  const run = withCard((d) => edit(d, CONFIG, 'pages/CardPage.ets', 'pages/Missing.ets'));
  expectFinding(run, 'form_config.json', 'CFG-FORM', 'Missing.ets does not exist');
});

test('a default size outside the supported sizes fails, as does a missing required field', () => {
  const run = withCard((d) => {
    edit(d, CONFIG, '"defaultDimension": "2*2"', '"defaultDimension": "2*4"');
    edit(d, CONFIG, '"updateEnabled": true,', '');
  });
  expectFinding(run, 'form_config.json', 'CFG-FORM', 'not among supportDimensions');
  expectFinding(run, 'form_config.json', 'CFG-FORM', '"updateEnabled"');
});

test('an unknown display name resource and an unknown config ability fail', () => {
  const run = withCard((d) => edit(d, CONFIG, '"displayName": "$string:title",',
    '"displayName": "$string:no_such_name", "formConfigAbility": "ability://NoSuchAbility",'));
  expectFinding(run, 'form_config.json', 'RES-MISSING', 'no_such_name');
  expectFinding(run, 'form_config.json', 'CFG-FORM', 'NoSuchAbility');
});

test('a form ability without its profile fails', () => {
  const run = withCard((d) => fs.rmSync(path.join(d, CONFIG)));
  expectFinding(run, 'module.json5', 'CFG-FORM', 'form_config.json does not exist');
});

test('a valid card passes the whole check, type check and ArkTS lint included', () => {
  const run = withCard(() => {}, checkCli);
  assert.equal(run.status, 0, run.lines.join('\n'));
});

test('npm run check runs the card checks', () => {
  const run = withCard((d) => edit(d, HELPER, '@Component', '@ComponentV2'), checkCli);
  expectFinding(run, 'CardRows.ets', 'CARD-API', '@ComponentV2');
});
