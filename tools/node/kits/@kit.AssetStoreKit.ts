// Node double of Asset Store Kit's `asset` module (API 12), strict like the platform so that the
// app's AssetSecretStore runs on Node unchanged:
// - arguments are checked before any work, as the kit's NAPI layer does, and a broken rule THROWS
//   synchronously (not a rejected promise) an Error with the number code 401: a missing required tag,
//   a tag the function does not take, a value of the wrong type, a byte array outside its range
//   (SECRET 1–1024 bytes, ALIAS 1–256, DATA_LABEL_* 1–2048), an unknown ACCESSIBILITY, SYNC_TYPE
//   beyond 3 bits;
// - the stored state answers like the service: add rejects 24000003 when the alias exists, query,
//   update and remove reject 24000002 when nothing matches; query returns SECRET only with
//   RETURN_TYPE ALL.
// Sources: OpenHarmony 5.0.0 security_asset frameworks/js/napi (asset_napi_check.cpp/.h and the
// per-function Check*Args), interface_sdk-js api/@ohos.security.asset.d.ts, and the Asset Store Kit
// guide "Adding an Asset (ArkTS)".
// Only the promise forms the app uses (add, query, update, remove) exist; nothing persists across
// processes (IS_PERSISTENT is accepted and ignored).

enum TagType { BOOL = 0x01 << 28, NUMBER = 0x02 << 28, BYTES = 0x03 << 28 }

enum Tag {
  SECRET = TagType.BYTES | 0x01,
  ALIAS = TagType.BYTES | 0x02,
  ACCESSIBILITY = TagType.NUMBER | 0x03,
  REQUIRE_PASSWORD_SET = TagType.BOOL | 0x04,
  AUTH_TYPE = TagType.NUMBER | 0x05,
  AUTH_VALIDITY_PERIOD = TagType.NUMBER | 0x06,
  AUTH_CHALLENGE = TagType.BYTES | 0x07,
  AUTH_TOKEN = TagType.BYTES | 0x08,
  SYNC_TYPE = TagType.NUMBER | 0x10,
  IS_PERSISTENT = TagType.BOOL | 0x11,
  DATA_LABEL_CRITICAL_1 = TagType.BYTES | 0x20,
  DATA_LABEL_CRITICAL_2 = TagType.BYTES | 0x21,
  DATA_LABEL_CRITICAL_3 = TagType.BYTES | 0x22,
  DATA_LABEL_CRITICAL_4 = TagType.BYTES | 0x23,
  DATA_LABEL_NORMAL_1 = TagType.BYTES | 0x30,
  DATA_LABEL_NORMAL_2 = TagType.BYTES | 0x31,
  DATA_LABEL_NORMAL_3 = TagType.BYTES | 0x32,
  DATA_LABEL_NORMAL_4 = TagType.BYTES | 0x33,
  DATA_LABEL_NORMAL_LOCAL_1 = TagType.BYTES | 0x34,
  DATA_LABEL_NORMAL_LOCAL_2 = TagType.BYTES | 0x35,
  DATA_LABEL_NORMAL_LOCAL_3 = TagType.BYTES | 0x36,
  DATA_LABEL_NORMAL_LOCAL_4 = TagType.BYTES | 0x37,
  RETURN_TYPE = TagType.NUMBER | 0x40,
  RETURN_LIMIT = TagType.NUMBER | 0x41,
  RETURN_OFFSET = TagType.NUMBER | 0x42,
  RETURN_ORDERED_BY = TagType.NUMBER | 0x43,
  CONFLICT_RESOLUTION = TagType.NUMBER | 0x44,
  UPDATE_TIME = TagType.BYTES | 0x45,
  OPERATION_TYPE = TagType.NUMBER | 0x46,
}

enum Accessibility { DEVICE_POWERED_ON = 0, DEVICE_FIRST_UNLOCKED = 1, DEVICE_UNLOCKED = 2 }
enum AuthType { NONE = 0x00, ANY = 0xFF }
enum SyncType { NEVER = 0, THIS_DEVICE = 1 << 0, TRUSTED_DEVICE = 1 << 1, TRUSTED_ACCOUNT = 1 << 2 }
enum ConflictResolution { OVERWRITE = 0, THROW_ERROR = 1 }
enum ReturnType { ALL = 0, ATTRIBUTES = 1 }

enum ErrorCode {
  PERMISSION_DENIED = 201,
  INVALID_ARGUMENT = 401,
  SERVICE_UNAVAILABLE = 24000001,
  NOT_FOUND = 24000002,
  DUPLICATED = 24000003,
}

