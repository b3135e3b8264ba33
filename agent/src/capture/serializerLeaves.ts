/**
 * Values described in one line, without children: primitives, functions,
 * symbols, dates, regular expressions, Proxies, accessors, boxed primitives,
 * and the kind and class name of any value. Nothing here invokes user code.
 */
import { pb } from '@keyhole/protocol';
import {
  append,
  ArrayIsArray,
  dateIso,
  dateTime,
  isArrayBuffer,
  isClassConstructor,
  isDataView,
  isDate,
  isExternal,
  isMap,
  isNativeError,
  isPromise,
  isProxy,
  isRegExp,
  isSet,
  isSharedArrayBuffer,
  isTypedArray,
  isWeakMap,
  isWeakSet,
  hasOwn,
  lookupData,
  prototypeOf,
  readOwn,
  regExpFlags,
  regExpSource,
  symbolDescription,
  unbox,
} from './intrinsics';
import type { SerializeContext } from './serializerContext';
import { cutText, maskString, stringValue } from './serializerMasking';

/** Numbers with at least this many characters go through the redactor (phone and card numbers stored as numbers). */
export const MIN_MASKED_NUMBER_LENGTH = 7;

/** The kind a value has, from typeof and internal type checks only. Proxies are checked before anything else. */
export function kindOf(value: unknown): pb.ValueKind {
  switch (typeof value) {
    case 'undefined':
      return pb.ValueKind.UNDEFINED;
    case 'boolean':
      return pb.ValueKind.BOOLEAN;
    case 'number':
      return pb.ValueKind.NUMBER;
    case 'string':
      return pb.ValueKind.STRING;
    case 'bigint':
      return pb.ValueKind.BIGINT;
    case 'symbol':
      return pb.ValueKind.SYMBOL;
    case 'function':
      return isProxy(value) ? pb.ValueKind.PROXY : pb.ValueKind.FUNCTION;
    default:
      if (value === null) return pb.ValueKind.NULL;
      return objectKind(value as object);
  }
}

/** The kind of a non-null object. */
export function objectKind(obj: object): pb.ValueKind {
  return isProxy(obj) ? pb.ValueKind.PROXY : nonProxyKind(obj);
}

/** The kind of a non-null object known not to be a Proxy; the commonest kinds are tested first. */
export function nonProxyKind(obj: object): pb.ValueKind {
  if (ArrayIsArray(obj)) return pb.ValueKind.ARRAY;
  if (isTypedArray(obj)) return pb.ValueKind.TYPED_ARRAY;
  if (isArrayBuffer(obj) || isSharedArrayBuffer(obj)) return pb.ValueKind.ARRAY_BUFFER;
  if (isMap(obj)) return pb.ValueKind.MAP;
  if (isSet(obj)) return pb.ValueKind.SET;
  if (isWeakMap(obj) || isWeakSet(obj)) return pb.ValueKind.WEAK_COLLECTION;
  if (isDate(obj)) return pb.ValueKind.DATE;
  if (isRegExp(obj)) return pb.ValueKind.REGEXP;
  if (isNativeError(obj)) return pb.ValueKind.ERROR;
  if (isPromise(obj)) return pb.ValueKind.PROMISE;
  if (isDataView(obj) || isExternal(obj)) return pb.ValueKind.OTHER;
  return pb.ValueKind.OBJECT;
}

/** A function's own `name` when it is a data property holding a string, else ''. */
function functionName(fn: object): string {
  const name = readOwn(fn, 'name');
  return typeof name === 'string' ? name : '';
}

/**
 * The class name of a non-Proxy object: the `name` of the `constructor` found
 * on its prototype chain, both as data properties. '' when either is an
 * accessor, a Proxy sits on the chain, or there is no constructor.
 */
export function classNameOf(obj: object): string {
  const ctor = lookupData(obj, 'constructor');
  if (ctor.kind !== 'data' || typeof ctor.value !== 'function' || isProxy(ctor.value)) return '';
  return functionName(ctor.value);
}

/** Prototypes whose class names one capture remembers; past this many, names are looked up each time. Default 32. */
export const MAX_CACHED_PROTOTYPES = 32;

/**
 * classNameOf, remembered per prototype for the capture. An object with an
 * own `constructor` (a prototype itself, or a shadowing field) is looked up
 * in full; any other takes its name from its prototype's chain, which cannot
 * change while the capture runs.
 */
export function classNameIn(obj: object, ctx: SerializeContext): string {
  if (hasOwn(obj, 'constructor')) return classNameOf(obj);
  const proto = prototypeOf(obj);
  if (proto === null) return '';
  const cache = ctx.classNames;
  const prototypes = cache.prototypes;
  for (let i = 0; i < prototypes.length; i++) if (prototypes[i] === proto) return cache.names[i]!;
  const name = isProxy(proto) ? '' : classNameOf(proto);
  if (prototypes.length < MAX_CACHED_PROTOTYPES) {
    append(prototypes, proto);
    append(cache.names, name);
  }
  return name;
}

