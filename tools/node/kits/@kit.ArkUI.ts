// Node double of the state-management part of @kit.ArkUI: AppStorageV2.connect keeps one instance
// per key, created by the default creator on first use, as the real one does. Nothing renders on Node.
type Creator = () => object;

export class AppStorageV2 {
  private static readonly values: Map<string, object> = new Map();

  static connect<T extends object>(type: new () => T, keyOrCreator?: string | Creator, creator?: Creator): T | undefined {
    const key = typeof keyOrCreator === 'string' ? keyOrCreator : type.name;
    const make = typeof keyOrCreator === 'function' ? keyOrCreator : creator;
    if (!AppStorageV2.values.has(key)) {
      if (make === undefined) return undefined;
      AppStorageV2.values.set(key, make());
    }
    return AppStorageV2.values.get(key) as T;
  }

  static remove(key: string): void {
    AppStorageV2.values.delete(key);
  }

  static keys(): string[] {
    return Array.from(AppStorageV2.values.keys());
  }
}