type Value = boolean | number | Uint8Array;
type AssetMap = Map<number, Value>;

const LABELS_CRITICAL = [Tag.DATA_LABEL_CRITICAL_1, Tag.DATA_LABEL_CRITICAL_2, Tag.DATA_LABEL_CRITICAL_3, Tag.DATA_LABEL_CRITICAL_4];
const LABELS_NORMAL = [Tag.DATA_LABEL_NORMAL_1, Tag.DATA_LABEL_NORMAL_2, Tag.DATA_LABEL_NORMAL_3, Tag.DATA_LABEL_NORMAL_4];
const LABELS_LOCAL = [Tag.DATA_LABEL_NORMAL_LOCAL_1, Tag.DATA_LABEL_NORMAL_LOCAL_2, Tag.DATA_LABEL_NORMAL_LOCAL_3, Tag.DATA_LABEL_NORMAL_LOCAL_4];
const ACCESS_CONTROL = [Tag.ALIAS, Tag.ACCESSIBILITY, Tag.AUTH_TYPE, Tag.IS_PERSISTENT, Tag.SYNC_TYPE, Tag.REQUIRE_PASSWORD_SET];
const SYNC = [Tag.OPERATION_TYPE];

const ADD_TAGS = [...LABELS_CRITICAL, ...LABELS_NORMAL, ...LABELS_LOCAL, ...ACCESS_CONTROL, ...SYNC, Tag.SECRET, Tag.CONFLICT_RESOLUTION];
const QUERY_TAGS = [...LABELS_CRITICAL, ...LABELS_NORMAL, ...LABELS_LOCAL, ...ACCESS_CONTROL, ...SYNC,
  Tag.RETURN_LIMIT, Tag.RETURN_OFFSET, Tag.RETURN_ORDERED_BY, Tag.RETURN_TYPE, Tag.AUTH_TOKEN, Tag.AUTH_CHALLENGE];
const UPDATE_QUERY_TAGS = [...LABELS_CRITICAL, ...LABELS_NORMAL, ...LABELS_LOCAL, ...ACCESS_CONTROL];
const UPDATE_TAGS = [...LABELS_NORMAL, ...LABELS_LOCAL, ...SYNC, Tag.SECRET];
const REMOVE_TAGS = [...LABELS_NORMAL, ...LABELS_LOCAL, ...ACCESS_CONTROL, ...SYNC];

/** Byte ranges [min, max] of the byte-array tags the app can meet. */
const BYTE_RANGES = new Map<number, [number, number]>([
  [Tag.SECRET, [1, 1024]],
  [Tag.ALIAS, [1, 256]],
  ...[...LABELS_CRITICAL, ...LABELS_NORMAL, ...LABELS_LOCAL].map((t): [number, [number, number]] => [t, [1, 2048]]),
]);

function tagName(tag: number): string {
  return Tag[tag] ?? `0x${tag.toString(16)}`;
}

/** The kit's errors: an Error with a number `code` (napi_create_error with an int32 code). */
function assetError(code: number, message: string): Error {
  const e = new Error(message) as Error & { code: number };
  e.code = code;
  return e;
}

function invalid(message: string): never {
  throw assetError(ErrorCode.INVALID_ARGUMENT, message);
}

function checkMap(map: AssetMap, allowed: number[], required: number[], what: string): void {
  if (!(map instanceof Map)) invalid(`The ${what} must be an AssetMap.`);
  for (const tag of required) {
    if (!map.has(tag)) invalid(`Missing required tag[asset.Tag.${tagName(tag)}].`);
  }
  for (const [tag, value] of map) {
    if (!allowed.includes(tag)) invalid(`Unsupported tag[asset.Tag.${tagName(tag)}] for the function.`);
    const type = tag & (0x0f << 28);
    if (type === TagType.BOOL && typeof value !== 'boolean') invalid(`The value of tag[asset.Tag.${tagName(tag)}] must be boolean.`);
    if (type === TagType.NUMBER && typeof value !== 'number') invalid(`The value of tag[asset.Tag.${tagName(tag)}] must be number.`);
    if (type === TagType.BYTES && !(value instanceof Uint8Array)) invalid(`The value of tag[asset.Tag.${tagName(tag)}] must be Uint8Array.`);
    const range = BYTE_RANGES.get(tag);
    if (range !== undefined) {
      const n = (value as Uint8Array).length;
      if (n < range[0] || n > range[1]) {
        invalid(`Value byte length[${n}] of tag[asset.Tag.${tagName(tag)}] is out of range[${range[0]}, ${range[1]}].`);
      }
    }
    if (tag === Tag.ACCESSIBILITY && !(value === 0 || value === 1 || value === 2)) {
      invalid(`Value[${String(value)}] of tag[asset.Tag.ACCESSIBILITY] is an illegal enumeration variant.`);
    }
    if (tag === Tag.SYNC_TYPE && ((value as number) < 0 || (value as number) >= 8)) {
      invalid(`Value[${String(value)}] of tag[asset.Tag.SYNC_TYPE] has bit count out of range[1, 3].`);
    }
    if (tag === Tag.RETURN_TYPE && !(value === ReturnType.ALL || value === ReturnType.ATTRIBUTES)) {
      invalid(`Value[${String(value)}] of tag[asset.Tag.RETURN_TYPE] is an illegal enumeration variant.`);
    }
  }
}

