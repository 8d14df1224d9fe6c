// Type-checks and ArkTS-lints .ets/.ts sources the way the ArkTS compiler front end does (API 12):
// ohos-typescript with ArkUI-aware parsing, then the ArkTS 1.1 strict linter on a builder program.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('ohos-typescript');

const toolsDir = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const projectRoot = path.dirname(toolsDir);
const sdkDir = path.join(projectRoot, 'node_modules', '@arkts', 'declarations', 'dist');
const hypiumDir = path.join(projectRoot, 'node_modules', '@ohos', 'hypium');
// Declarations of our own for ohpm packages that npm does not carry (used only by this check).
const ownTypesDir = path.join(toolsDir, 'types');

const NOT_COMPONENTS = new Set(['ForEach', 'LazyForEach', 'Repeat']);

export function componentDeclarations() {
  const dir = path.join(sdkDir, 'component');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.d.ts')).map((f) => path.join(dir, f));
  const components = new Set();
  const instances = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/declare const (\w+)\s*:\s*(\w+)Interface\s*;/g)) {
      if (!NOT_COMPONENTS.has(m[1])) components.add(m[1]);
    }
    for (const m of text.matchAll(/declare const (\w+)Instance\s*:\s*(\w+)Attribute\s*;/g)) {
      instances.push({ name: m[1], type: `${m[2]}Attribute`, instance: `${m[1]}Instance` });
    }
  }
  return { files, components: [...components].sort(), instances };
}

/** The `ets` compiler options the ArkUI compiler sets (also what parsing a struct needs). */
export function etsOptions(components, instances) {
  return {
    render: { method: ['build', 'pageTransition'], decorator: ['LocalBuilder', 'Builder'] },
    components,
    extend: { decorator: ['Extend', 'AnimatableExtend'], components: instances },
    styles: {
      decorator: 'Styles',
      component: { name: 'Common', type: 'T', instance: 'CommonInstance' },
      property: 'stateStyles',
    },
    concurrent: { decorator: 'Concurrent' },
    customComponent: 'CustomComponent',
    syntaxComponents: {
      paramsUICallback: ['ForEach', 'LazyForEach'],
      attrUICallback: [{ name: 'Repeat', attributes: ['each', 'template'] }],
    },
    propertyDecorators: [
      { name: 'Link', needInitialization: false },
      { name: 'Prop', needInitialization: false },
      { name: 'ObjectLink', needInitialization: false },
      { name: 'Consume', needInitialization: false },
    ],
    emitDecorators: [
      { name: 'Entry', emitParameters: true },
      { name: 'Component', emitParameters: false },
      { name: 'ComponentV2', emitParameters: false },
      { name: 'Reusable', emitParameters: false },
      { name: 'CustomDialog', emitParameters: false },
      { name: 'Consumable', emitParameters: false },
    ],
  };
}

function sdkPaths() {
  const base = JSON.parse(fs.readFileSync(path.join(sdkDir, 'tsconfig.base.json'), 'utf8'));
  const map = new Map();
  for (const [name, targets] of Object.entries(base.compilerOptions.paths)) {
    map.set(name, path.join(sdkDir, targets[0]));
  }
  return map;
}

/**
 * @param {object} opts
 * @param {string[]} opts.files project files to check (absolute)
 * @param {Map<string,string>} opts.localModules ohpm package name -> absolute Index.ets path
 * @returns {{diagnostics: {file:string,line:number,col:number,code:string,message:string}[]}}
 */
