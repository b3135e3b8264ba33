/**
 * Turns live values of a paused frame into the wire value model without
 * running any user code, under the capture limits, with everything masked.
 *
 * How "no user code" is kept: a Proxy is recognised (util.types.isProxy)
 * before anything else touches a value and is never looked into; objects are
 * read only through own property descriptors (accessors are reported, not
 * called) and through built-ins captured at load (intrinsics.ts); class names
 * come from data properties on the prototype chain; nothing is ever converted
 * to a string or primitive by the language (no String(x), no template literal
 * of an object, no valueOf/toString/toJSON/Symbol.toPrimitive/toStringTag).
 * Error stacks are read only when formatting them cannot run user code (see
 * errorStack.ts). Failures become ctx.errors, never exceptions.
 *
 * What is remembered, each giving exactly what recomputing would: names the
 * redactor left unchanged, across captures of one redactor
 * (serializerNameCache.ts); class names by prototype and depth-0 values by
 * identity, within one capture only (classNameIn, topLevelObject). Values
 * are never changed once made, since one can appear twice in a snapshot.
 * warmUpSerializer (serializerWarmUp.ts) gets this code optimized before
 * the first capture.
 */
import { pb } from '@keyhole/protocol';
import {
  append,
  arrayBufferByteLength,
  dataViewByteLength,
  isBoxedPrimitive,
  isDataView,
  isProxy,
  isSet,
  isWeakMap,
  lookupData,
  mapSize,
  setSize,
  typedArrayLength,
} from './intrinsics';
import { reportError, SerializeErrorCode, VALUE_OVERHEAD_BYTES, type SerializeContext } from './serializerContext';
import { expandArray, expandArrayBuffer, expandKeyed, expandTypedArray, type Expansion } from './serializerCollections';
import {
  anonymousObjectText,
  boxedValue,
  classNameIn,
  classNameOf,
  dateValue,
  functionValue,
  kindOf,
  leaf,
  numberText,
  nonProxyKind,
  numericValue,
  proxyValue,
  regExpValue,
  symbolValue,
} from './serializerLeaves';
import { maskString, stringValue } from './serializerMasking';
import { containerCut, ownProperties, type ValueSerializer } from './serializerProperties';

export { createSerializeContext, SerializeErrorCode, type SerializeContext } from './serializerContext';
export { MASK_LOOKAHEAD } from './serializerMasking';

/** Serializes one value (a variable's value, `this`, an expression result) as a top-level value. */
export function serializeValue(value: unknown, ctx: SerializeContext): pb.Value.$Properties {
  return valueAt(value, 0, ctx);
}

/**
 * Own properties of a scope-like holder (an inspector scope object, whose own
 * properties are a frame's variables) as variables. Names are masked and
 * checked with redactor.sensitiveName; maxProperties applies and the cut is
 * returned for the Scope.
 */
export function serializeVariables(holder: object, ctx: SerializeContext): { variables: pb.Property.$Properties[]; cut?: pb.Cut.$Properties } {
  if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function') || isProxy(holder)) {
    reportError(ctx, SerializeErrorCode.BAD_SCOPE, 'a scope holder was not a plain object; its variables were not read');
    return { variables: [] };
  }
  try {
    const list = ownProperties(holder, 0, ctx, valueAt);
    const cut = containerCut(undefined, 0, false, list, ctx.limits.maxProperties);
    return cut ? { variables: list.properties, cut } : { variables: list.properties };
  } catch (err) {
    reportInternal(err, ctx);
    return { variables: [] };
  }
}

/** Depth-0 values remembered per capture for reuse (serializerContext.ts ReusedValues). Default 32. */
export const MAX_REUSED_VALUES = 32;

const valueAt: ValueSerializer = (value, depth, ctx) => {
  const stop = ctx.budget.spend();
  if (stop !== undefined) return { kind: kindOf(value), cut: { reason: stop, originalSize: typeof value === 'string' ? value.length : 0 } };
  if (depth === 0 && typeof value === 'object' && value !== null) return topLevelObject(value, ctx);
  return describeCharged(value, depth, ctx);
};

function describeCharged(value: unknown, depth: number, ctx: SerializeContext): pb.Value.$Properties {
  let v: pb.Value.$Properties;
  try {
    v = describe(value, depth, ctx);
  } catch (err) {
    reportInternal(err, ctx);
    v = leaf(pb.ValueKind.OTHER, '[unserializable]');
  }
  ctx.budget.charge(VALUE_OVERHEAD_BYTES + (v.text?.length ?? 0) + (v.className?.length ?? 0));
  return v;
}

