// Reads a HarmonyOS multi-module project (root build-profile, module configs, resources) and
// cross-checks it the way DevEco's build would reject it, before any code is compiled.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const JSON5 = require('json5');

const SKIP_DIRS = new Set(['node_modules', 'oh_modules', 'build', '.hvigor', '.preview', '.git', 'fixtures']);
const RESOURCE_TYPES = ['string', 'color', 'float', 'boolean', 'integer', 'plural', 'strarray', 'intarray', 'pattern'];
const LOCALES = ['en_US', 'zh_CN'];

export class Findings {
  constructor() { this.items = []; }
  add(file, line, col, code, message) { this.items.push({ file, line, col, code, message }); }
}

export function readJson5(file, findings) {
  try {
    return JSON5.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const m = /at (\d+):(\d+)/.exec(String(e.message));
    findings.add(file, m ? Number(m[1]) : 1, m ? Number(m[2]) : 1, 'CFG-JSON5', `cannot parse: ${e.message}`);
    return undefined;
  }
}

export function walk(dir, accept, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, accept, out);
    else if (accept(p)) out.push(p);
  }
  return out;
}

function lineOf(text, needle) {
  const i = text.indexOf(needle);
  if (i < 0) return { line: 1, col: 1 };
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** Loads the module list and per-module metadata. */
export function loadProject(root, findings) {
  const rootProfilePath = path.join(root, 'build-profile.json5');
  const rootProfile = readJson5(rootProfilePath, findings);
  const modules = [];
  if (!rootProfile) return { root, modules };
  for (const m of rootProfile.modules ?? []) {
    const dir = path.resolve(root, m.srcPath ?? '');
    const mod = { name: m.name, dir, srcPath: m.srcPath, packageName: undefined, type: undefined, deps: [], index: undefined };
    const text = fs.readFileSync(rootProfilePath, 'utf8');
    const at = lineOf(text, `"${m.name}"`);
    const moduleJsonPath = path.join(dir, 'src', 'main', 'module.json5');
    if (!fs.existsSync(dir)) {
      findings.add(rootProfilePath, at.line, at.col, 'CFG-MODULE', `module '${m.name}': srcPath ${m.srcPath} does not exist`);
      continue;
    }
    if (!fs.existsSync(moduleJsonPath)) {
      findings.add(rootProfilePath, at.line, at.col, 'CFG-MODULE', `module '${m.name}': ${path.relative(root, moduleJsonPath)} is missing`);
      continue;
    }
    const moduleJson = readJson5(moduleJsonPath, findings);
    mod.moduleJson = moduleJson;
    mod.moduleJsonPath = moduleJsonPath;
    mod.type = moduleJson?.module?.type;
    if (moduleJson?.module?.name !== m.name) {
      findings.add(moduleJsonPath, 1, 1, 'CFG-MODULE', `module.json5 name '${moduleJson?.module?.name}' differs from root build-profile name '${m.name}'`);
    }
    for (const f of ['build-profile.json5', 'hvigorfile.ts', 'oh-package.json5']) {
      if (!fs.existsSync(path.join(dir, f))) findings.add(path.join(dir, f), 1, 1, 'CFG-MODULE', `module '${m.name}' lacks ${f}`);
    }
    const pkgPath = path.join(dir, 'oh-package.json5');
    if (fs.existsSync(pkgPath)) {
      const pkg = readJson5(pkgPath, findings);
      mod.packageName = pkg?.name;
      mod.pkgPath = pkgPath;
      mod.pkg = pkg;
      const main = pkg?.main || 'Index.ets';
      if (mod.type === 'har' || mod.type === 'shared') {
        const index = path.join(dir, main);
        if (!fs.existsSync(index)) findings.add(pkgPath, 1, 1, 'CFG-MODULE', `HAR '${m.name}' main file ${main} does not exist`);
        else mod.index = index;
      }
      for (const [dep, spec] of Object.entries(pkg?.dependencies ?? {})) {
        if (typeof spec === 'string' && spec.startsWith('file:')) {
          const depDir = path.resolve(dir, spec.slice(5));
          const t = lineOf(fs.readFileSync(pkgPath, 'utf8'), dep);
          if (!fs.existsSync(path.join(depDir, 'oh-package.json5'))) {
            findings.add(pkgPath, t.line, t.col, 'CFG-DEP', `dependency '${dep}' points at ${spec}, which has no oh-package.json5`);
          } else {
            mod.deps.push(depDir);
          }
        }
      }
    }
    const profilePath = path.join(dir, 'build-profile.json5');
    if (fs.existsSync(profilePath)) mod.buildProfile = readJson5(profilePath, findings);
    mod.buildProfilePath = profilePath;
    modules.push(mod);
  }
  // every module folder in the tree must be listed in the root build-profile
  const listed = new Set(modules.map((m) => path.resolve(m.dir)));
  for (const mj of walk(root, (p) => p.endsWith(path.join('src', 'main', 'module.json5')))) {
    const dir = path.resolve(path.dirname(path.dirname(path.dirname(mj))));
    if (!listed.has(dir) && !(rootProfile.modules ?? []).some((m) => path.resolve(root, m.srcPath ?? '') === dir)) {
      findings.add(mj, 1, 1, 'CFG-MODULE', `module folder ${path.relative(root, dir)} is not listed in the root build-profile.json5`);
    }
  }
  return { root, modules, rootProfile };
}

/** Resource tables: module dir -> { type -> Set(name) }, from resources/base, plus locale checks. */
function resourceTable(resDir) {
  const table = new Map();
  for (const t of [...RESOURCE_TYPES, 'media', 'profile']) table.set(t, new Set());
  const base = path.join(resDir, 'base');
  const elementDir = path.join(base, 'element');
  if (fs.existsSync(elementDir)) {
    for (const f of fs.readdirSync(elementDir)) {
      if (!f.endsWith('.json')) continue;
      let json;
      try { json = JSON.parse(fs.readFileSync(path.join(elementDir, f), 'utf8')); } catch { continue; }
      for (const t of RESOURCE_TYPES) for (const item of json[t] ?? []) table.get(t).add(item.name);
    }
  }
  for (const kind of ['media', 'profile']) {
    const d = path.join(base, kind);
    if (fs.existsSync(d)) for (const f of fs.readdirSync(d)) table.get(kind).add(f.replace(/\.[^.]+$/, ''));
  }
  return table;
}

function checkLocales(resDir, findings) {
  const baseStrings = path.join(resDir, 'base', 'element', 'string.json');
  if (!fs.existsSync(baseStrings)) return;
  let base;
  try { base = JSON.parse(fs.readFileSync(baseStrings, 'utf8')); } catch (e) {
    findings.add(baseStrings, 1, 1, 'CFG-JSON', `cannot parse: ${e.message}`);
    return;
  }
  for (const locale of LOCALES) {
    const p = path.join(resDir, locale, 'element', 'string.json');
    let names = new Set();
    if (fs.existsSync(p)) {
      try { names = new Set((JSON.parse(fs.readFileSync(p, 'utf8')).string ?? []).map((s) => s.name)); } catch (e) {
        findings.add(p, 1, 1, 'CFG-JSON', `cannot parse: ${e.message}`);
      }
    }
    const text = fs.readFileSync(baseStrings, 'utf8');
    for (const s of base.string ?? []) {
      if (!names.has(s.name)) {
        const at = lineOf(text, `"${s.name}"`);
        findings.add(baseStrings, at.line, at.col, 'RES-LOCALE', `string '${s.name}' has no ${locale} value (${path.relative(path.dirname(resDir), p)})`);
      }
    }
  }
}

function depClosure(mod, byDir) {
  const seen = new Set();
  const order = [];
  const visit = (m) => {
    if (!m || seen.has(m.dir)) return;
    seen.add(m.dir);
    order.push(m);
    for (const d of m.deps) visit(byDir.get(path.resolve(d)));
  };
  visit(mod);
  return order;
}

export function checkProject(project, findings) {
  const { root, modules } = project;
  const byDir = new Map(modules.map((m) => [path.resolve(m.dir), m]));
  const appScopeRes = path.join(root, 'AppScope', 'resources');
  const appTable = resourceTable(appScopeRes);
  checkLocales(appScopeRes, findings);
  const appJson = path.join(root, 'AppScope', 'app.json5');
  if (!fs.existsSync(appJson)) findings.add(appJson, 1, 1, 'CFG-APP', 'AppScope/app.json5 is missing');
  else checkRefsInJson(appJson, [appTable], findings);
  const tables = new Map();
  for (const m of modules) {
    const resDir = path.join(m.dir, 'src', 'main', 'resources');
    tables.set(m.dir, resourceTable(resDir));
    checkLocales(resDir, findings);
  }
  for (const m of modules) {
    const visible = [...depClosure(m, byDir).map((d) => tables.get(d.dir)), appTable];
    const mj = m.moduleJson?.module;
    if (mj) {
      checkRefsInJson(m.moduleJsonPath, visible, findings);
      const srcMain = path.join(m.dir, 'src', 'main');
      const pages = typeof mj.pages === 'string' ? mj.pages.replace('$profile:', '') : undefined;
      if (pages) {
        const p = path.join(srcMain, 'resources', 'base', 'profile', `${pages}.json`);
        if (fs.existsSync(p)) {
          const json = JSON.parse(fs.readFileSync(p, 'utf8'));
          for (const src of json.src ?? []) {
            if (!fs.existsSync(path.join(srcMain, 'ets', `${src}.ets`))) {
              findings.add(p, lineOf(fs.readFileSync(p, 'utf8'), src).line, 1, 'CFG-PAGE', `page '${src}' has no file ets/${src}.ets`);
            }
          }
        }
      }
      const routerMap = typeof mj.routerMap === 'string' ? mj.routerMap.replace('$profile:', '') : undefined;
      if (routerMap) {
        const p = path.join(srcMain, 'resources', 'base', 'profile', `${routerMap}.json`);
        if (fs.existsSync(p)) {
          const text = fs.readFileSync(p, 'utf8');
          for (const r of JSON.parse(text).routerMap ?? []) {
            const file = path.join(m.dir, r.pageSourceFile ?? '');
            const at = lineOf(text, r.name);
            if (!fs.existsSync(file)) findings.add(p, at.line, at.col, 'CFG-ROUTE', `route '${r.name}': ${r.pageSourceFile} does not exist`);
            else if (!new RegExp(`export\\s+function\\s+${r.buildFunction}\\b`).test(fs.readFileSync(file, 'utf8'))) {
              findings.add(p, at.line, at.col, 'CFG-ROUTE', `route '${r.name}': ${r.pageSourceFile} exports no builder ${r.buildFunction}`);
            }
          }
        }
      }
      for (const a of [...(mj.abilities ?? []), ...(mj.extensionAbilities ?? [])]) {
        if (a.srcEntry && !fs.existsSync(path.join(srcMain, a.srcEntry))) {
          findings.add(m.moduleJsonPath, 1, 1, 'CFG-ABILITY', `ability '${a.name}': srcEntry ${a.srcEntry} does not exist`);
        }
      }
    }
    for (const w of m.buildProfile?.buildOption?.sourceOption?.workers ?? []) {
      if (!fs.existsSync(path.join(m.dir, w))) findings.add(m.buildProfilePath, 1, 1, 'CFG-WORKER', `worker ${w} does not exist`);
    }
    // $r / $rawfile references in code
    for (const file of walk(path.join(m.dir, 'src'), (p) => p.endsWith('.ets')).concat(m.index ? [m.index] : [])) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\$r\(\s*'app\.(\w+)\.(\w+)'\s*\)/g)) {
        const [, type, name] = match;
        if (!visible.some((t) => t.get(type)?.has(name))) {
          const before = text.slice(0, match.index).split('\n');
          findings.add(file, before.length, before[before.length - 1].length + 1, 'RES-MISSING', `resource app.${type}.${name} does not exist in base resources of module '${m.name}', its dependencies or AppScope`);
        }
      }
      for (const match of text.matchAll(/\$r\(\s*'(?!app\.|sys\.)([^']*)'\s*\)/g)) {
        const before = text.slice(0, match.index).split('\n');
        findings.add(file, before.length, before[before.length - 1].length + 1, 'RES-FORM', `resource reference '${match[1]}' is not of the form app.<type>.<name>`);
      }
    }
  }
}

function checkRefsInJson(file, tables, findings) {
  const text = fs.readFileSync(file, 'utf8');
  for (const match of text.matchAll(/"\$(string|media|color|profile|float|boolean|integer):(\w+)"/g)) {
    const [, type, name] = match;
    if (!tables.some((t) => t.get(type)?.has(name))) {
      const before = text.slice(0, match.index).split('\n');
      findings.add(file, before.length, before[before.length - 1].length + 1, 'RES-MISSING', `resource $${type}:${name} does not exist`);
    }
  }
}
