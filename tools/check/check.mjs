#!/usr/bin/env node
// `npm run check`: the project's configs, resources and every .ets/.ts source of every module,
// checked as DevEco's build would (see docs/linux-check.md). Exit 1 on any finding.
import path from 'node:path';
import { Findings, loadProject, checkProject, walk } from './project.mjs';
import { checkArkTS } from './arkts.mjs';
import { checkWidgets } from './widgets.mjs';
import { importGraph } from './imports.mjs';
import { checkLayers } from './layers.mjs';
import { checkWorkers } from './workers.mjs';

export function runCheck(root) {
  const findings = new Findings();
  const project = loadProject(root, findings);
  checkProject(project, findings);
  checkWidgets(project, findings);
  const files = [];
  const localModules = new Map();
  for (const m of project.modules) {
    if (m.packageName && m.index) localModules.set(m.packageName, m.index);
    if (m.index) files.push(m.index);
    files.push(...walk(path.join(m.dir, 'src'), (p) => /\.(ets|ts)$/.test(p) && !p.endsWith('.d.ts')));
  }
  const sources = [...new Set(files)];
  const graph = importGraph(project, sources);
  checkLayers(project, graph, findings);
  checkWorkers(project, graph, findings);
  const { diagnostics } = checkArkTS({ files: sources, localModules });
  for (const d of diagnostics) findings.add(d.file, d.line, d.col, d.code, d.message);
  return { findings: findings.items, fileCount: new Set(files).size, moduleCount: project.modules.length };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('check.mjs')) {
  const args = process.argv.slice(2);
  const rootArg = args.indexOf('--root');
  const root = path.resolve(rootArg >= 0 ? args[rootArg + 1] : path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..'));
  const started = Date.now();
  const { findings, fileCount, moduleCount } = runCheck(root);
  for (const f of findings) console.log(`${path.relative(process.cwd(), f.file)}:${f.line}:${f.col} ${f.code} ${f.message}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`check: ${moduleCount} modules, ${fileCount} source files, ${findings.length} error(s) in ${secs}s`);
  process.exit(findings.length === 0 ? 0 : 1);
}
