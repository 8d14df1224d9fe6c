// Home-screen cards (ArkTS service widgets), checked the way DevEco's build and the card runtime would
// reject them: every `form` extension ability points at a form_config profile that exists and parses;
// each form has the required fields, a page that exists, a default size among its sizes, resolvable
// `$string:` names and a formConfigAbility that names an ability of the module. Card pages (each
// form's page and the files it imports) may import only card-local files (a card cannot import shared
// packages), may use only decorators, components, attributes and functions the SDK marks as supported
// in ArkTS widgets (`@form` in the API 12 declarations: no state management V2 in cards), and bind
// @LocalStorageProp only under an @Entry that is given a LocalStorage.
import fs from 'node:fs';
import path from 'node:path';
import { readJson5 } from './project.mjs';

const sdkComponentDir = path.join(path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname))),
  'node_modules', '@arkts', 'declarations', 'dist', 'component');

const REQUIRED_FORM_FIELDS = ['name', 'isDefault', 'supportDimensions', 'defaultDimension', 'updateEnabled'];
const DIMENSIONS = new Set(['1*2', '2*2', '2*4', '4*4', '2*1', '1*1', '6*4']);
const FORM_METADATA = 'ohos.extension.form';

function lineOf(text, needle) {
  const i = text.indexOf(needle);
  if (i < 0) return { line: 1, col: 1 };
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** What the SDK declares for UI code, and whether any declaration of a name carries `@form`. */
let sdkMarksCache;
function sdkMarks() {
  if (sdkMarksCache) return sdkMarksCache;
  const decorators = new Map();
  const components = new Map();
  const functions = new Map();
  const attributes = new Map();
  const mark = (map, name, doc) => map.set(name, (map.get(name) ?? false) || /@form\b/.test(doc));
  for (const f of fs.readdirSync(sdkComponentDir).filter((n) => n.endsWith('.d.ts'))) {
    const text = fs.readFileSync(path.join(sdkComponentDir, f), 'utf8');
    // Top-level declarations with their doc comments.
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare\s+(const|function)\s+(\w+)\s*(:\s*([^;]+))?/g)) {
      const [, doc, kind, name, , type] = m;
      if (kind === 'function') mark(functions, name, doc);
      else if (type && /(Interface|Attribute)\b/.test(type) && /^[A-Z]/.test(name)) mark(components, name, doc);
      else if (type && /Decorator/.test(type)) mark(decorators, name, doc);
    }
    // Methods of attribute classes (and CommonMethod), with their doc comments.
    for (const cls of text.matchAll(/declare class (\w*(?:Attribute|CommonMethod))\b[^{]*\{([\s\S]*?)\n\}/g)) {
      for (const m of cls[2].matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\s*\(/g)) mark(attributes, m[2], m[1]);
    }
  }
  sdkMarksCache = { decorators, components, functions, attributes };
  return sdkMarksCache;
}