/**
 * An object at depth 0: the value made for it earlier in this capture when
 * there is one and its bytes still fit the budget (they are charged again:
 * the snapshot carries it twice), else serialized and remembered.
 */
function topLevelObject(obj: object, ctx: SerializeContext): pb.Value.$Properties {
  const reused = ctx.reused;
  const objects = reused.objects;
  for (let i = 0; i < objects.length; i++) {
    if (objects[i] !== obj) continue;
    const bytes = reused.bytes[i]!;
    if (ctx.budget.bytesUsed + bytes > ctx.limits.maxBytes) break;
    ctx.budget.charge(bytes);
    return reused.values[i]!;
  }
  const before = ctx.budget.bytesUsed;
  const v = describeCharged(obj, 0, ctx);
  if (objects.length < MAX_REUSED_VALUES) {
    append(objects, obj);
    append(reused.values, v);
    append(reused.bytes, ctx.budget.bytesUsed - before);
  }
  return v;
}

function reportInternal(err: unknown, ctx: SerializeContext): void {
  // Only the error's class: its message may quote user data.
  const cls = err !== null && typeof err === 'object' && !isProxy(err) ? classNameOf(err) : typeof err;
  reportError(ctx, SerializeErrorCode.INTERNAL, `a value could not be serialized (${cls || 'unknown'})`);
}

function describe(value: unknown, depth: number, ctx: SerializeContext): pb.Value.$Properties {
  switch (typeof value) {
    case 'undefined':
      return leaf(pb.ValueKind.UNDEFINED, 'undefined');
    case 'boolean':
      return leaf(pb.ValueKind.BOOLEAN, value ? 'true' : 'false');
    case 'number':
      return numericValue(pb.ValueKind.NUMBER, numberText(value), ctx);
    case 'bigint':
      return numericValue(pb.ValueKind.BIGINT, `${value}`, ctx, 'n');
    case 'string':
      return stringValue(value, ctx);
    case 'symbol':
      return symbolValue(value, ctx);
    case 'function':
      return isProxy(value) ? proxyValue(value) : functionValue(value, ctx);
    default:
      if (value === null) return leaf(pb.ValueKind.NULL, 'null');
      if (isProxy(value)) return proxyValue(value as object);
      return objectValue(value as object, depth, ctx);
  }
}

/** Whether `obj` is one of the objects being expanded above `depth` (ctx.path[0..depth-1]). */
function onPath(obj: object, depth: number, ctx: SerializeContext): boolean {
  const path = ctx.path;
  for (let i = 0; i < depth; i++) if (path[i] === obj) return true;
  return false;
}

function objectValue(obj: object, depth: number, ctx: SerializeContext): pb.Value.$Properties {
  const className = classNameIn(obj, ctx);
  if (onPath(obj, depth, ctx)) return leaf(pb.ValueKind.CYCLE, '[Circular]', className);
  const kind = nonProxyKind(obj);
  switch (kind) {
    case pb.ValueKind.DATE:
      return dateValue(obj, className);
    case pb.ValueKind.REGEXP:
      return regExpValue(obj, className, ctx);
    case pb.ValueKind.PROMISE:
      // A promise's state sits in internal slots no public built-in reads.
      return leaf(kind, className || 'Promise', className);
    case pb.ValueKind.WEAK_COLLECTION:
      // Weak collections cannot be enumerated from JavaScript.
      return leaf(kind, className || (isWeakMap(obj) ? 'WeakMap' : 'WeakSet'), className);
    case pb.ValueKind.OTHER:
      return otherValue(obj, className);
    default:
      break;
  }
  if (kind === pb.ValueKind.OBJECT && isBoxedPrimitive(obj)) return boxedValue(obj, className, ctx);
  const size = containerSize(obj, kind);
  const value = kind === pb.ValueKind.ERROR ? errorHead(obj, className, ctx) : leaf(kind, containerText(obj, kind, className, size), className);
  if (depth >= ctx.limits.maxDepth) {
    value.cut = { reason: pb.CutReason.DEPTH, originalSize: size };
    return value;
  }
  // path[depth] is this object while its children (at depth + 1) are serialized.
  ctx.path[depth] = obj;
  expand(obj, kind, size, depth + 1, ctx, value);
  return value;
}

