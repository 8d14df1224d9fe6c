// Test doubles for the ArkUI runtime globals that plain ArkTS code in `common` may touch when it
// runs on Node (hypium suites, quotefeed, benches). Decorators become no-ops: on Node nothing
// renders, so observation is not needed; the store's logic itself runs unchanged.
// AppStorage is a minimal key/value double with the API 10+ method names.

type Decorator = (...args: Object[]) => void;
const noopDecorator = (...args: Object[]): Object | void => {
  // Used both bare (@Trace) and as a factory (@Monitor('x')): a factory call gets no target.
  if (args.length === 1 && typeof args[0] === 'string') return noopDecorator;
  return undefined;
};

class AppStorageDouble {
  private static values: Map<string, Object | undefined> = new Map();
  static setOrCreate<T>(key: string, value: T): void { AppStorageDouble.values.set(key, value as Object); }
  static set<T>(key: string, value: T): boolean {
    if (!AppStorageDouble.values.has(key)) return false;
    AppStorageDouble.values.set(key, value as Object);
    return true;
  }
  static get<T>(key: string): T | undefined { return AppStorageDouble.values.get(key) as T | undefined; }
  static has(key: string): boolean { return AppStorageDouble.values.has(key); }
  static delete(key: string): boolean { return AppStorageDouble.values.delete(key); }
  static keys(): IterableIterator<string> { return AppStorageDouble.values.keys(); }
  static clear(): boolean { AppStorageDouble.values.clear(); return true; }
  static size(): number { return AppStorageDouble.values.size; }
}

const g = globalThis as Record<string, Object>;
for (const name of ['ObservedV2', 'Trace', 'Observed', 'Track', 'Sendable', 'Concurrent', 'Type', 'Monitor', 'Computed']) {
  if (g[name] === undefined) g[name] = noopDecorator as Decorator;
}
if (g['AppStorage'] === undefined) g['AppStorage'] = AppStorageDouble;

export {};
