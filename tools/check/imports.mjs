// The project's import graph, file by file: what each source file imports (resolved to a project
// file, one of our HARs, a platform module or an outside package) and what UI-only code it holds
// (UI and state-management decorators, structs, AppStorage & co.). The layering and worker rules
// (layers.mjs, workers.mjs) read it.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { componentDeclarations, etsOptions } from './arkts.mjs';

const require = createRequire(import.meta.url);
const ts = require('ohos-typescript');

/**
 * ArkUI decorators: component structure and state management V1/V2. They exist only on the UI
 * thread (ArkUI's state-management FAQ: a worker that loads a file using them throws
 * "ReferenceError: <name> is not defined"). @Concurrent and @Sendable are not among them.
 */
export const UI_DECORATORS = new Set([
  'Entry', 'Component', 'ComponentV2', 'Reusable', 'ReusableV2', 'CustomDialog', 'Preview',
  'State', 'Prop', 'Link', 'Provide', 'Consume', 'ObjectLink', 'Observed', 'Track', 'Watch',
  'StorageLink', 'StorageProp', 'LocalStorageLink', 'LocalStorageProp', 'Require',
  'Builder', 'BuilderParam', 'LocalBuilder', 'Styles', 'Extend', 'AnimatableExtend',
  'ObservedV2', 'Trace', 'Local', 'Param', 'Once', 'Event', 'Provider', 'Consumer', 'Monitor', 'Computed', 'Type',
]);

/** ArkUI's app-wide state globals (no import needed on the UI thread, absent in a worker). */
export const UI_GLOBALS = new Set(['AppStorage', 'AppStorageV2', 'LocalStorage', 'PersistentStorage', 'PersistenceV2', 'Environment']);

const PLATFORM_MODULE = /^@(kit|ohos|system|arkts)\./;

let parseOptionsCache;
function parseOptions() {
  if (parseOptionsCache === undefined) {
    const { components, instances } = componentDeclarations();
    parseOptionsCache = { ets: etsOptions(components, instances) };
  }
  return parseOptionsCache;
}

function position(sf, node) {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { line: line + 1, col: character + 1 };
}

/** True when `node` (an Identifier) is a value reference, not a property name or a declaration name. */
function isValueReference(node) {
  const p = node.parent;
  if (!p) return true;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && p.name === node) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) ||
    ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isClassDeclaration(p) ||
    ts.isInterfaceDeclaration(p) || ts.isVariableDeclaration(p) || ts.isParameter(p) ||
    ts.isFunctionDeclaration(p) || ts.isEnumMember(p)) && p.name === node) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  return true;
}

/** Imports (with position and whether they are type-only) and UI-only uses of one source file. */
export function scanFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2021, true, ts.ScriptKind.ETS, parseOptions());
  const imports = [];
  const ui = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : Boolean(node.isTypeOnly);
      imports.push({ spec: node.moduleSpecifier.text, typeOnly, ...position(sf, node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      imports.push({ spec: node.arguments[0].text, typeOnly: false, dynamic: true, ...position(sf, node) });
    } else if (ts.isDecorator(node)) {
      const e = ts.isCallExpression(node.expression) ? node.expression.expression : node.expression;
      if (ts.isIdentifier(e) && UI_DECORATORS.has(e.text)) ui.push({ what: `@${e.text}`, ...position(sf, node) });
    } else if (node.kind === ts.SyntaxKind.StructDeclaration) {
      ui.push({ what: `struct ${node.name?.text ?? ''}`.trim(), ...position(sf, node) });
    } else if (ts.isIdentifier(node) && UI_GLOBALS.has(node.text) && isValueReference(node)) {
      ui.push({ what: node.text, ...position(sf, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, ui };
}

function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, ...['.ets', '.ts', '.d.ets', '.d.ts'].map((e) => base + e), path.join(base, 'Index.ets')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * @param {{ modules: { name: string, dir: string, packageName?: string, index?: string }[] }} project
 * @param {string[]} files every source file of the project (absolute)
 * @returns {{ nodes: Map<string, { file: string, module: object | undefined, ui: object[], edges: object[] }>,
 *   moduleOf: (file: string) => object | undefined }}
 *   each edge: { spec, line, col, typeOnly, kind: 'file' | 'platform' | 'package' | 'unresolved', target, viaModule }
 */
export function importGraph(project, files) {
  const byPackage = new Map(project.modules.filter((m) => m.packageName).map((m) => [m.packageName, m]));
  const dirs = project.modules.map((m) => ({ m, dir: path.resolve(m.dir) + path.sep })).sort((a, b) => b.dir.length - a.dir.length);
  const moduleOf = (file) => dirs.find((d) => path.resolve(file).startsWith(d.dir))?.m;
  const nodes = new Map();
  for (const file of files) {
    const { imports, ui } = scanFile(file);
    const edges = imports.map((imp) => {
      if (imp.spec.startsWith('.')) {
        const target = resolveRelative(file, imp.spec);
        return { ...imp, kind: target ? 'file' : 'unresolved', target };
      }
      if (PLATFORM_MODULE.test(imp.spec)) return { ...imp, kind: 'platform', target: imp.spec };
      const local = byPackage.get(imp.spec);
      if (local && local.index) return { ...imp, kind: 'file', target: local.index, viaModule: local };
      return { ...imp, kind: 'package', target: imp.spec };
    });
    nodes.set(path.resolve(file), { file: path.resolve(file), module: moduleOf(file), ui, edges });
  }
  return { nodes, moduleOf };
}

/** `src/test` and `src/ohosTest` sources: test code, packaged only into test builds. */
export function isTestSource(module, file) {
  if (!module) return false;
  const rel = path.relative(module.dir, file).split(path.sep);
  return rel[0] === 'src' && (rel[1] === 'test' || rel[1] === 'ohosTest');
}
