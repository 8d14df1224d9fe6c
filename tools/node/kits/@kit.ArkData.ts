// Node double of @kit.ArkData's `preferences` (API 12), strict like the platform so that the app's
// PreferencesKeyValueStore runs on Node unchanged. From OpenHarmony 5.0.0 distributeddatamgr_preferences
// (frameworks/js/napi: napi_preferences.cpp, common/napi_async_call.cpp) and interface_sdk-js
// api/@ohos.data.preferences.d.ts:
// - each promise call is queued as separate native async work (napi_queue_async_work_with_qos): calls
//   in flight together take effect in no particular order, and flush() writes whatever has taken
//   effect when it runs. The double runs the work of calls in flight together in a seeded shuffled
//   order (setPreferencesSeed), one call per macrotask;
// - get(key, defValue) answers the stored value of any type, else defValue itself (whatever its type);
//   a stored '' is answered as '';
// - argument errors THROW synchronously (napi_throw_error): an Error whose code is the string '401'
//   (a key over MAX_KEY_LENGTH = 1024 bytes, a value over MAX_VALUE_LENGTH = 16 MiB);
// - getPreferences returns the one cached instance per name; what was flushed survives
//   removePreferencesFromCache (a process restart, for tests), what was not is lost.
// relationalStore has no double: using it throws (RdbAlertHistory stays device-only).
import unavailableKit from '../unavailable-kit.cjs';

type ValueType = number | string | boolean | number[] | string[] | boolean[] | Uint8Array | object | bigint;

const MAX_KEY_LENGTH = 1024;
const MAX_VALUE_LENGTH = 16 * 1024 * 1024;

function paramError(message: string): Error {
  const e = new Error(`Parameter error. ${message}`) as Error & { code: string };
  e.code = '401'; // napi_throw_error sets the code as a string
  return e;
}

function checkKey(key: string): void {
  if (typeof key !== 'string') throw paramError('The key must be string.');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_LENGTH) throw paramError('The key must be less than 1024 bytes.');
}

function checkValue(value: ValueType): void {
  if (value === undefined || value === null) throw paramError('The type of value must be ValueType.');
  if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > MAX_VALUE_LENGTH) {
    throw paramError('The type of value must be less then 16 * 1024 * 1024 btyes.');
  }
}

/** mulberry32, so that a seed gives the same order on every run. */
let seed = 0x5eed;
function nextRandom(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** For tests: the order in which calls in flight together take effect. */
export function setPreferencesSeed(value: number): void {
  seed = value >>> 0;
}

/** Native async work waiting for a worker thread. */
const queued: Array<() => void> = [];
let draining = false;

function drainOne(): void {
  if (queued.length === 0) {
    draining = false;
    return;
  }
  const index = Math.floor(nextRandom() * queued.length);
  const [work] = queued.splice(index, 1);
  work();
  setImmediate(drainOne);
}

function asyncWork<T>(exec: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queued.push(() => {
      try {
        resolve(exec());
      } catch (e) {
        reject(e);
      }
    });
    if (!draining) {
      draining = true;
      setImmediate(drainOne);
    }
  });
}

function copyValue(value: ValueType): ValueType {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.slice() as ValueType;
  return value;
}

/** What each file holds on "disk" (the last flush), by preferences name. */
const disk = new Map<string, Map<string, ValueType>>();
/** The process's cached instances, by name. */
const cache = new Map<string, PreferencesDouble>();

class PreferencesDouble {
  private readonly name: string;
  private values: Map<string, ValueType>;

  constructor(name: string) {
    this.name = name;
    this.values = new Map(disk.get(name) ?? []);
  }

  get(key: string, defValue: ValueType): Promise<ValueType> {
    checkKey(key);
    return asyncWork(() => (this.values.has(key) ? copyValue(this.values.get(key) as ValueType) : defValue));
  }

  has(key: string): Promise<boolean> {
    checkKey(key);
    return asyncWork(() => this.values.has(key));
  }

  getAll(): Promise<Object> {
    return asyncWork(() => Object.fromEntries(Array.from(this.values.entries()).map(([k, v]) => [k, copyValue(v)])));
  }

  put(key: string, value: ValueType): Promise<void> {
    checkKey(key);
    checkValue(value);
    const stored = copyValue(value);
    return asyncWork(() => {
      this.values.set(key, stored);
    });
  }

  delete(key: string): Promise<void> {
    checkKey(key);
    return asyncWork(() => {
      this.values.delete(key);
    });
  }

  clear(): Promise<void> {
    return asyncWork(() => {
      this.values.clear();
    });
  }

  flush(): Promise<void> {
    return asyncWork(() => {
      disk.set(this.name, new Map(Array.from(this.values.entries()).map(([k, v]) => [k, copyValue(v)])));
    });
  }
}

function nameOf(nameOrOptions: string | { name: string }): string {
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : nameOrOptions?.name;
  if (typeof name !== 'string' || name.length === 0) throw paramError('The name must be a non-empty string.');
  return name;
}

export const preferences = {
  MAX_KEY_LENGTH,
  MAX_VALUE_LENGTH,
  getPreferences(_context: object, nameOrOptions: string | { name: string }): Promise<PreferencesDouble> {
    const name = nameOf(nameOrOptions);
    return asyncWork(() => {
      let p = cache.get(name);
      if (p === undefined) {
        p = new PreferencesDouble(name);
        cache.set(name, p);
      }
      return p;
    });
  },
  /** Drops the cached instance: the next getPreferences reads what was flushed (a restart, for tests). */
  removePreferencesFromCache(_context: object, nameOrOptions: string | { name: string }): Promise<void> {
    const name = nameOf(nameOrOptions);
    return asyncWork(() => {
      cache.delete(name);
    });
  },
  deletePreferences(_context: object, nameOrOptions: string | { name: string }): Promise<void> {
    const name = nameOf(nameOrOptions);
    return asyncWork(() => {
      cache.delete(name);
      disk.delete(name);
    });
  },
};

export const relationalStore = unavailableKit('@kit.ArkData').relationalStore;
