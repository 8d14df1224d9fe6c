// A worker thread has no ArkUI: state-management and UI decorators, structs, AppStorage & co. and
// UI modules do not exist there. A worker that merely loads a file using them dies while loading
// ("ReferenceError: Trace is not defined"; ArkUI state-management FAQ, worker guide). So every file
// in the import closure of each worker entry (build-profile buildOption.sourceOption.workers) must
// be free of UI code. Type-only imports are erased by the compiler and are not followed.
import path from 'node:path';
import { isUiModule } from './ui-modules.mjs';

/**
 * WORKER-UI findings, one per file with UI code in a worker's closure, reported at the worker's
 * first import on the way and naming the whole chain.
 */
export function checkWorkers(project, graph, findings) {
  for (const m of project.modules) {
    for (const w of m.buildProfile?.buildOption?.sourceOption?.workers ?? []) {
      const entry = path.resolve(m.dir, w);
      if (graph.nodes.has(entry)) checkWorker(project.root, entry, graph, findings);
    }
  }
}

function checkWorker(root, entry, graph, findings) {
  const rel = (f) => path.relative(root, f);
  // Breadth first, so that each file is reached by a shortest chain of imports.
  const via = new Map([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift();
    const node = graph.nodes.get(file);
    const uses = node.ui.map((u) => ({ what: u.what, line: u.line }));
    for (const edge of node.edges) {
      if (edge.typeOnly) continue;
      if (edge.kind === 'platform' && isUiModule(edge.spec)) {
        uses.push({ what: `import of ${edge.spec}`, line: edge.line });
      } else if (edge.kind === 'file' && graph.nodes.has(edge.target) && !via.has(edge.target)) {
        via.set(edge.target, { from: file, edge });
        queue.push(edge.target);
      }
    }
    if (uses.length > 0) report(findings, entry, chainTo(file, via), `${rel(file)}: ${summary(uses)}`, rel);
  }
}

/** `@Trace (lines 12, 13, 14 and 5 more), AppStorageV2 (line 30)`: each kind of use once. */
function summary(uses) {
  const lines = new Map();
  for (const u of uses) lines.set(u.what, [...(lines.get(u.what) ?? []), u.line]);
  return [...lines].map(([what, at]) => {
    const shown = at.slice(0, 3).join(', ');
    const more = at.length > 3 ? ` and ${at.length - 3} more` : '';
    return `${what} (line${at.length > 1 ? 's' : ''} ${shown}${more})`;
  }).join(', ');
}

/** The imports that lead from the entry to `file`: [{ from, edge }], entry first. */
function chainTo(file, via) {
  const steps = [];
  for (let step = via.get(file); step !== undefined; step = via.get(step.from)) steps.unshift(step);
  return steps;
}

function report(findings, entry, chain, what, rel) {
  const first = chain[0]?.edge;
  const hops = chain.map((s) => (s.edge.viaModule ? `${s.edge.spec} (${rel(s.edge.target)})` : rel(s.edge.target)));
  const route = [rel(entry), ...hops].join(' → ');
  findings.add(entry, first?.line ?? 1, first?.col ?? 1, 'WORKER-UI',
    `worker ${rel(entry)} reaches UI-only code in ${what}, through ${route}. ` +
    'UI decorators, AppStorage and UI modules do not exist in a worker thread: it dies while loading');
}