function keyOf(alias: Uint8Array): string {
  return Buffer.from(alias).toString('hex');
}

/** Stored assets by alias: every attribute the app gave (copies). */
const stored = new Map<string, AssetMap>();

function copyMap(map: AssetMap): AssetMap {
  const out: AssetMap = new Map();
  for (const [tag, value] of map) out.set(tag, value instanceof Uint8Array ? new Uint8Array(value) : value);
  return out;
}

/** The stored assets a query map selects (by alias when it has one, else all). */
function matching(query: AssetMap): Array<[string, AssetMap]> {
  const alias = query.get(Tag.ALIAS);
  if (alias instanceof Uint8Array) {
    const hit = stored.get(keyOf(alias));
    return hit === undefined ? [] : [[keyOf(alias), hit]];
  }
  return Array.from(stored.entries());
}

function later<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(work());
      } catch (e) {
        reject(e);
      }
    });
  });
}

function add(attributes: AssetMap): Promise<void> {
  checkMap(attributes, ADD_TAGS, [Tag.SECRET, Tag.ALIAS], 'attributes');
  const copy = copyMap(attributes);
  return later(() => {
    const key = keyOf(copy.get(Tag.ALIAS) as Uint8Array);
    if (stored.has(key) && copy.get(Tag.CONFLICT_RESOLUTION) !== ConflictResolution.OVERWRITE) {
      throw assetError(ErrorCode.DUPLICATED, 'The asset already exists.');
    }
    stored.set(key, copy);
  });
}

function query(q: AssetMap): Promise<AssetMap[]> {
  checkMap(q, QUERY_TAGS, [], 'query');
  const returnType = q.get(Tag.RETURN_TYPE) ?? ReturnType.ATTRIBUTES;
  const selector = copyMap(q);
  return later(() => {
    const hits = matching(selector);
    if (hits.length === 0) throw assetError(ErrorCode.NOT_FOUND, 'The asset is not found.');
    return hits.map(([, map]) => {
      const out = copyMap(map);
      if (returnType !== ReturnType.ALL) out.delete(Tag.SECRET);
      return out;
    });
  });
}

function update(q: AssetMap, attributesToUpdate: AssetMap): Promise<void> {
  checkMap(q, UPDATE_QUERY_TAGS, [Tag.ALIAS], 'query');
  if (!(attributesToUpdate instanceof Map) || attributesToUpdate.size === 0) invalid('The attributes to update must not be empty.');
  checkMap(attributesToUpdate, UPDATE_TAGS, [], 'attributesToUpdate');
  const selector = copyMap(q);
  const changes = copyMap(attributesToUpdate);
  return later(() => {
    const hits = matching(selector);
    if (hits.length === 0) throw assetError(ErrorCode.NOT_FOUND, 'The asset is not found.');
    for (const [, map] of hits) for (const [tag, value] of changes) map.set(tag, value);
  });
}

function remove(q: AssetMap): Promise<void> {
  checkMap(q, REMOVE_TAGS, [], 'query');
  const selector = copyMap(q);
  return later(() => {
    const hits = matching(selector);
    if (hits.length === 0) throw assetError(ErrorCode.NOT_FOUND, 'The asset is not found.');
    for (const [key] of hits) stored.delete(key);
  });
}

/** For tests: forget every stored asset (the app's data goes away with an uninstall). */
export function resetAssetStore(): void {
  stored.clear();
}

export const asset = {
  add, query, update, remove,
  Tag, TagType, Accessibility, AuthType, SyncType, ConflictResolution, ReturnType, ErrorCode,
};
