// The test kit (tools/testkit, TypeScript) for the bench scripts: bundled once into the bench cache
// with tools/node/bundle.mjs, then imported.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, cacheDir, projectRoot } from '../node/bundle.mjs';

/** The kit's exports (brokers, freePort, waits, track/stop of child processes). */
export async function loadKit() {
  const dir = cacheDir('bench');
  fs.mkdirSync(dir, { recursive: true });
  const out = await bundleForNode(path.join(projectRoot, 'tools', 'testkit', 'index.ts'), path.join(dir, 'testkit.mjs'));
  return import(pathToFileURL(out).href);
}
