import { primordials as P } from './primordials';

/**
 * The value of a read that could not be done without running application
 * code: a getter, a Proxy (any trap), a coercion hook. The runtime turns any
 * expression that meets it into "declined" (condition false, logpoint value
 * shown as unavailable). Frozen with a null prototype so nothing can be
 * added to it or reached through it.
 */
export const UNAVAILABLE: object = Object.freeze(Object.create(null) as object);

/** A Proxy on the chain, or a descriptor lookup that threw: nothing may be read. */
const UNREADABLE = 'unreadable';

/**
 * The descriptor `key` resolves to on `holder` or its prototype chain, found
 * without running application code: a Proxy anywhere on the chain stops the
 * walk before any of its traps could run (`util.types.isProxy` is not
 * trapped). `getOwnPropertyDescriptor` and `getPrototypeOf` on ordinary and
 * built-in exotic objects (arrays, typed arrays, String wrappers, arguments,
 * module namespaces) run no JavaScript; they can throw (a module export in
 * its temporal dead zone), which is caught so nothing throws from here.
 */
export function findDescriptor(holder: object, key: string | symbol): PropertyDescriptor | undefined | typeof UNREADABLE {
  let current: object | null = holder;
  while (current !== null) {
    if (P.isProxy(current)) return UNREADABLE;
    try {
      const descriptor = P.getOwnPropertyDescriptor(current, key);
      if (descriptor !== undefined) return descriptor;
      current = P.getPrototypeOf(current);
    } catch {
      return UNREADABLE;
    }
  }
  return undefined;
}

/**
 * Reads `holder[key]` the way the language would, but from descriptors only.
 * A data property yields its value; an accessor with a getter yields
 * UNAVAILABLE (the getter never runs); a Proxy yields UNAVAILABLE; a missing
 * property is `undefined`, as in the language.
 */
export function readProperty(holder: object, key: string | symbol): unknown {
  const descriptor = findDescriptor(holder, key);
  if (descriptor === UNREADABLE) return UNAVAILABLE;
  if (descriptor === undefined) return undefined;
  // A descriptor is a fresh ordinary object whose `value` / `get` are own
  // data properties, so reading them cannot reach a patched Object.prototype;
  // hasOwn tells the two kinds apart.
  if (P.hasOwn(descriptor, 'value')) return descriptor.value;
  return descriptor.get === undefined ? undefined : UNAVAILABLE;
}

/** What `key` names on `holder`, without reading a value. */
export function describeProperty(holder: object, key: string | symbol): 'data' | 'accessor' | 'absent' | 'unreadable' {
  const descriptor = findDescriptor(holder, key);
  if (descriptor === UNREADABLE) return UNREADABLE;
  if (descriptor === undefined) return 'absent';
  return P.hasOwn(descriptor, 'value') ? 'data' : 'accessor';
}
