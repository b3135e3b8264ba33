import { DEFAULT_FORMAT_LIMITS, type FormatLimits } from './limits';
import { primordials as P, sliceString } from './primordials';
import { findDescriptor, readProperty, UNAVAILABLE } from './safeRead';

/**
 * Prints logpoint values without running application code: primitives
 * directly, objects summarised by class name and own enumerable data
 * properties found through property descriptors (`User {id: 3, name: "a"}`),
 * getters as `(getter)`, Proxies as `Proxy`. Never calls toString, toJSON,
 * JSON.stringify, util.inspect or any prototype method on user values; the
 * few built-in facts shown (Map/Set size, Date) come from the native
 * getters captured at load, which read internal slots only.
 */
export type ValueFormatter = (value: unknown) => string;

const ELLIPSIS = '…';
const IDENTIFIER_KEY_FIRST = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const IDENTIFIER_KEY_REST = (c: string): boolean => IDENTIFIER_KEY_FIRST(c) || (c >= '0' && c <= '9');

function cut(text: string, maxLength: number): string {
  return text.length > maxLength ? sliceString(text, 0, Math.max(0, maxLength - 1)) + ELLIPSIS : text;
}

function quote(text: string, maxLength: number): string {
  // JSON.stringify of a string primitive looks nothing up (toJSON is only
  // consulted on objects and BigInts); the captured function is used.
  return P.jsonQuote(cut(text, maxLength));
}

function formatKey(key: string): string {
  if (key.length === 0 || !IDENTIFIER_KEY_FIRST(key[0] as string)) return P.jsonQuote(key);
  for (let i = 1; i < key.length; i++) if (!IDENTIFIER_KEY_REST(key[i] as string)) return P.jsonQuote(key);
  return key;
}

function functionName(fn: object): string {
  const name = readProperty(fn, 'name');
  return typeof name === 'string' && name !== '' ? name : '(anonymous)';
}

/** The class name from `constructor.name`, read through descriptors; '' for plain objects. */
function className(value: object): string {
  let proto: object | null;
  try {
    proto = P.getPrototypeOf(value);
  } catch {
    return '';
  }
  if (proto === null) return '[null prototype]';
  const ctor = readProperty(proto, 'constructor');
  if (typeof ctor !== 'function' || P.isProxy(ctor)) return '';
  const name = functionName(ctor);
  return name === 'Object' ? '' : name;
}

function callNative(fn: (this: unknown) => unknown, self: object): unknown {
  try {
    return P.apply(fn, self, []);
  } catch {
    return undefined;
  }
}

function formatPrimitive(value: unknown, maxLength: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value, maxLength);
    case 'number':
      return P.objectIs(value, -0) ? '-0' : P.toStringPrimitive(value);
    case 'bigint':
      return `${P.toStringPrimitive(value)}n`;
    case 'boolean':
    case 'undefined':
    case 'symbol': // String(symbol) is the internal SymbolDescriptiveString, no toString call
      return P.toStringPrimitive(value);
    default:
      return value === null ? 'null' : undefined;
  }
}

interface Budget {
  readonly limits: FormatLimits;
}

function formatArray(array: object, depth: number, budget: Budget): string {
  const length = readProperty(array, 'length');
  const count = typeof length === 'number' ? length : 0;
  if (depth > budget.limits.maxDepth) return `Array(${count})`;
  const shown = Math.min(count, budget.limits.maxProperties);
  let text = '[';
  for (let i = 0; i < shown; i++) {
    if (i > 0) text += ', ';
    text += formatEntry(array, P.toStringPrimitive(i), depth, budget);
    if (text.length > budget.limits.maxLength) return text;
  }
  if (count > shown) text += `, ${ELLIPSIS} ${count - shown} more`;
  return `${text}]`;
}

/** One own property: its value, `(getter)` for an accessor, never the getter's result. */
function formatEntry(holder: object, key: string, depth: number, budget: Budget): string {
  const descriptor = findDescriptor(holder, key);
  if (typeof descriptor !== 'object') return descriptor === undefined ? 'undefined' : '(unavailable)';
  if (!P.hasOwn(descriptor, 'value')) return descriptor.get === undefined ? 'undefined' : '(getter)';
  return formatNested(descriptor.value, depth + 1, budget);
}

function formatObject(value: object, depth: number, budget: Budget): string {
  const name = className(value);
  const prefix = name === '' ? '' : `${name} `;
  if (P.isNativeError(value)) {
    const message = readProperty(value, 'message');
    return typeof message === 'string' ? `${name || 'Error'}: ${cut(message, budget.limits.maxLength)}` : name || 'Error';
  }
  if (P.isDate(value)) {
    const iso = callNative(P.dateToISOString as (this: unknown) => unknown, value);
    return typeof iso === 'string' ? iso : 'Invalid Date';
  }
  if (P.isMap(value)) return `${name || 'Map'}(${P.toStringPrimitive(callNative(P.mapSize, value))})`;
  if (P.isSet(value)) return `${name || 'Set'}(${P.toStringPrimitive(callNative(P.setSize, value))})`;
  if (depth > budget.limits.maxDepth) return `${prefix}{${ELLIPSIS}}`;
  let keys: (string | symbol)[];
  try {
    keys = P.ownKeys(value);
  } catch {
    return `${prefix}{(unavailable)}`;
  }
  let text = '';
  let shown = 0;
  let enumerable = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'string') continue;
    const descriptor = P.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || descriptor.enumerable !== true) continue;
    enumerable++;
    if (shown >= budget.limits.maxProperties || text.length > budget.limits.maxLength) continue;
    if (shown > 0) text += ', ';
    text += `${formatKey(key)}: ${formatEntry(value, key, depth, budget)}`;
    shown++;
  }
  if (enumerable > shown) text += `${shown > 0 ? ', ' : ''}${ELLIPSIS} ${enumerable - shown} more`;
  return `${prefix}{${text}}`;
}

function formatNested(value: unknown, depth: number, budget: Budget): string {
  if (value === UNAVAILABLE) return '(unavailable)';
  const primitive = formatPrimitive(value, budget.limits.maxLength);
  if (primitive !== undefined) return primitive;
  const object = value as object;
  if (P.isProxy(object)) return 'Proxy';
  if (typeof object === 'function') return `[Function: ${functionName(object)}]`;
  if (P.isArray(object)) return formatArray(object, depth, budget);
  return formatObject(object, depth, budget);
}

/**
 * Formats one logpoint value in at most `maxLength` characters (nesting and
 * properties per object from `shape`). A string at the top is printed as is
 * (like `console.log`); nested strings are quoted.
 */
export function formatValueSafely(
  value: unknown,
  maxLength: number = DEFAULT_FORMAT_LIMITS.maxLength,
  shape: Pick<FormatLimits, 'maxDepth' | 'maxProperties'> = DEFAULT_FORMAT_LIMITS,
): string {
  const limits: FormatLimits = { maxLength, maxDepth: shape.maxDepth, maxProperties: shape.maxProperties };
  try {
    const text = typeof value === 'string' ? value : formatNested(value, 0, { limits });
    return cut(text, limits.maxLength);
  } catch {
    // Defensive only: nothing above should throw, and a logpoint must never throw into the host.
    return '(unavailable)';
  }
}

/** Joins literal segments and formatted values: segments[0] v[0] segments[1] … v[n-1] segments[n]. */
export function formatTemplate(segments: readonly string[], values: readonly unknown[], formatValue: ValueFormatter = (v) => formatValueSafely(v)): string {
  let text = segments[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    text += formatValue(values[i]) + (segments[i + 1] ?? '');
  }
  return text;
}
