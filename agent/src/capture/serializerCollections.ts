/**
 * Arrays (sparse too), typed arrays and Buffers, ArrayBuffers, Maps and Sets:
 * items up to maxCollectionItems, read through internal slots and captured
 * built-in iterators, never through the user-visible protocol (no
 * Symbol.iterator, no `entries` looked up on the object, no `size` getter
 * looked up on it).
 */
import { pb } from '@keyhole/protocol';
import { ABSENT_PROPERTY, append, bytesOf, mapEntries, readOwn, setValues, type EntryCursor } from './intrinsics';
import { PROPERTY_OVERHEAD_BYTES, type SerializeContext } from './serializerContext';
import { kindOf } from './serializerLeaves';
import { maskName, maskedByName } from './serializerMasking';
import { containerCut, indexedPropertyOf, ownProperties, type ValueSerializer } from './serializerProperties';

export interface Expansion {
  properties?: pb.Property.$Properties[];
  entries?: pb.MapEntry.$Properties[];
  cut?: pb.Cut.$Properties;
}

function finish(properties: pb.Property.$Properties[], cut: pb.Cut.$Properties | undefined): Expansion {
  const out: Expansion = {};
  if (properties.length) out.properties = properties;
  if (cut) out.cut = cut;
  return out;
}

/**
 * Items 0..maxCollectionItems-1 by own descriptor; holes are left out, so the
 * gaps show in the item names. Other own properties (e.g. a RegExp match's
 * `index`) are listed only for arrays no longer than maxCollectionItems,
 * because listing keys of a long array allocates one string per element.
 */
export function expandArray(arr: unknown[], depth: number, ctx: SerializeContext, serialize: ValueSerializer): Expansion {
  const length = arr.length;
  const shown = length < ctx.limits.maxCollectionItems ? length : ctx.limits.maxCollectionItems;
  const properties: pb.Property.$Properties[] = [];
  let stoppedBy: pb.CutReason | undefined;
  let present = 0;
  for (let i = 0; i < shown; i++) {
    if ((stoppedBy = ctx.budget.exhausted) !== undefined) break;
    const item = readOwn(arr, i);
    if (item === ABSENT_PROPERTY) continue;
    present++;
    append(properties, indexedPropertyOf(i, item, depth, ctx, serialize));
  }
  if (stoppedBy !== undefined || length > ctx.limits.maxCollectionItems) {
    return finish(properties, containerCut(stoppedBy, length, length > ctx.limits.maxCollectionItems));
  }
  // Every own index key was met above (all are below length): skip that many keys, then `length`.
  const extra = ownProperties(arr, depth, ctx, serialize, present);
  for (let i = 0; i < extra.properties.length; i++) append(properties, extra.properties[i]!);
  return finish(properties, containerCut(undefined, length, false, extra, ctx.limits.maxProperties));
}

/** Elements of a typed array (Buffer included) or of a byte view; integer-indexed reads never reach a prototype. */
function expandIndexed(view: ArrayLike<unknown>, length: number, depth: number, ctx: SerializeContext, serialize: ValueSerializer): Expansion {
  const shown = length < ctx.limits.maxCollectionItems ? length : ctx.limits.maxCollectionItems;
  const properties: pb.Property.$Properties[] = [];
  let stoppedBy: pb.CutReason | undefined;
  for (let i = 0; i < shown; i++) {
    if ((stoppedBy = ctx.budget.exhausted) !== undefined) break;
    const name = `${i}`;
    ctx.budget.charge(PROPERTY_OVERHEAD_BYTES + name.length);
    append(properties, { name, value: serialize(view[i], depth, ctx) });
  }
  return finish(properties, containerCut(stoppedBy, length, length > ctx.limits.maxCollectionItems));
}

export function expandTypedArray(ta: ArrayLike<unknown>, length: number, depth: number, ctx: SerializeContext, serialize: ValueSerializer): Expansion {
  return expandIndexed(ta, length, depth, ctx, serialize);
}

/** An (Shared)ArrayBuffer's bytes, through a fresh Uint8Array made by the intrinsic constructor. */
export function expandArrayBuffer(buf: ArrayBufferLike, byteLength: number, depth: number, ctx: SerializeContext, serialize: ValueSerializer): Expansion {
  if (byteLength === 0) return {};
  const shown = byteLength < ctx.limits.maxCollectionItems ? byteLength : ctx.limits.maxCollectionItems;
  const expansion = expandIndexed(bytesOf(buf, shown), shown, depth, ctx, serialize);
  if (expansion.cut === undefined && byteLength > shown) expansion.cut = { reason: pb.CutReason.COLLECTION_ITEMS, originalSize: byteLength };
  return expansion;
}

/** Map entries (`isSet`: Set values, reported as entries with a value only) plus the collection's own properties. */
export function expandKeyed(collection: object, size: number, isSet: boolean, depth: number, ctx: SerializeContext, serialize: ValueSerializer): Expansion {
  const cursor: EntryCursor = isSet ? setValues(collection) : mapEntries(collection);
  const entries: pb.MapEntry.$Properties[] = [];
  let stoppedBy: pb.CutReason | undefined;
  for (let i = 0; i < ctx.limits.maxCollectionItems; i++) {
    if ((stoppedBy = ctx.budget.exhausted) !== undefined) break;
    const entry = cursor.next();
    if (entry === undefined) break;
    ctx.budget.charge(PROPERTY_OVERHEAD_BYTES);
    if (isSet) {
      append(entries, { value: serialize(entry[0], depth, ctx) });
      continue;
    }
    const key = entry[0];
    const sensitive = typeof key === 'string' ? maskName(key, ctx).sensitive : undefined;
    append(entries, {
      key: serialize(key, depth, ctx),
      value: sensitive === undefined ? serialize(entry[1], depth, ctx) : maskedByName(kindOf(entry[1]), sensitive, ctx),
    });
  }
  const own = stoppedBy === undefined ? ownProperties(collection, depth, ctx, serialize) : undefined;
  const out: Expansion = {};
  if (entries.length) out.entries = entries;
  if (own !== undefined && own.properties.length) out.properties = own.properties;
  const cut = containerCut(stoppedBy, size, size > ctx.limits.maxCollectionItems, own, ctx.limits.maxProperties);
  if (cut) out.cut = cut;
  return out;
}