/** Source without comments and string contents, same length and line breaks (positions stay true). */
function codeOnly(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && next === '*') {
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) { out += text[i] === '\n' ? '\n' : ' '; i++; }
      out += '  ';
      i += 2;
    } else if (c === '\'' || c === '"' || c === '`') {
      out += c;
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') { out += ' '; i++; }
        out += text[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function position(text, index) {
  const before = text.slice(0, index).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

function resolveRelative(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ets`, `${base}.ts`, path.join(base, 'Index.ets')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** One card source file: imports, then the UI API it uses. Returns the card-local files it imports. */
function checkCardFile(file, findings) {
  const text = fs.readFileSync(file, 'utf8');
  const code = codeOnly(text);
  const marks = sdkMarks();
  const local = [];
  for (const m of text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    const at = position(text, m.index + m[0].indexOf(spec));
    if (!spec.startsWith('.')) {
      findings.add(file, at.line, at.col, 'CARD-IMPORT', `card code imports '${spec}': a card may import only its own files (no shared packages, no modules outside the card)`);
      continue;
    }
    const target = resolveRelative(file, spec);
    if (target === undefined) findings.add(file, at.line, at.col, 'CARD-IMPORT', `card code imports '${spec}', which does not exist`);
    else local.push(target);
  }
  const structs = new Set([...code.matchAll(/\bstruct\s+(\w+)/g)].map((m) => m[1]));
  const reported = new Set();
  const refuse = (index, kind, name) => {
    if (reported.has(`${kind}:${name}`)) return;
    reported.add(`${kind}:${name}`);
    const at = position(text, index);
    findings.add(file, at.line, at.col, 'CARD-API', `${kind} ${name} is not supported in ArkTS cards at API 12 (the SDK does not mark it @form)`);
  };
  for (const m of code.matchAll(/@(\w+)/g)) {
    if (marks.decorators.has(m[1]) && !marks.decorators.get(m[1])) refuse(m.index, 'decorator', `@${m[1]}`);
  }
  for (const m of code.matchAll(/(^|[^.\w$])([A-Z]\w*)\s*\(/g)) {
    const name = m[2];
    if (structs.has(name) || /\bnew\s+$/.test(code.slice(Math.max(0, m.index - 8), m.index + m[1].length))) continue;
    if (marks.components.has(name) && !marks.components.get(name)) refuse(m.index + m[1].length, 'component', name);
  }
  for (const m of code.matchAll(/(^|[^.\w$])([a-z]\w*)\s*\(/g)) {
    const name = m[2];
    if (marks.functions.has(name) && !marks.functions.get(name)) refuse(m.index + m[1].length, 'function', name);
  }
  for (const m of code.matchAll(/\.\s*([a-z]\w*)\s*\(/g)) {
    const name = m[1];
    if (marks.attributes.has(name) && !marks.attributes.get(name)) refuse(m.index, 'attribute', `.${name}()`);
  }
  return { local, text, code };
}

/** The page of one form, and every card-local file it reaches, checked once each. */
function checkCardPage(page, findings, seen) {
  const queue = [page];
  let first = true;
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) { first = false; continue; }
    seen.add(file);
    const { local, text, code } = checkCardFile(file, findings);
    if (first && /@LocalStorageProp\s*\(/.test(code) && !/@Entry\s*\(\s*\w+/.test(code)) {
      const at = lineOf(text, '@Entry');
      findings.add(file, at.line, at.col, 'CARD-STORAGE', 'the card binds @LocalStorageProp but its @Entry is given no LocalStorage, so card data never reaches it');
    }
    first = false;
    queue.push(...local);
  }
}

function resourceNames(resDir, type) {
  const names = new Set();
  const dir = path.join(resDir, 'base', 'element');
  if (!fs.existsSync(dir)) return names;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    try {
      for (const item of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))[type] ?? []) names.add(item.name);
    } catch { /* unreadable element files are reported by the project check */ }
  }
  return names;
}

function checkForm(form, index, ctx, findings, seen) {
  const { file, text, srcMain, abilityNames, strings } = ctx;
  const at = lineOf(text, form?.name ? `"${form.name}"` : '"forms"');
  const add = (message) => findings.add(file, at.line, at.col, 'CFG-FORM', `form ${form?.name ?? `#${index + 1}`}: ${message}`);
  if (form === null || typeof form !== 'object') { add('is not an object'); return; }
  for (const field of REQUIRED_FORM_FIELDS) if (!(field in form)) add(`lacks the required field "${field}"`);
  if (typeof form.name === 'string' && Buffer.byteLength(form.name) > 127) add('name is longer than 127 bytes');
  const dims = Array.isArray(form.supportDimensions) ? form.supportDimensions : [];
  if (dims.length === 0) add('supportDimensions is empty');
  for (const d of dims) if (!DIMENSIONS.has(d)) add(`unknown dimension "${d}"`);
  if (form.defaultDimension !== undefined && !dims.includes(form.defaultDimension)) add(`defaultDimension "${form.defaultDimension}" is not among supportDimensions`);
  if (form.updateDuration !== undefined && !(Number.isInteger(form.updateDuration) && form.updateDuration >= 0)) add('updateDuration must be a whole number of 30-minute periods');
  if (form.scheduledUpdateTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(form.scheduledUpdateTime))) add('scheduledUpdateTime must be HH:MM');
  for (const key of ['displayName', 'description']) {
    const value = form[key];
    const m = typeof value === 'string' ? /^\$string:(\w+)$/.exec(value) : null;
    if (m && !strings.has(m[1])) {
      const r = lineOf(text, value);
      findings.add(file, r.line, r.col, 'RES-MISSING', `resource $string:${m[1]} does not exist`);
    }
  }
  if (typeof form.formConfigAbility === 'string' && form.formConfigAbility.length > 0) {
    const m = /^ability:\/\/(\w+)$/.exec(form.formConfigAbility);
    if (!m) add(`formConfigAbility "${form.formConfigAbility}" is not of the form ability://<AbilityName>`);
    else if (!abilityNames.has(m[1])) add(`formConfigAbility names ${m[1]}, which is not an ability of this module`);
  }
  if ((form.uiSyntax ?? 'hml') !== 'arkts') { add('is not an ArkTS card (uiSyntax "arkts")'); return; }
  if (typeof form.src !== 'string' || !form.src.endsWith('.ets')) { add('src must be the card page\'s .ets file'); return; }
  const page = path.join(srcMain, form.src);
  if (!fs.existsSync(page)) { add(`src ${form.src} does not exist`); return; }
  checkCardPage(page, findings, seen);
}

/** Checks every form ability of every module of a loaded project (see project.mjs loadProject). */
export function checkWidgets(project, findings) {
  for (const m of project.modules) {
    const mj = m.moduleJson?.module;
    if (!mj) continue;
    const srcMain = path.join(m.dir, 'src', 'main');
    const resDir = path.join(srcMain, 'resources');
    const abilityNames = new Set((mj.abilities ?? []).map((a) => a.name));
    const strings = new Set([...resourceNames(resDir, 'string'), ...resourceNames(path.join(project.root, 'AppScope', 'resources'), 'string')]);
    const seen = new Set();
    for (const ability of (mj.extensionAbilities ?? []).filter((a) => a.type === 'form')) {
      const moduleText = fs.readFileSync(m.moduleJsonPath, 'utf8');
      const at = lineOf(moduleText, `"${ability.name}"`);
      const meta = (ability.metadata ?? []).find((x) => x.name === FORM_METADATA);
      const profile = typeof meta?.resource === 'string' ? /^\$profile:(\w+)$/.exec(meta.resource) : null;
      if (!profile) {
        findings.add(m.moduleJsonPath, at.line, at.col, 'CFG-FORM', `form ability ${ability.name} needs metadata "${FORM_METADATA}" with resource "$profile:<name>"`);
        continue;
      }
      const file = path.join(resDir, 'base', 'profile', `${profile[1]}.json`);
      if (!fs.existsSync(file)) {
        findings.add(m.moduleJsonPath, at.line, at.col, 'CFG-FORM', `form ability ${ability.name}: profile ${profile[1]}.json does not exist`);
        continue;
      }
      const config = readJson5(file, findings);
      if (config === undefined) continue;
      const text = fs.readFileSync(file, 'utf8');
      const forms = Array.isArray(config.forms) ? config.forms : [];
      if (forms.length === 0) {
        findings.add(file, 1, 1, 'CFG-FORM', 'form_config has no "forms"');
        continue;
      }
      const names = forms.map((f) => f?.name);
      names.forEach((n, i) => {
        if (names.indexOf(n) !== i) findings.add(file, lineOf(text, `"${n}"`).line, 1, 'CFG-FORM', `form name "${n}" is used twice`);
      });
      if (forms.filter((f) => f?.isDefault === true).length !== 1) findings.add(file, 1, 1, 'CFG-FORM', 'exactly one form must have "isDefault": true');
      const ctx = { file, text, srcMain, abilityNames, strings };
      forms.forEach((form, i) => checkForm(form, i, ctx, findings, seen));
    }
  }
}

// `node tools/check/widgets.mjs [--root dir]`: the card checks alone (no type check), for quick runs
// and the check's own tests. `npm run check` runs them with everything else.
if (process.argv[1]?.endsWith('widgets.mjs')) {
  const { Findings, loadProject } = await import('./project.mjs');
  const args = process.argv.slice(2);
  const rootArg = args.indexOf('--root');
  const root = path.resolve(rootArg >= 0 ? args[rootArg + 1] : path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..'));
  const findings = new Findings();
  checkWidgets(loadProject(root, findings), findings);
  for (const f of findings.items) console.log(`${path.relative(process.cwd(), f.file)}:${f.line}:${f.col} ${f.code} ${f.message}`);
  console.log(`widgets: ${findings.items.length} error(s)`);
  process.exit(findings.items.length === 0 ? 0 : 1);
}
