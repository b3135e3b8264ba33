/**
 * Built-in functions captured once, when the agent loads, so that capturing a
 * snapshot never looks anything up on objects the user can change. A user who
 * later replaces `Map.prototype.entries`, `Array.prototype[Symbol.iterator]`,
 * `Date.prototype.getTime` or `util.types.isProxy` does not change what the
 * serializer calls, and so cannot get code run inside a pause.
 *
 * Every function here reads internal slots only ([[MapData]], [[DateValue]],
 * [[OriginalSource]], [[ViewedArrayBuffer]] …): none of them performs a
 * property Get on its receiver, so getters, Proxy traps and coercion hooks
 * (valueOf, toString, Symbol.toPrimitive, Symbol.toStringTag) are never hit.
 * Notably absent: `RegExp.prototype.flags` (it Gets `global`, `ignoreCase` …
 * through the object) and `Object.prototype.toString` (it Gets
 * Symbol.toStringTag).
 *
 * The serializer's own code follows the same discipline: no spread, no
 * for-of and no array destructuring (they call Array.prototype[Symbol.iterator]),
 * no method calls on strings or arrays (they go through prototypes).
 */
import { types } from 'node:util';
import { performance } from 'node:perf_hooks';

const { apply: ReflectApply, ownKeys: ReflectOwnKeys, getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptor, getPrototypeOf: ReflectGetPrototypeOf } = Reflect;
const ObjectHasOwn = Object.hasOwn;
const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;

export { ReflectApply, ReflectOwnKeys };

// Type checks that read an object's internal type, never its properties.
export const {
  isProxy,
  isMap,
  isSet,
  isWeakMap,
  isWeakSet,
  isDate,
  isRegExp,
  isNativeError,
  isPromise,
  isTypedArray,
  isArrayBuffer,
  isSharedArrayBuffer,
  isDataView,
  isBoxedPrimitive,
  isNumberObject,
  isStringObject,
  isBooleanObject,
  isBigIntObject,
  isSymbolObject,
  isExternal,
} = types;
export const ArrayIsArray = Array.isArray;

/** A getter taken from a built-in prototype's own accessor property. */
function builtinGetter(proto: object, key: PropertyKey): (this: unknown) => unknown {
  const d = ReflectGetOwnPropertyDescriptor(proto, key);
  const get = d?.get;
  if (typeof get !== 'function') throw new Error(`intrinsic getter ${String(key)} missing`);
  return get as (this: unknown) => unknown;
}

const FunctionPrototypeCall = Function.prototype.call;
const FunctionPrototypeBind = Function.prototype.bind;

/** A built-in method or getter as a function of (receiver, ...args). */
type Uncurried = (self: unknown, ...args: unknown[]) => unknown;

/**
 * `fn` turned into a plain function taking its receiver first, bound once at
 * load (`Function.prototype.call.bind(fn)`, as Node's own primordials do), so
 * a later patch of `call`, `bind` or `apply` changes nothing. Each built-in gets
 * its own bound function: call sites stay monomorphic and no argument array is
 * made per call, unlike one shared Reflect.apply helper.
 */
function uncurry(fn: (this: never, ...a: never[]) => unknown): Uncurried {
  return ReflectApply(FunctionPrototypeBind, FunctionPrototypeCall, [fn]) as Uncurried;
}

/** Calls a captured built-in with `self` as receiver (for load-time setup and cold paths). */
function call(fn: (this: unknown, ...a: never[]) => unknown, self: unknown, args: readonly unknown[] = []): unknown {
  return ReflectApply(fn, self, args);
}

