// Node double of the part of @kit.CoreFileKit the app uses for client certificates
// (common/platform tls/): fileIo (@ohos.file.fs, API 12) statSync, readTextSync, accessSync,
// mkdirSync, copyFileSync, openSync, closeSync, unlinkSync, listFileSync over Node's fs, with the
// kit's error codes (13900001 not permitted, 13900002 no such file, 13900008 bad descriptor,
// 13900012 permission denied, 13900015 exists, 13900018 not a directory, 13900019 is a directory,
// 13900020 invalid argument, a bad path argument included; others 13900042 unknown), thrown as
// BusinessError-shaped errors. Only openSync takes a file:// URI (what the picker returns); the
// others take paths, as on the device. accessSync answers false only for a missing file; and picker.DocumentViewPicker, whose
// select() needs the system picker UI: on Node it throws (801), so nothing pretends a user chose a file.
// Sources: the SDK's @ohos.file.fs.d.ts and @ohos.file.picker.d.ts (API 12), the file
// management error codes (1390xxxx).
import fs from 'node:fs';
import { BusinessError } from './business-error';


const CODES: Record<string, number> = {
  EPERM: 13900001, ENOENT: 13900002, EBADF: 13900008, EACCES: 13900012, EEXIST: 13900015, ENOTDIR: 13900018,
  EISDIR: 13900019, EINVAL: 13900020,
};

function kit<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new BusinessError(CODES[code] ?? 13900042, (e as Error).message.split(',')[0]);
  }
}

function path(p: unknown, what = 'path'): string {
  if (typeof p !== 'string' || p.length === 0) throw new BusinessError(13900020, `Invalid argument: ${what}`);
  return p;
}

/** openSync's argument: a path, or a file:// URI (what the picker returns), which opens like its path. */
function pathOrUri(p: unknown): string {
  const text = path(p);
  return text.startsWith('file://') ? decodeURIComponent(new URL(text).pathname) : text;
}

const OpenMode = { READ_ONLY: 0o0, WRITE_ONLY: 0o1, READ_WRITE: 0o2, CREATE: 0o100, TRUNC: 0o1000 };

export const fileIo = {
  OpenMode,
  statSync: (p: string | number) => kit(() => {
    const s = typeof p === 'number' ? fs.fstatSync(p) : fs.statSync(path(p));
    return { size: s.size, mtime: Math.floor(s.mtimeMs / 1000), isFile: () => s.isFile(), isDirectory: () => s.isDirectory() };
  }),
  readTextSync: (p: string) => kit(() => fs.readFileSync(path(p), 'utf8')),
  accessSync: (p: string) => kit(() => {
    try {
      fs.accessSync(path(p));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }),
  mkdirSync: (p: string, recursion?: boolean) => kit(() => { fs.mkdirSync(path(p), { recursive: recursion === true }); }),
  copyFileSync: (src: string | number, dest: string | number) => kit(() => {
    if (typeof src === 'number' || typeof dest === 'number') {
      const data = fs.readFileSync(typeof src === 'number' ? src : path(src));
      fs.writeFileSync(typeof dest === 'number' ? dest : path(dest, 'dest'), data);
    } else {
      fs.copyFileSync(path(src), path(dest, 'dest'));
    }
  }),
  openSync: (p: string, mode?: number) => kit(() => ({ fd: fs.openSync(pathOrUri(p), mode ?? 0) })),
  closeSync: (file: number | { fd: number }) => kit(() => fs.closeSync(typeof file === 'number' ? file : file.fd)),
  unlinkSync: (p: string) => kit(() => fs.unlinkSync(path(p))),
  listFileSync: (p: string) => kit(() => fs.readdirSync(path(p))),
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
