// Reading JS values the way the wrapper's native layer does ([napi] mqtt_napi_utils.cpp, [ndk]):
// a present-but-undefined field counts as present, and a value of the wrong type reads as 0 / false
// / '' instead of failing (napi_get_value_int32 returns napi_number_expected, the out value stays 0).

export type Bag = Record<string, unknown>;

export function has(obj: unknown, key: string): boolean {
  // napi_has_named_property: own or inherited, a present-but-undefined value counts.
  return typeof obj === 'object' && obj !== null && key in (obj as Bag);
}

export function readInt32(obj: unknown, key: string): number {
  if (!has(obj, key)) return 0;
  const v = (obj as Bag)[key];
  return typeof v === 'number' ? v | 0 : 0; // napi_get_value_int32 refuses non-numbers [ndk]
}

export function readUint32(obj: unknown, key: string): number {
  if (!has(obj, key)) return 0;
  const v = (obj as Bag)[key];
  return typeof v === 'number' ? v >>> 0 : 0;
}

export function readBool(obj: unknown, key: string): boolean {
  if (!has(obj, key)) return false;
  const v = (obj as Bag)[key];
  return typeof v === 'boolean' ? v : false;
}

export function readString(obj: unknown, key: string): string {
  if (!has(obj, key)) return '';
  const v = (obj as Bag)[key];
  return typeof v === 'string' ? v : '';
}

export function readArrayBuffer(obj: unknown, key: string): Buffer {
  if (!has(obj, key)) return Buffer.alloc(0);
  const v = (obj as Bag)[key];
  return v instanceof ArrayBuffer ? Buffer.from(new Uint8Array(v)) : Buffer.alloc(0); // napi_get_arraybuffer_info
}

/** subscribe_context.cpp: an array of {topic, qos} or one object. */
export function topicList(options: unknown): Array<{ topic: string; qos: number }> {
  const list = Array.isArray(options) ? options : [options];
  return list.map((o) => ({ topic: readString(o, 'topic'), qos: readUint32(o, 'qos') }));
}
