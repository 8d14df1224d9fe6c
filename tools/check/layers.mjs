// The dependency direction of the HARs (docs/architecture.md) and the absence of import cycles,
// enforced on the import graph. A module's layer comes from where it lives:
//   common/core      core      pure logic and ports: only @kit.ArkTS and @kit.PerformanceAnalysisKit
//   common/platform  platform  adapters over @kit/@ohos: core only, nothing UI (the worker loads it)
//   common/ui        ui        observable UI state: core only
//   common/testing   testing   doubles and fixtures: only tests may import it
//   features/*       feature   pages and view models: core and ui, never platform
//   anything else    app       the HAP that wires it all
// Rules apply to shipped code (Index.ets and src/main); tests (src/test, src/ohosTest) may use testing.
import path from 'node:path';
import { isTestSource } from './imports.mjs';
import { isUiModule } from './ui-modules.mjs';

const CORE_PLATFORM_MODULES = new Set(['@kit.ArkTS', '@kit.PerformanceAnalysisKit']);

/** Which layers each layer's shipped code may import (its own included). */
const MAY_IMPORT = {
  core: new Set(['core']),
  platform: new Set(['core', 'platform']),
  ui: new Set(['core', 'ui']),
  testing: new Set(['core', 'ui', 'testing']),
  feature: new Set(['core', 'ui', 'feature']),
  app: new Set(['core', 'platform', 'ui', 'feature', 'app']),
};

const WHY = {
  core: 'core is pure logic and ports (docs/architecture.md): it runs in the worker, on the UI thread and on Node',
  platform: 'platform adapters implement core ports and are loaded by the quote worker, where UI code cannot run',
  ui: 'ui holds observable state over core; adapters are wired by the app',
  testing: 'test doubles ship only to tests',
  feature: 'features reach the platform only through ports the app wires in',
};

export function layerOf(module, root) {
  if (!module) return undefined;
  const rel = path.relative(root, module.dir).split(path.sep).join('/');
  if (rel === 'common/core') return 'core';
  if (rel === 'common/platform') return 'platform';
  if (rel === 'common/ui') return 'ui';
  if (rel === 'common/testing') return 'testing';
  if (rel.startsWith('features/')) return 'feature';
  return 'app';
}

/** LAYER-* findings for imports against the direction, IMPORT-CYCLE for cycles between files. */
export function checkLayers(project, graph, findings) {
  const root = project.root;
  for (const node of graph.nodes.values()) {
    if (isTestSource(node.module, node.file)) continue;
    const from = layerOf(node.module, root);
    if (!from) continue;
    for (const edge of node.edges) {
      const problem = layerProblem(from, edge, root);
      if (problem) findings.add(node.file, edge.line, edge.col, `LAYER-${from.toUpperCase()}`, problem);
    }
  }
  for (const cycle of importCycles(graph)) {
    const first = graph.nodes.get(cycle[0]);
    const edge = first.edges.find((e) => e.kind === 'file' && !e.typeOnly && e.target === cycle[1]);
    const chain = cycle.map((f) => path.relative(root, f)).join(' → ');
    findings.add(cycle[0], edge?.line ?? 1, edge?.col ?? 1, 'IMPORT-CYCLE',
      `import cycle: ${chain} (modules in a cycle load half-initialised; move the shared part into its own file)`);
  }
}

function layerProblem(from, edge, root) {
  if (edge.kind === 'file' && edge.viaModule) {
    const to = layerOf(edge.viaModule, root);
    if (!MAY_IMPORT[from].has(to)) {
      return `${from} code must not import ${edge.spec} (layer ${to}): ${WHY[to === 'testing' ? 'testing' : from] ?? ''}`;
    }
    return undefined;
  }
  if (edge.kind === 'platform') {
    if (from === 'core' && !CORE_PLATFORM_MODULES.has(edge.spec)) {
      return `core code may import only ${[...CORE_PLATFORM_MODULES].join(' and ')} from the platform, not ${edge.spec}: ` +
        'put the adapter in platform behind a port declared in core';
    }
    if (from === 'platform' && isUiModule(edge.spec) && !edge.typeOnly) {
      return `platform code must not import the UI module ${edge.spec}: ${WHY.platform}`;
    }
    return undefined;
  }
  if (edge.kind === 'package' && from === 'core') {
    return `core code must not import the package ${edge.spec}: put the adapter in platform behind a port declared in core`;
  }
  return undefined;
}

/** Every cycle between files (one per strongly connected component), as file lists closing on the first. */
export function importCycles(graph) {
  const succ = (file) => [...new Set((graph.nodes.get(file)?.edges ?? [])
    .filter((e) => e.kind === 'file' && !e.typeOnly && graph.nodes.has(e.target)).map((e) => e.target))];
  // Tarjan's strongly connected components, iteratively (deep chains must not overflow the stack).
  let next = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  for (const start of [...graph.nodes.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [{ file: start, children: succ(start), i: 0 }];
    index.set(start, next); low.set(start, next); next++;
    stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.children.length) {
        const child = top.children[top.i++];
        if (!index.has(child)) {
          index.set(child, next); low.set(child, next); next++;
          stack.push(child); onStack.add(child);
          work.push({ file: child, children: succ(child), i: 0 });
        } else if (onStack.has(child)) {
          low.set(top.file, Math.min(low.get(top.file), index.get(child)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].file;
        low.set(parent, Math.min(low.get(parent), low.get(top.file)));
      }
      if (low.get(top.file) === index.get(top.file)) {
        const component = [];
        let f;
        do {
          f = stack.pop();
          onStack.delete(f);
          component.push(f);
        } while (f !== top.file);
        const selfLoop = component.length === 1 && succ(component[0]).includes(component[0]);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cycleWithin(new Set(component), succ));
}

/** A shortest cycle through the component's first file (in sorted order), closing on it. */
function cycleWithin(members, succ) {
  const start = [...members].sort()[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const child of succ(file)) {
      if (!members.has(child)) continue;
      if (child === start) {
        const path = [start];
        for (let f = file; f !== start; f = previous.get(f)) path.splice(1, 0, f);
        return [...path, start];
      }
      if (!previous.has(child)) {
        previous.set(child, file);
        queue.push(child);
      }
    }
  }
  return [start, start];
}