export function checkArkTS({ files, localModules }) {
  const { files: componentFiles, components, instances } = componentDeclarations();
  const ownTypes = fs.existsSync(ownTypesDir)
    ? fs.readdirSync(ownTypesDir, { recursive: true }).filter((f) => String(f).endsWith('.d.ts'))
        .map((f) => path.join(ownTypesDir, String(f)))
    : [];
  const paths = sdkPaths();
  const ownModules = new Map();
  for (const f of ownTypes) {
    const text = fs.readFileSync(f, 'utf8');
    const m = text.match(/^\/\/ module: (\S+)/m);
    if (m) ownModules.set(m[1], f);
  }
  const rootNames = [path.join(sdkDir, 'global.d.ts'), ...componentFiles, ...files];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arkts-check-'));
  const options = {
    target: ts.ScriptTarget.ES2021,
    lib: ['lib.es2021.d.ts'],
    module: ts.ModuleKind.ES2020,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    experimentalDecorators: true,
    emitDecoratorMetadata: false,
    allowJs: false,
    noEmit: true,
    skipLibCheck: true,
    alwaysStrict: true,
    strict: true,
    noImplicitAny: false,
    noImplicitReturns: true,
    noUnusedLocals: false,
    allowArbitraryExtensions: true,
    incremental: true,
    tsBuildInfoFile: path.join(tmp, 'check.tsbuildinfo'),
    packageManagerType: 'ohpm',
    compatibleSdkVersion: 12,
    needDoArkTsLinter: true,
    isCompatibleVersion: false,
    ets: etsOptions(components, instances),
  };

  const versions = new Map();
  const resolveOne = (name, containingFile) => {
    let target;
    if (name.startsWith('@kit.')) target = path.join(sdkDir, 'kits', `${name}.d.ets`);
    else if (paths.has(name)) target = paths.get(name);
    else if (name === '@ohos/hypium') target = path.join(hypiumDir, 'index.d.ts');
    else if (ownModules.has(name)) target = ownModules.get(name);
    else if (localModules.has(name)) target = localModules.get(name);
    if (target && fs.existsSync(target)) {
      return { resolvedFileName: target, extension: extOf(target), isExternalLibraryImport: false };
    }
    const r = ts.resolveModuleName(name, containingFile, options, ts.sys);
    if (r.resolvedModule) return r.resolvedModule;
    for (const ext of ['.ets', '.ts', '.d.ts', '.d.ets']) {
      if (name.startsWith('.')) {
        const p = path.resolve(path.dirname(containingFile), name + ext);
        if (fs.existsSync(p)) return { resolvedFileName: p, extension: extOf(p), isExternalLibraryImport: false };
      }
    }
    return undefined;
  };
  const host = {
    getScriptFileNames: () => rootNames,
    getScriptVersion: (f) => String(versions.get(f) ?? 0),
    getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
    getCurrentDirectory: () => process.cwd(),
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    resolveModuleNames: (names, containingFile) => names.map((n) => resolveOne(n, containingFile)),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const builder = service.getBuilderProgram(true);
  const program = builder.getProgram();
  const own = new Set(files.map((f) => path.resolve(f)));
  const out = [];
  const push = (d, source) => {
    if (!d.file || !own.has(path.resolve(d.file.fileName))) return;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    out.push({
      file: d.file.fileName,
      line: line + 1,
      col: character + 1,
      code: source === 'lint' ? `arkts(${d.code})` : `TS${d.code}`,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
    });
  };
  for (const d of program.getConfigFileParsingDiagnostics()) push(d, 'ts');
  for (const d of program.getOptionsDiagnostics()) push(d, 'ts');
  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (!sf) {
      out.push({ file: f, line: 1, col: 1, code: 'CHECK', message: 'file was not part of the program' });
      continue;
    }
    for (const d of program.getSyntacticDiagnostics(sf)) push(d, 'ts');
    for (const d of program.getSemanticDiagnostics(sf)) push(d, 'ts');
  }
  const lint = ts.ArkTSLinter_1_1.runArkTSLinter(builder, undefined, undefined, 'ArkTS_1_1');
  for (const d of lint) {
    if (d.file && d.file.fileName.endsWith('.ets')) push(d, 'lint');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { diagnostics: out };
}

function extOf(p) {
  if (p.endsWith('.d.ets')) return '.d.ets';
  if (p.endsWith('.d.ts')) return '.d.ts';
  if (p.endsWith('.ets')) return '.ets';
  return '.ts';
}
