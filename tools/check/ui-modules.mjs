// Which platform modules are UI-only: `@kit.ArkUI`, every module it re-exports (read from the SDK's
// kit file, so the list follows the SDK) and `@ohos.arkui.*`. None of them loads in a worker thread.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const kitFile = path.join(projectRoot, 'node_modules', '@arkts', 'declarations', 'dist', 'kits', '@kit.ArkUI.d.ets');

let uiModules;

export function isUiModule(name) {
  if (uiModules === undefined) {
    uiModules = new Set(['@kit.ArkUI']);
    for (const m of fs.readFileSync(kitFile, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)) uiModules.add(m[1]);
  }
  return uiModules.has(name) || name.startsWith('@ohos.arkui.');
}
