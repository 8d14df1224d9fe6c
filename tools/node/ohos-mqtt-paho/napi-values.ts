// Reading JavaScript option objects the way the wrapper's native layer does (ohos_mqtt
// mqtt_napi_utils.cpp over Node-API / OpenHarmony NAPI): a property counts as present when
// napi_has_named_property says so (own or inherited, even if undefined), and a value of the wrong
// type reads as the zero value, because napi_get_value_int32/uint32/bool/string fail without
// touching the output. So `cleanSession: true` reads as the int32 0.

export type Bag = Record<string, unknown>;

export function has(obj: unknown, key: string): boolean {
  return typeof obj === 'object' && obj !== null && key in (obj as Bag);
}

function value(obj: unknown, key: string): unknown {
  return has(obj, key) ? (obj as Bag)[key] : undefined;
}

/** napi_get_value_int32: ToInt32 of a number (NaN and infinities give 0), 0 for anything else. */
export function readInt32(obj: unknown, key: string): number {
  const v = value(obj, key);
  return typeof v === 'number' ? v | 0 : 0;
}

/** napi_get_value_uint32: the low 32 bits of a number, 0 for anything else. */
export function readUint32(obj: unknown, key: string): number {
  const v = value(obj, key);
  return typeof v === 'number' ? v >>> 0 : 0;
}

/** napi_get_value_bool: only a boolean reads as itself. */
export function readBool(obj: unknown, key: string): boolean {
  const v = value(obj, key);
  return typeof v === 'boolean' ? v : false;
}

/** napi_get_value_string_utf8: only a string reads as itself. */
export function readString(obj: unknown, key: string): string {
  const v = value(obj, key);
  return typeof v === 'string' ? v : '';
}

/** napi_get_arraybuffer_info: the bytes of an ArrayBuffer (a copy), empty for anything else. */
export function readArrayBuffer(obj: unknown, key: string): ArrayBuffer {
  const v = value(obj, key);
  return v instanceof ArrayBuffer ? v.slice(0) : new ArrayBuffer(0);
}

/** An array of strings (non-strings read as ""); empty when the value is not an array. */
export function readStringArray(obj: unknown, key: string): string[] {
  const v = value(obj, key);
  return Array.isArray(v) ? v.map((s) => (typeof s === 'string' ? s : '')) : [];
}