const MapPrototypeEntries = Map.prototype.entries;
const MapIteratorNext = ReflectGetPrototypeOf(new Map().entries()) as { next: () => unknown };
const MapIteratorPrototypeNext = MapIteratorNext.next;
const MapPrototypeGetSize = builtinGetter(Map.prototype, 'size');
const SetPrototypeValues = Set.prototype.values;
const SetIteratorPrototypeNext = (ReflectGetPrototypeOf(new Set().values()) as { next: () => unknown }).next;
const SetPrototypeGetSize = builtinGetter(Set.prototype, 'size');
const SetPrototypeAdd = Set.prototype.add;
const WeakMapPrototypeGet = WeakMap.prototype.get;
const WeakMapPrototypeSet = WeakMap.prototype.set;
const DatePrototypeGetTime = Date.prototype.getTime;
const DatePrototypeToISOString = Date.prototype.toISOString;
const TypedArrayPrototype = ReflectGetPrototypeOf(Uint8Array.prototype) as object;
const TypedArrayPrototypeGetLength = builtinGetter(TypedArrayPrototype, 'length');
const ArrayBufferPrototypeGetByteLength = builtinGetter(ArrayBuffer.prototype, 'byteLength');
const SharedArrayBufferPrototypeGetByteLength = builtinGetter(SharedArrayBuffer.prototype, 'byteLength');
const DataViewPrototypeGetByteLength = builtinGetter(DataView.prototype, 'byteLength');
const Uint8ArrayConstructor = Uint8Array;
const SymbolPrototypeGetDescription = builtinGetter(Symbol.prototype, 'description');
const NumberPrototypeValueOf = Number.prototype.valueOf;
const StringPrototypeValueOf = String.prototype.valueOf;
const BooleanPrototypeValueOf = Boolean.prototype.valueOf;
const BigIntPrototypeValueOf = BigInt.prototype.valueOf;
const SymbolPrototypeValueOf = Symbol.prototype.valueOf;
const FunctionPrototypeToString = Function.prototype.toString;
const StringPrototypeSlice = String.prototype.slice;
const StringPrototypeCharCodeAt = String.prototype.charCodeAt;
const RegExpPrototypeGetSource = builtinGetter(RegExp.prototype, 'source');
/** RegExp flag getters in the order `RegExp.prototype.flags` uses; each reads [[OriginalFlags]]. */
const REGEXP_FLAG_GETTERS: readonly (readonly [string, (this: unknown) => unknown])[] = (() => {
  const out: (readonly [string, (this: unknown) => unknown])[] = [];
  const names: readonly (readonly [string, string])[] = [
    ['d', 'hasIndices'],
    ['g', 'global'],
    ['i', 'ignoreCase'],
    ['m', 'multiline'],
    ['s', 'dotAll'],
    ['u', 'unicode'],
    ['v', 'unicodeSets'],
    ['y', 'sticky'],
  ];
  for (let i = 0; i < names.length; i++) {
    const entry = names[i]!;
    const d = ReflectGetOwnPropertyDescriptor(RegExp.prototype, entry[1]);
    if (typeof d?.get === 'function') out[out.length] = [entry[0], d.get as (this: unknown) => unknown];
  }
  return out;
})();
const callSlice = uncurry(StringPrototypeSlice as never);
const callCharCodeAt = uncurry(StringPrototypeCharCodeAt as never);
const callSetAdd = uncurry(SetPrototypeAdd as never);
const callWeakMapGet = uncurry(WeakMapPrototypeGet as never);
const callWeakMapSet = uncurry(WeakMapPrototypeSet as never);
const callMapSize = uncurry(MapPrototypeGetSize as never);
const callSetSize = uncurry(SetPrototypeGetSize as never);
const callMapEntries = uncurry(MapPrototypeEntries as never);
const callMapIteratorNext = uncurry(MapIteratorPrototypeNext as never);
const callSetValues = uncurry(SetPrototypeValues as never);
const callSetIteratorNext = uncurry(SetIteratorPrototypeNext as never);
const callDateGetTime = uncurry(DatePrototypeGetTime as never);
const callDateToISOString = uncurry(DatePrototypeToISOString as never);
const callTypedArrayLength = uncurry(TypedArrayPrototypeGetLength as never);
const callSymbolDescription = uncurry(SymbolPrototypeGetDescription as never);
const callFunctionToString = uncurry(FunctionPrototypeToString as never);
const perfNow = performance.now.bind(performance);
const globalObject = globalThis;
const IntrinsicError = Error;

/** The current time in milliseconds, from a clock captured at load. */
export function monotonicNow(): number {
  return perfNow();
}

export function sliceString(s: string, start: number, end: number): string {
  return callSlice(s, start, end) as string;
}

export function charCodeAt(s: string, index: number): number {
  return callCharCodeAt(s, index) as number;
}

export function addToSet<T>(set: Set<T>, item: T): void {
  callSetAdd(set, item);
}

export function weakMapGet<K extends object, V>(map: WeakMap<K, V>, key: K): V | undefined {
  return callWeakMapGet(map, key) as V | undefined;
}

export function weakMapSet<K extends object, V>(map: WeakMap<K, V>, key: K, value: V): void {
  callWeakMapSet(map, key, value);
}

/** Own-property presence on a non-Proxy object: no descriptor is made and nothing is invoked. */
export function hasOwn(obj: object, key: PropertyKey): boolean {
  return ObjectHasOwn(obj, key);
}

/** Appends to an array the serializer created itself, without Array.prototype.push. */
export function append<T>(list: T[], item: T): void {
  list[list.length] = item;
}

