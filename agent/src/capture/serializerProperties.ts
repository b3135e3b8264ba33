/**
 * Own properties of a non-Proxy object, read through their descriptors only:
 * data properties are serialized, accessors reported as GETTER and never
 * invoked, names masked, and values under sensitive names masked whole
 * without looking inside.
 */
import { pb } from '@keyhole/protocol';
import { stackReadIsSafe } from './errorStack';
import { append, ownKeys, ownSlot, type OwnSlot } from './intrinsics';
import { PROPERTY_OVERHEAD_BYTES, reportError, SerializeErrorCode, type SerializeContext } from './serializerContext';
import { getterValue, kindOf, leaf, symbolText, UNREAD_STACK } from './serializerLeaves';
import { maskedByName, maskName, mergeMasked } from './serializerMasking';

/** Serializes a child value at a depth; the dispatcher in serializer.ts. */
export type ValueSerializer = (value: unknown, depth: number, ctx: SerializeContext) => pb.Value.$Properties;

/** The slot of `key`, or a marker when reading it could run user code (a lazily formatted stack) or failed. */
function readSlot(holder: object, key: string | symbol, ctx: SerializeContext): OwnSlot | 'unread-stack' | 'unreadable' {
  if (key === 'stack' && !stackReadIsSafe(holder)) return 'unread-stack';
  try {
    return ownSlot(holder, key);
  } catch {
    // e.g. a module namespace binding still in its temporal dead zone.
    reportError(ctx, SerializeErrorCode.UNREADABLE, 'a property could not be read');
    return 'unreadable';
  }
}

/** Value for a slot, serialized or, under a sensitive name, only its kind. */
function slotValue(slot: OwnSlot | 'unread-stack' | 'unreadable', sensitive: string | undefined, depth: number, ctx: SerializeContext, serialize: ValueSerializer): pb.Value.$Properties {
  if (slot === 'unread-stack') return sensitive === undefined ? { ...UNREAD_STACK } : maskedByName(pb.ValueKind.GETTER, sensitive, ctx);
  if (slot === 'unreadable') return leaf(pb.ValueKind.OTHER, '[unreadable]');
  if (slot.kind === 'accessor') return sensitive === undefined ? getterValue(slot.hasGet, slot.hasSet) : maskedByName(pb.ValueKind.GETTER, sensitive, ctx);
  if (slot.kind === 'absent') return leaf(pb.ValueKind.UNDEFINED, 'undefined');
  return sensitive === undefined ? serialize(slot.value, depth, ctx) : maskedByName(kindOf(slot.value), sensitive, ctx);
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
  const value = slotValue(readSlot(holder, key, ctx), sensitive, depth, ctx, serialize);
  mergeMasked(value, nameMasked);
  ctx.budget.charge(PROPERTY_OVERHEAD_BYTES + name.length);
  return { name, value };
}

/** An array item, named by its index; indices are not masked (they are short numbers). */
export function indexedPropertyOf(holder: object, index: number, slot: OwnSlot, depth: number, ctx: SerializeContext, serialize: ValueSerializer): pb.Property.$Properties {
  const name = `${index}`;
  ctx.budget.charge(PROPERTY_OVERHEAD_BYTES + name.length);
  return { name, value: slotValue(slot, undefined, depth, ctx, serialize) };
}

export interface PropertyList {
  readonly properties: pb.Property.$Properties[];
  /** Own properties there were, after `skip`. */
  readonly total: number;
  /** Set when a budget stopped the listing. */
  readonly stoppedBy: pb.CutReason | undefined;
}

/** Up to maxProperties own properties (strings, then symbols), with values at `depth`. */
export function ownProperties(
  holder: object,
  depth: number,
  ctx: SerializeContext,
  serialize: ValueSerializer,
  skip?: (key: string | symbol) => boolean,
): PropertyList {
  const keys = ownKeys(holder);
  const properties: pb.Property.$Properties[] = [];
  let total = 0;
  let stoppedBy: pb.CutReason | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (skip !== undefined && skip(key)) continue;
    total++;
    if (properties.length >= ctx.limits.maxProperties || stoppedBy !== undefined) continue;
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
