import { types } from 'node:util';

/**
 * Built-ins the expression runtime and the formatter use, captured when this
 * module loads (the agent loads before application code). A later
 * monkey-patch of Reflect, Object, String, JSON, util.types or a built-in
 * prototype therefore cannot make a condition run application code.
 *
 * The runtime also avoids every prototype method on values (no `s.slice()`,
 * no `for…of`, no regular expressions: `RegExp#test` looks `exec` up on the
 * prototype) and calls these captured functions through the captured
 * `Reflect.apply` instead.
 */
function nativeGetter(proto: object, key: string): (this: unknown) => unknown {
  const descriptor = Reflect.getOwnPropertyDescriptor(proto, key);
  const getter = descriptor?.get;
  if (getter === undefined) throw new Error(`built-in getter ${key} is missing`);
  return getter;
}

export const primordials = Object.freeze({
  getOwnPropertyDescriptor: Reflect.getOwnPropertyDescriptor,
  getPrototypeOf: Reflect.getPrototypeOf,
  ownKeys: Reflect.ownKeys,
  apply: Reflect.apply,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  objectIs: Object.is,
  toStringPrimitive: String,
  jsonQuote: JSON.stringify,
  stringSlice: String.prototype.slice,
  isProxy: types.isProxy,
  isMap: types.isMap,
  isSet: types.isSet,
  isDate: types.isDate,
  isNativeError: types.isNativeError,
  mapSize: nativeGetter(Map.prototype, 'size'),
  setSize: nativeGetter(Set.prototype, 'size'),
  dateToISOString: Date.prototype.toISOString,
});

/** `s.slice(start, end)` without looking `slice` up on a prototype the application may have patched. */
export function sliceString(s: string, start: number, end?: number): string {
  return primordials.apply(primordials.stringSlice, s, end === undefined ? [start] : [start, end]) as string;
}