/** What an own property holds, read from its descriptor without invoking it. */
export type OwnSlot =
  | { readonly kind: 'data'; readonly value: unknown }
  | { readonly kind: 'accessor'; readonly hasGet: boolean; readonly hasSet: boolean }
  | { readonly kind: 'absent' };

const ABSENT: OwnSlot = Object.freeze({ kind: 'absent' });

/**
 * Reads an own property descriptor of a non-Proxy object. The descriptor is a
 * fresh object the engine made, so its own fields are data; presence is checked
 * with hasOwn so that an accessor named `get` or `value` on Object.prototype is
 * never reached. Must not be called for the key `stack`: see errorStack.ts.
 */
export function ownSlot(obj: object, key: PropertyKey): OwnSlot {
  const d = ReflectGetOwnPropertyDescriptor(obj, key);
  if (d === undefined) return ABSENT;
  if (ObjectHasOwn(d, 'value')) return { kind: 'data', value: d.value };
  return { kind: 'accessor', hasGet: ObjectHasOwn(d, 'get') && d.get !== undefined, hasSet: ObjectHasOwn(d, 'set') && d.set !== undefined };
}

/**
 * What readOwn returns instead of a value for a property that is not a data
 * property. Private frozen objects: no user value can be one of them.
 */
export type NotData = typeof ABSENT_PROPERTY | typeof GETTER_ONLY | typeof SETTER_ONLY | typeof GETTER_SETTER;
export const ABSENT_PROPERTY: { readonly notData: 'absent' } = Object.freeze({ notData: 'absent' });
/** An accessor with a getter only, or (rare) with neither a getter nor a setter. */
export const GETTER_ONLY: { readonly notData: 'getter' } = Object.freeze({ notData: 'getter' });
export const SETTER_ONLY: { readonly notData: 'setter' } = Object.freeze({ notData: 'setter' });
export const GETTER_SETTER: { readonly notData: 'getter-setter' } = Object.freeze({ notData: 'getter-setter' });

/** True for the markers readOwn returns in place of a value (identity checks only: nothing of `v` is read). */
export function isNotData(v: unknown): v is NotData {
  return v === ABSENT_PROPERTY || v === GETTER_ONLY || v === SETTER_ONLY || v === GETTER_SETTER;
}

/**
 * The value of an own data property of a non-Proxy object, or a NotData
 * marker. Same safety as ownSlot (one engine-made descriptor, its fields
 * checked with hasOwn), without allocating a slot record: the serializer
 * calls this once per property it shows. Must not be called for `stack`.
 */
export function readOwn(obj: object, key: PropertyKey): unknown {
  const d = ReflectGetOwnPropertyDescriptor(obj, key);
  if (d === undefined) return ABSENT_PROPERTY;
  if (ObjectHasOwn(d, 'value')) return d.value;
  const hasGet = ObjectHasOwn(d, 'get') && d.get !== undefined;
  const hasSet = ObjectHasOwn(d, 'set') && d.set !== undefined;
  return hasSet ? (hasGet ? GETTER_SETTER : SETTER_ONLY) : GETTER_ONLY;
}

/** Prototype hops followed at most when looking a property up; real chains are a few long. */
export const MAX_PROTOTYPE_HOPS = 64;

export type LookupResult =
  | { readonly kind: 'data'; readonly value: unknown }
  /** An accessor, a Proxy on the chain, or a chain too long: the value cannot be known without running code. */
  | { readonly kind: 'unsafe' }
  | { readonly kind: 'absent' };

const UNSAFE: LookupResult = Object.freeze({ kind: 'unsafe' });
const NOT_FOUND: LookupResult = Object.freeze({ kind: 'absent' });

/** [[Get]] for data properties only: walks the prototype chain without traps or getters. */
export function lookupData(obj: object, key: PropertyKey): LookupResult {
  let current: object | null = obj;
  for (let hops = 0; current !== null; hops++) {
    if (hops > MAX_PROTOTYPE_HOPS || isProxy(current)) return UNSAFE;
    const slot = ownSlot(current, key);
    if (slot.kind === 'data') return slot;
    if (slot.kind === 'accessor') return UNSAFE;
    current = ReflectGetPrototypeOf(current);
  }
  return NOT_FOUND;
}

/** The prototype of a non-Proxy object (ordinary objects have no trap to run). */
export function prototypeOf(obj: object): object | null {
  return ReflectGetPrototypeOf(obj);
}