/** One-line text for an object whose class name is unknown. */
export function anonymousObjectText(obj: object): string {
  return prototypeOf(obj) === null ? '[Object: null prototype]' : 'Object';
}

export function leaf(kind: pb.ValueKind, text: string, className?: string): pb.Value.$Properties {
  const v: pb.Value.$Properties = { kind, text };
  if (className) v.className = className;
  return v;
}

/** Text of a number primitive; ToString of a primitive runs no user code. */
export function numberText(n: number): string {
  if (n === 0 && 1 / n < 0) return '-0';
  return `${n}`;
}

/** A NUMBER or BIGINT value; long ones are masked like text (before the BigInt `n`, so digit patterns still match). */
export function numericValue(kind: pb.ValueKind, digits: string, ctx: SerializeContext, suffix = ''): pb.Value.$Properties {
  if (digits.length < MIN_MASKED_NUMBER_LENGTH) return leaf(kind, digits + suffix);
  const m = maskString(digits, ctx);
  const v = leaf(kind, m.masked.length ? m.text : m.text + suffix);
  if (m.masked.length) v.masked = m.masked;
  return v;
}

export function symbolText(sym: symbol, ctx: SerializeContext): { text: string; masked: string[] } {
  const description = symbolDescription(sym);
  if (description === undefined) return { text: 'Symbol()', masked: [] };
  const m = maskString(description, ctx);
  return { text: `Symbol(${m.text})`, masked: m.masked };
}

export function symbolValue(sym: symbol, ctx: SerializeContext): pb.Value.$Properties {
  const t = symbolText(sym, ctx);
  const v = leaf(pb.ValueKind.SYMBOL, t.text);
  if (t.masked.length) v.masked = t.masked;
  return v;
}

/** A function by name; class constructors as `class X`. Its properties are not expanded. */
export function functionValue(fn: object, ctx: SerializeContext): pb.Value.$Properties {
  const name = cutText(functionName(fn), ctx.limits.maxStringLength);
  const text = isClassConstructor(fn) ? (name ? `class ${name}` : 'class (anonymous)') : name || '(anonymous)';
  return leaf(pb.ValueKind.FUNCTION, text, classNameIn(fn, ctx));
}

export function proxyValue(value: object | ((...a: never[]) => unknown)): pb.Value.$Properties {
  return leaf(pb.ValueKind.PROXY, typeof value === 'function' ? 'Proxy(function)' : 'Proxy');
}

/** An accessor property, never invoked. */
export function getterValue(hasGet: boolean, hasSet: boolean): pb.Value.$Properties {
  return leaf(pb.ValueKind.GETTER, hasGet && hasSet ? '[Getter/Setter]' : hasSet ? '[Setter]' : '[Getter]');
}

/** A lazily formatted `stack` that formatting could run user code for; see errorStack.ts. */
export const UNREAD_STACK: Readonly<pb.Value.$Properties> = Object.freeze({ kind: pb.ValueKind.GETTER, text: '[Getter: stack not read]' });

export function dateValue(date: object, className: string): pb.Value.$Properties {
  const time = dateTime(date);
  return leaf(pb.ValueKind.DATE, time === time ? dateIso(date) : 'Invalid Date', className);
}

export function regExpValue(re: object, className: string, ctx: SerializeContext): pb.Value.$Properties {
  const m = maskString(`/${regExpSource(re)}/${regExpFlags(re)}`, ctx);
  const v = leaf(pb.ValueKind.REGEXP, m.text, className);
  if (m.cut) v.cut = { reason: pb.CutReason.STRING_LENGTH, originalSize: m.originalLength };
  if (m.masked.length) v.masked = m.masked;
  return v;
}

/** Number, String, Boolean, BigInt and Symbol objects, unboxed from their internal slot. */
export function boxedValue(obj: object, className: string, ctx: SerializeContext): pb.Value.$Properties {
  const inner = unbox(obj);
  const label = className || 'Object';
  let v: pb.Value.$Properties;
  switch (typeof inner) {
    case 'string': {
      const s = stringValue(inner, ctx);
      v = { ...s, kind: pb.ValueKind.OBJECT, text: `[${label}: ${s.text ?? ''}]` };
      break;
    }
    case 'symbol': {
      const t = symbolText(inner, ctx);
      v = { kind: pb.ValueKind.OBJECT, text: `[${label}: ${t.text}]` };
      if (t.masked.length) v.masked = t.masked;
      break;
    }
    case 'number':
    case 'bigint': {
      const n = typeof inner === 'number' ? numericValue(pb.ValueKind.OBJECT, numberText(inner), ctx) : numericValue(pb.ValueKind.OBJECT, `${inner}`, ctx, 'n');
      v = { ...n, text: `[${label}: ${n.text ?? ''}]` };
      break;
    }
    default:
      v = { kind: pb.ValueKind.OBJECT, text: `[${label}: ${inner ? 'true' : 'false'}]` };
  }
  if (className) v.className = className;
  return v;
}