function otherValue(obj: object, className: string): pb.Value.$Properties {
  if (!isDataView(obj)) return leaf(pb.ValueKind.OTHER, className || 'External', className);
  let size: string;
  try {
    size = `${dataViewByteLength(obj)}`;
  } catch {
    size = 'detached';
  }
  return leaf(pb.ValueKind.OTHER, `${className || 'DataView'}(${size})`, className);
}

/** Items, entries or bytes a container holds; 0 where counting would cost (plain objects, errors). */
function containerSize(obj: object, kind: pb.ValueKind): number {
  switch (kind) {
    case pb.ValueKind.ARRAY:
      return (obj as unknown[]).length;
    case pb.ValueKind.TYPED_ARRAY:
      return typedArrayLength(obj);
    case pb.ValueKind.ARRAY_BUFFER:
      return arrayBufferByteLength(obj);
    case pb.ValueKind.MAP:
      return mapSize(obj);
    case pb.ValueKind.SET:
      return setSize(obj);
    default:
      return 0;
  }
}

/** The one-line text of a container: `Label(size)`, or the class name of a plain object. */
function containerText(obj: object, kind: pb.ValueKind, className: string, size: number): string {
  switch (kind) {
    case pb.ValueKind.ARRAY:
      return `${className || 'Array'}(${size})`;
    case pb.ValueKind.TYPED_ARRAY:
      return `${className || 'TypedArray'}(${size})`;
    case pb.ValueKind.ARRAY_BUFFER:
      return `${className || 'ArrayBuffer'}(${size})`;
    case pb.ValueKind.MAP:
      return `${className || 'Map'}(${size})`;
    case pb.ValueKind.SET:
      return `${className || 'Set'}(${size})`;
    default:
      return className || anonymousObjectText(obj);
  }
}

/** `Name: message`, from data properties only; both masked. The full message and stack follow as properties. */
function errorHead(err: object, className: string, ctx: SerializeContext): pb.Value.$Properties {
  const nameSlot = lookupData(err, 'name');
  const rawName = nameSlot.kind === 'data' && typeof nameSlot.value === 'string' && nameSlot.value ? nameSlot.value : className || 'Error';
  const name = maskString(rawName, ctx);
  const messageSlot = lookupData(err, 'message');
  const message = messageSlot.kind === 'data' && typeof messageSlot.value === 'string' && messageSlot.value ? maskString(messageSlot.value, ctx) : undefined;
  const value = leaf(pb.ValueKind.ERROR, message ? `${name.text}: ${message.text}` : name.text, className);
  const masked: string[] = [];
  for (let i = 0; i < name.masked.length; i++) append(masked, name.masked[i]!);
  if (message) for (let i = 0; i < message.masked.length; i++) append(masked, message.masked[i]!);
  if (masked.length) value.masked = masked;
  return value;
}

/** Fills in the children of `value` (properties or entries) and its cut. */
function expand(obj: object, kind: pb.ValueKind, size: number, depth: number, ctx: SerializeContext, value: pb.Value.$Properties): void {
  let expansion: Expansion;
  switch (kind) {
    case pb.ValueKind.ARRAY:
      expansion = expandArray(obj as unknown[], depth, ctx, valueAt);
      break;
    case pb.ValueKind.TYPED_ARRAY:
      expansion = expandTypedArray(obj as ArrayLike<unknown>, size, depth, ctx, valueAt);
      break;
    case pb.ValueKind.ARRAY_BUFFER:
      expansion = expandArrayBuffer(obj as ArrayBufferLike, size, depth, ctx, valueAt);
      break;
    case pb.ValueKind.MAP:
    case pb.ValueKind.SET:
      expansion = expandKeyed(obj, size, isSet(obj), depth, ctx, valueAt);
      break;
    default: {
      const list = ownProperties(obj, depth, ctx, valueAt);
      if (list.properties.length) value.properties = list.properties;
      const cut = containerCut(undefined, 0, false, list, ctx.limits.maxProperties);
      if (cut) value.cut = cut;
      return;
    }
  }
  if (expansion.properties) value.properties = expansion.properties;
  if (expansion.entries) value.entries = expansion.entries;
  if (expansion.cut) value.cut = expansion.cut;
}