/**
 * Own keys of a non-Proxy object, strings then symbols, in the order
 * Reflect.ownKeys gives (the two lists are that order's halves). Two calls
 * because Object.getOwnPropertyNames has a fast path Reflect.ownKeys lacks
 * (about 50 ns against 600 ns for a small object on Node 20).
 */
export function ownKeys(obj: object): (string | symbol)[] {
  const names: (string | symbol)[] = ObjectGetOwnPropertyNames(obj);
  const symbols = ObjectGetOwnPropertySymbols(obj);
  for (let i = 0; i < symbols.length; i++) names[names.length] = symbols[i]!;
  return names;
}

export function mapSize(map: object): number {
  return callMapSize(map) as number;
}

export function setSize(set: object): number {
  return callSetSize(set) as number;
}

/** Result of a built-in iterator's next(): a fresh object with own data fields. */
interface IterStep {
  readonly done: boolean;
  readonly value: unknown;
}

export interface EntryCursor {
  /** Next [key, value] pair (Set: value twice), or undefined at the end. */
  next(): readonly [unknown, unknown] | undefined;
}

export function mapEntries(map: object): EntryCursor {
  const it = callMapEntries(map);
  return {
    next() {
      const step = callMapIteratorNext(it) as IterStep;
      if (step.done) return undefined;
      const pair = step.value as unknown[];
      return [pair[0], pair[1]];
    },
  };
}

export function setValues(set: object): EntryCursor {
  const it = callSetValues(set);
  return {
    next() {
      const step = callSetIteratorNext(it) as IterStep;
      if (step.done) return undefined;
      return [step.value, step.value];
    },
  };
}

export function dateTime(date: object): number {
  return callDateGetTime(date) as number;
}

export function dateIso(date: object): string {
  return callDateToISOString(date) as string;
}

export function regExpSource(re: object): string {
  return call(RegExpPrototypeGetSource, re) as string;
}

export function regExpFlags(re: object): string {
  let flags = '';
  for (let i = 0; i < REGEXP_FLAG_GETTERS.length; i++) {
    const entry = REGEXP_FLAG_GETTERS[i]!;
    if (call(entry[1], re) === true) flags += entry[0];
  }
  return flags;
}

export function typedArrayLength(ta: object): number {
  return callTypedArrayLength(ta) as number;
}

export function arrayBufferByteLength(buf: object): number {
  return call(isSharedArrayBuffer(buf) ? SharedArrayBufferPrototypeGetByteLength : ArrayBufferPrototypeGetByteLength, buf) as number;
}

export function dataViewByteLength(view: object): number {
  return call(DataViewPrototypeGetByteLength, view) as number;
}

/** A byte view of an (Shared)ArrayBuffer made with the intrinsic constructor: no user code. */
export function bytesOf(buf: ArrayBufferLike, length: number): Uint8Array {
  return new Uint8ArrayConstructor(buf, 0, length);
}

export function symbolDescription(sym: symbol): string | undefined {
  return callSymbolDescription(sym) as string | undefined;
}

/** The primitive inside a Number, String, Boolean, BigInt or Symbol object, read from its internal slot. */
export function unbox(obj: object): number | string | boolean | bigint | symbol {
  if (isNumberObject(obj)) return call(NumberPrototypeValueOf as never, obj) as number;
  if (isStringObject(obj)) return call(StringPrototypeValueOf as never, obj) as string;
  if (isBooleanObject(obj)) return call(BooleanPrototypeValueOf as never, obj) as boolean;
  if (isBigIntObject(obj)) return call(BigIntPrototypeValueOf as never, obj) as bigint;
  return call(SymbolPrototypeValueOf as never, obj) as symbol;
}

/** Source text of a non-Proxy function from the intrinsic toString (V8 slices the script source; no copy). */
export function functionSource(fn: object): string {
  return callFunctionToString(fn) as string;
}

/** The global object and the Error constructor this module was loaded with. */
export const realm = { globalObject, IntrinsicError } as const;

function isIdentifierPart(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x24 || code === 0x5f || code > 0x7f;
}

/**
 * True for `class` constructors. Class constructors have a non-writable
 * `prototype` (plain functions a writable one), and only those are confirmed
 * by the intrinsic Function.prototype.toString.
 */
export function isClassConstructor(fn: object): boolean {
  const d = ReflectGetOwnPropertyDescriptor(fn, 'prototype');
  if (d === undefined || !ObjectHasOwn(d, 'writable') || d.writable !== false) return false;
  const src = functionSource(fn);
  return src.length > 5 && sliceString(src, 0, 5) === 'class' && !isIdentifierPart(charCodeAt(src, 5));
}
