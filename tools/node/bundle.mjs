// Bundles ArkTS (.ets without UI structs) for Node with esbuild. Platform modules resolve to the
// Node doubles under tools/node (documented there), our ohpm modules to their Index.ets.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '..', '..');

/** A folder for bundles inside the project, so that bare imports (mqtt, aedes) resolve from it. */
export function cacheDir(prefix) {
  const base = path.join(projectRoot, 'node_modules', '.cache', 'quotedeck');
  fs.mkdirSync(base, { recursive: true });
  return path.join(base, prefix);
}

const LOCAL_PACKAGES = {
  '@quotedeck/common': 'common/Index.ets',
  '@quotedeck/watchlist': 'features/watchlist/Index.ets',
  '@quotedeck/chart': 'features/chart/Index.ets',
  '@quotedeck/alerts': 'features/alerts/Index.ets',
  '@quotedeck/settings': 'features/settings/Index.ets',
};

function platformPlugin() {
  return {
    name: 'harmony-platform',
    setup(build) {
      build.onResolve({ filter: /^@kit\.|^@ohos\./ }, (args) => {
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
      build.onResolve({ filter: /^@ohos\/mqtt$/ }, () => ({ path: path.join(here, 'ohos-mqtt', 'index.ts') }));
      build.onResolve({ filter: /^@quotedeck\// }, (args) => {
        const rel = LOCAL_PACKAGES[args.path];
        return rel ? { path: path.join(projectRoot, rel) } : undefined;
      });
    },
  };
}

/** Bundles `entry` (a file path) into `outfile` as an ES module for Node. */
export async function bundleForNode(entry, outfile) {
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
    inject: [path.join(here, 'arkui-globals.ts')],
    plugins: [platformPlugin()],
  });
  return outfile;
}
