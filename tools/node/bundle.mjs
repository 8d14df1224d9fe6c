// Bundles ArkTS (.ets without UI structs) for Node with esbuild. Platform modules resolve to the
// Node doubles under tools/node (documented there), our ohpm modules to their Index.ets.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import JSON5 from 'json5';
import { isUiModule } from '../check/ui-modules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '..', '..');

/** A folder for bundles inside the project, so that bare imports (mqtt, aedes) resolve from it. */
export function cacheDir(prefix) {
  const base = path.join(projectRoot, 'node_modules', '.cache', 'quotedeck');
  fs.mkdirSync(base, { recursive: true });
  return path.join(base, prefix);
}

/** Our own ohpm modules, read from the root build-profile: package name -> Index.ets. */
export function localModules() {
  const profile = JSON5.parse(fs.readFileSync(path.join(projectRoot, 'build-profile.json5'), 'utf8'));
  const out = new Map();
  for (const m of profile.modules ?? []) {
    const dir = path.join(projectRoot, m.srcPath);
    const pkg = JSON5.parse(fs.readFileSync(path.join(dir, 'oh-package.json5'), 'utf8'));
    out.set(pkg.name, { name: m.name, dir, index: path.join(dir, pkg.main || 'Index.ets') });
  }
  return out;
}
const LOCAL_PACKAGES = localModules();

function platformPlugin(thread) {
  return {
    name: 'harmony-platform',
    setup(build) {
      build.onResolve({ filter: /^@kit\.|^@ohos\./ }, (args) => {
        if (thread === 'worker' && isUiModule(args.path)) return { path: args.path, namespace: 'ui-only-module' };
        const file = path.join(here, 'kits', `${args.path}.ts`);
        if (!fs.existsSync(file)) return { path: args.path, namespace: 'unavailable-kit' };
        return { path: file };
      });
      // Platform modules without a Node double (device-only adapters): importing them is fine,
      // using them throws a clear error, so a test can never silently run against nothing.
      build.onLoad({ filter: /.*/, namespace: 'unavailable-kit' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(path.join(here, 'unavailable-kit.cjs'))})(${JSON.stringify(args.path)});`,
        loader: 'js',
        resolveDir: here,
      }));
      // A worker thread has no ArkUI: a UI module fails while the worker loads, as on a phone.
      build.onLoad({ filter: /.*/, namespace: 'ui-only-module' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} cannot be loaded in a worker thread: UI modules exist only on the UI thread`)});`,
        loader: 'js',
      }));
      // QUOTEDECK_OHOS_MQTT=paho: the double over the real paho.mqtt.c instead of the mqtt.js emulation.
      const mqttDouble = { emulation: 'ohos-mqtt', paho: 'ohos-mqtt-paho' }[process.env.QUOTEDECK_OHOS_MQTT || 'emulation'];
      if (mqttDouble === undefined) throw new Error(`QUOTEDECK_OHOS_MQTT=${process.env.QUOTEDECK_OHOS_MQTT}: expected emulation or paho`);
      build.onResolve({ filter: /^@ohos\/mqtt$/ }, () => ({ path: path.join(here, mqttDouble, 'index.ts') }));
      build.onResolve({ filter: /^@quotedeck\// }, (args) => {
        const local = LOCAL_PACKAGES.get(args.path);
        return local && fs.existsSync(local.index) ? { path: local.index } : undefined;
      });
    },
  };
}

/**
 * Bundles `entry` (a file path) into `outfile` as an ES module for Node. `thread: 'ui'` (the
 * default) is code that runs on the UI thread: the ArkUI globals are injected (arkui-globals.ts).
 * `thread: 'worker'` is a worker entry: no ArkUI at all, as in a worker thread on a phone, so a
 * UI decorator or AppStorage reached through its imports throws a ReferenceError while it loads
 * and a UI module fails to load.
 */
export async function bundleForNode(entry, outfile, { thread = 'ui' } = {}) {
  if (thread !== 'ui' && thread !== 'worker') throw new Error(`bundleForNode: thread must be 'ui' or 'worker', not ${thread}`);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'error',
    loader: { '.ets': 'ts' },
    resolveExtensions: ['.ets', '.ts', '.mjs', '.js'],
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    external: ['mqtt', 'aedes', 'json5'],
    banner: { js: "import { createRequire as __qdCreateRequire } from 'node:module'; const require = __qdCreateRequire(import.meta.url);" },
    inject: thread === 'ui' ? [path.join(here, 'arkui-globals.ts')] : [],
    plugins: [platformPlugin(thread)],
  });
  return outfile;
}
