// Node double of the part of @kit.CoreFileKit the app uses for client certificates
// (common/platform tls/): fileIo (@ohos.file.fs, API 12) statSync, readTextSync, accessSync,
// mkdirSync, copyFileSync, openSync, closeSync, unlinkSync over Node's fs, with the kit's error
// codes (13900002 no such file, 13900012 permission denied, 13900020 invalid argument; others
// 13900042 unknown), thrown as BusinessError-shaped errors; and picker.DocumentViewPicker, whose
// select() needs the system picker UI: on Node it throws (801), so nothing pretends a user chose a file.
// Sources: the SDK's @ohos.file.fs.d.ts and @ohos.file.picker.d.ts (API 12), the file
// management error codes (1390xxxx).
import fs from 'node:fs';
import { BusinessError } from './business-error';


const CODES: Record<string, number> = { ENOENT: 13900002, EACCES: 13900012, EPERM: 13900012, EINVAL: 13900020, EISDIR: 13900019, EEXIST: 13900015 };

function kit<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new BusinessError(CODES[code] ?? 13900042, (e as Error).message.split(',')[0]);
  }
}

function path(p: unknown, what = 'path'): string {
  if (typeof p !== 'string' || p.length === 0) throw new BusinessError(401, `invalid parameters: ${what} must be a string`);
  // a file:// URI (what the picker returns) opens like its path
  return p.startsWith('file://') ? decodeURIComponent(new URL(p).pathname) : p;
}

const OpenMode = { READ_ONLY: 0o0, WRITE_ONLY: 0o1, READ_WRITE: 0o2, CREATE: 0o100, TRUNC: 0o1000 };

export const fileIo = {
  OpenMode,
  statSync: (p: string | number) => kit(() => {
    const s = typeof p === 'number' ? fs.fstatSync(p) : fs.statSync(path(p));
    return { size: s.size, mtime: Math.floor(s.mtimeMs / 1000), isFile: () => s.isFile(), isDirectory: () => s.isDirectory() };
  }),
  readTextSync: (p: string) => kit(() => fs.readFileSync(path(p), 'utf8')),
  accessSync: (p: string) => kit(() => fs.existsSync(path(p))),
  mkdirSync: (p: string, recursion?: boolean) => kit(() => { fs.mkdirSync(path(p), { recursive: recursion === true }); }),
  copyFileSync: (src: string | number, dest: string | number) => kit(() => {
    if (typeof src === 'number' || typeof dest === 'number') {
      const data = fs.readFileSync(typeof src === 'number' ? src : path(src));
      fs.writeFileSync(typeof dest === 'number' ? dest : path(dest, 'dest'), data);
    } else {
      fs.copyFileSync(path(src), path(dest, 'dest'));
    }
  }),
  openSync: (p: string, mode?: number) => kit(() => ({ fd: fs.openSync(path(p), mode ?? 0) })),
  closeSync: (file: number | { fd: number }) => kit(() => fs.closeSync(typeof file === 'number' ? file : file.fd)),
  unlinkSync: (p: string) => kit(() => fs.unlinkSync(path(p))),
};

class DocumentSelectOptions {
  maxSelectNumber?: number;
  fileSuffixFilters?: string[];
}

class DocumentViewPicker {
  constructor(readonly context?: unknown) {}
  select(): Promise<string[]> {
    throw new BusinessError(801, 'picker.DocumentViewPicker.select needs the system picker UI: not available on Node');
  }
}

export const picker = { DocumentViewPicker, DocumentSelectOptions };
