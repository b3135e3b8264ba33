/**
 * Own properties of a non-Proxy object, read through their descriptors only:
 * data properties are serialized, accessors reported as GETTER and never
 * invoked, names masked, and values under sensitive names masked whole
 * without looking inside.
 */
import { pb } from '@keyhole/protocol';
import { stackReadIsSafe } from './errorStack';
import { ABSENT_PROPERTY, append, GETTER_SETTER, isNotData, ownKeys, readOwn, SETTER_ONLY } from './intrinsics';
import { PROPERTY_OVERHEAD_BYTES, reportError, SerializeErrorCode, type SerializeContext } from './serializerContext';
import { getterValue, kindOf, leaf, symbolText, UNREAD_STACK } from './serializerLeaves';
import { maskedByName, maskName, withNameMasked } from './serializerMasking';

/** Serializes a child value at a depth; the dispatcher in serializer.ts. */
export type ValueSerializer = (value: unknown, depth: number, ctx: SerializeContext) => pb.Value.$Properties;

/** readSlot's markers besides intrinsics' NotData: a lazily formatted stack, a property that threw. */
const UNREAD_STACK_SLOT: { readonly notRead: 'stack' } = Object.freeze({ notRead: 'stack' });
const UNREADABLE_SLOT: { readonly notRead: 'unreadable' } = Object.freeze({ notRead: 'unreadable' });
const UNINITIALIZED_SLOT: { readonly notRead: 'uninitialized' } = Object.freeze({ notRead: 'uninitialized' });
/**
 * A value a scope holder built by the agent itself (the pause-free capture)
 * stores for a binding in its temporal dead zone; serialized as
 * `<uninitialized>`. No host value can be this object.
 */
export const UNINITIALIZED_VALUE: unknown = UNINITIALIZED_SLOT;
/** Taken at load so a patched ReferenceError or Symbol.hasInstance cannot change the answer. */
const REFERENCE_ERROR_PROTOTYPE: object = ReferenceError.prototype;
const getPrototypeOf = Object.getPrototypeOf;

/** The value of `key`, a NotData marker, or a marker when reading it could run user code (a lazy stack) or failed. */
function readSlot(holder: object, key: string | symbol, ctx: SerializeContext): unknown {
  if (key === 'stack' && !stackReadIsSafe(holder)) return UNREAD_STACK_SLOT;
  try {
    return readOwn(holder, key);
  } catch (err) {
    // A let/const still in its temporal dead zone (a context-allocated local of
    // an async function awaiting before its declaration, a module binding) throws
    // a ReferenceError when read: it has no value yet, which is data, not an error.
    if (err !== null && typeof err === 'object' && getPrototypeOf(err) === REFERENCE_ERROR_PROTOTYPE) return UNINITIALIZED_SLOT;
    reportError(ctx, SerializeErrorCode.UNREADABLE, 'a property could not be read');
    return UNREADABLE_SLOT;
  }
}

/** Value for what readSlot returned: serialized or, under a sensitive name, only its kind. */
function slotValue(slot: unknown, sensitive: string | undefined, depth: number, ctx: SerializeContext, serialize: ValueSerializer): pb.Value.$Properties {
  if (slot === UNREAD_STACK_SLOT) return sensitive === undefined ? { kind: UNREAD_STACK.kind, text: UNREAD_STACK.text } : maskedByName(pb.ValueKind.GETTER, sensitive, ctx);
  if (slot === UNREADABLE_SLOT) return leaf(pb.ValueKind.OTHER, '[unreadable]');
  if (slot === UNINITIALIZED_SLOT) return leaf(pb.ValueKind.UNDEFINED, '<uninitialized>');
  if (isNotData(slot)) {
    if (slot === ABSENT_PROPERTY) return leaf(pb.ValueKind.UNDEFINED, 'undefined');
    if (sensitive !== undefined) return maskedByName(pb.ValueKind.GETTER, sensitive, ctx);
    return getterValue(slot !== SETTER_ONLY, slot === SETTER_ONLY || slot === GETTER_SETTER);
  }
  return sensitive === undefined ? serialize(slot, depth, ctx) : maskedByName(kindOf(slot), sensitive, ctx);
}

/** One own property of `holder`, its value at `depth`. */
export function propertyOf(holder: object, key: string | symbol, depth: number, ctx: SerializeContext, serialize: ValueSerializer): pb.Property.$Properties {
  let name: string;
  let nameMasked: readonly string[];
  let sensitive: string | undefined;
  if (typeof key === 'string') {
    const m = maskName(key, ctx);
    name = m.text;
    nameMasked = m.masked;
    sensitive = m.sensitive;
  } else {
    const t = symbolText(key, ctx);
    name = `[${t.text}]`;
    nameMasked = t.masked;
    sensitive = undefined;
  }
  const value = withNameMasked(slotValue(readSlot(holder, key, ctx), sensitive, depth, ctx, serialize), nameMasked);
  ctx.budget.charge(PROPERTY_OVERHEAD_BYTES + name.length);
  return { name, value };
}

/** An array item, named by its index; indices are not masked (they are short numbers). `item` is what readOwn returned. */
export function indexedPropertyOf(index: number, item: unknown, depth: number, ctx: SerializeContext, serialize: ValueSerializer): pb.Property.$Properties {
  const name = `${index}`;
  ctx.budget.charge(PROPERTY_OVERHEAD_BYTES + name.length);
  return { name, value: slotValue(item, undefined, depth, ctx, serialize) };
}

export interface PropertyList {
  readonly properties: pb.Property.$Properties[];
  /** Own properties there were, after the skipped ones. */
  readonly total: number;
  /** Set when a budget stopped the listing. */
  readonly stoppedBy: pb.CutReason | undefined;
}

/**
 * Up to maxProperties own properties (strings, then symbols), with values at
 * `depth`. For an array, `arrayIndices` is how many own index keys it has:
 * they come first in the key order and are skipped, as is `length`.
 */
export function ownProperties(holder: object, depth: number, ctx: SerializeContext, serialize: ValueSerializer, arrayIndices = -1): PropertyList {
  const keys = ownKeys(holder);
  const properties: pb.Property.$Properties[] = [];
  const max = ctx.limits.maxProperties;
  let total = 0;
  let stoppedBy: pb.CutReason | undefined;
  for (let i = arrayIndices < 0 ? 0 : arrayIndices; i < keys.length; i++) {
    const key = keys[i]!;
    if (arrayIndices >= 0 && key === 'length') continue;
    total++;
    if (properties.length >= max || stoppedBy !== undefined) continue;
    stoppedBy = ctx.budget.exhausted;
    if (stoppedBy === undefined) append(properties, propertyOf(holder, key, depth, ctx, serialize));
  }
  return { properties, total, stoppedBy };
}

/** The cut to mark on a container, the most informative first: a budget, then items, then properties. */
export function containerCut(stoppedBy: pb.CutReason | undefined, size: number, itemsCut: boolean, list?: PropertyList, maxProperties?: number): pb.Cut.$Properties | undefined {
  if (stoppedBy !== undefined) return { reason: stoppedBy, originalSize: size };
  if (list?.stoppedBy !== undefined) return { reason: list.stoppedBy, originalSize: list.total };
  if (itemsCut) return { reason: pb.CutReason.COLLECTION_ITEMS, originalSize: size };
  if (list !== undefined && maxProperties !== undefined && list.total > maxProperties) return { reason: pb.CutReason.PROPERTY_COUNT, originalSize: list.total };
  return undefined;
}
