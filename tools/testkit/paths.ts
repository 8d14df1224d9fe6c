// Where the project is, from any working directory inside it (test bundles run from a cache folder).
import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The folder of the QuoteDeck package.json above the working directory. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = process.cwd();
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'quotedeck') {
      root = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('run this from inside the QuoteDeck project');
    dir = parent;
  }
}

/** A path inside the project, e.g. projectPath('tools', 'quotefeed', 'bin', 'quotefeed.js'). */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
