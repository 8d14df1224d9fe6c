// Node double of the state-management part of @kit.ArkUI: AppStorageV2 keeps one instance per key,
// as strict as API 12 (OpenHarmony 5.0 arkui_ace_engine state_mgmt/src/lib/sdk/v2_persistence.ts,
// AppStorageV2Impl; docs js-apis-StateManagement "connect": without a creator on first use, or with
// another type for a key, "the application throws"):
// - the key is the given string, else the type's name;
// - a first connect without a default creator THROWS ('The default creator should be function when
//   first connect'), it does not return undefined;
// - the creator's value must be an instance of the type, else it throws a type mismatch;
// - a later connect with a type of another name for the same key throws a type mismatch;
// - remove of an unknown key only warns. Nothing renders on Node.
type Creator = () => object;
type TypeConstructor<T> = new (...args: never[]) => T;

const DEFAULT_VALUE_ERROR_MESSAGE = 'The default creator should be function when first connect';
const TYPE_INVALID = 'The type should be function when use storage';

function typeNameOf(type: Function): string | undefined {
  if (typeof type !== 'function') throw new Error(TYPE_INVALID);
  let t: Function | null = type;
  let name: string | undefined = t.name;
  while (name === undefined && t !== null) {
    t = Object.getPrototypeOf(t) as Function | null;
    name = t?.name;
  }
  return name;
}

function mismatch(key: string): Error {
  return new Error(`The type mismatches when use the key '${key}' in storage`);
}

export class AppStorageV2 {
  private static readonly values: Map<string, object> = new Map();
  private static readonly typeNames: Map<string, string | undefined> = new Map();

  static connect<T extends object>(type: TypeConstructor<T>, keyOrCreator?: string | Creator, creator?: Creator): T | undefined {
    const key = typeof keyOrCreator === 'string' ? keyOrCreator : typeNameOf(type);
    if (key === undefined) throw new Error(TYPE_INVALID);
    const make = typeof keyOrCreator === 'function' ? keyOrCreator : creator;
    if (!AppStorageV2.values.has(key)) {
      if (typeof make !== 'function') throw new Error(DEFAULT_VALUE_ERROR_MESSAGE);
      const value = make();
      if (!(value instanceof type)) throw mismatch(key);
      AppStorageV2.values.set(key, value);
      AppStorageV2.typeNames.set(key, typeNameOf(type));
      return value as T;
    }
    if (typeNameOf(type) !== AppStorageV2.typeNames.get(key)) throw mismatch(key);
    return AppStorageV2.values.get(key) as T;
  }

  static remove<T>(keyOrType: string | TypeConstructor<T>): void {
    const key = typeof keyOrType === 'function' ? typeNameOf(keyOrType) : keyOrType;
    if (typeof key !== 'string' || !AppStorageV2.values.delete(key)) return; // the platform only warns
    AppStorageV2.typeNames.delete(key);
  }

  static keys(): string[] {
    return Array.from(AppStorageV2.values.keys());
  }
}
