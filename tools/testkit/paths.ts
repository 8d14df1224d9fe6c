// Where the project is: above this code (test and bench bundles live in the project's
// node_modules/.cache) or above the working directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function findFrom(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'quotedeck') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The folder of the QuoteDeck package.json. */
export function projectRoot(): string {
  root ??= findFrom(path.dirname(fileURLToPath(import.meta.url))) ?? findFrom(process.cwd());
  if (root === undefined) throw new Error('cannot find the QuoteDeck project: run this from inside it');
  return root;
}

/** A path inside the project, e.g. projectPath('tools', 'quotefeed', 'bin', 'quotefeed.js'). */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
