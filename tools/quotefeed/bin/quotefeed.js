#!/usr/bin/env node
// quotefeed launcher: bundles tools/quotefeed/src/main.ts (with tools/node/bundle.mjs, so the CLI
// can use the app's ArkTS code from `common`) into node_modules/.cache/quotefeed, rebuilding only
// when a source is newer than the bundle, then runs it. Works from any cwd and via npx / npm exec.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..', '..', '..');
const entry = path.join(root, 'tools', 'quotefeed', 'src', 'main.ts');
// Everything the bundle can be built from: our sources, the app's HARs under common/, the Node
// doubles, the test kit (the embedded broker) and the module list in the root build-profile.
const watched = [
  path.join(root, 'tools', 'quotefeed', 'src'),
  path.join(root, 'common'),
  path.join(root, 'tools', 'node'),
  path.join(root, 'tools', 'testkit'),
  path.join(root, 'build-profile.json5'),
  __filename,
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    // A directory's own mtime changes when files are added, removed or renamed.
    for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

function cacheDirs() {
  const hash = crypto.createHash('sha1').update(root).digest('hex').slice(0, 10);
  const user = typeof os.userInfo === 'function' ? (() => { try { return os.userInfo().username; } catch { return 'user'; } })() : 'user';
  return [path.join(root, 'node_modules', '.cache', 'quotefeed'), path.join(os.tmpdir(), `quotefeed-${user}-${hash}`)];
}

async function build(outfile) {
  const { bundleForNode } = await import(pathToFileURL(path.join(root, 'tools', 'node', 'bundle.mjs')).href);
  // Build beside the target and rename: concurrent launches never see a half-written bundle.
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp.mjs`;
  try {
    await bundleForNode(entry, tmp);
    fs.renameSync(tmp, outfile);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

async function main() {
  process.env.QUOTEFEED_ROOT = process.env.QUOTEFEED_ROOT || root;
  const sourcesAt = Math.max(...watched.map(newestMtime));
  let outfile;
  let lastError;
  for (const dir of cacheDirs()) {
    const candidate = path.join(dir, 'main.mjs');
    try {
      const builtAt = fs.existsSync(candidate) ? fs.statSync(candidate).mtimeMs : 0;
      if (builtAt < sourcesAt) {
        fs.mkdirSync(dir, { recursive: true });
        await build(candidate);
      }
      outfile = candidate;
      break;
    } catch (e) {
      lastError = e;
      // esbuild reports compile errors itself; only an unwritable cache is worth another try.
      if (!e || !['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(e.code)) break;
    }
  }
  if (!outfile) {
    const msg = lastError && lastError.message ? lastError.message.split('\n')[0] : String(lastError);
    process.stderr.write(`quotefeed: cannot build the CLI: ${msg}\n`);
    process.exit(1);
  }
  await import(pathToFileURL(outfile).href);
}

main().catch((e) => {
  process.stderr.write(`quotefeed: ${e && e.message ? e.message.split('\n')[0] : e}\n`);
  process.exit(1);
});
