/**
 * Where the serializer meets the redactor. Fail closed: a redactor that throws
 * or reports `dropped` makes the text DROPPED_TEXT, never the raw text.
 *
 * Strings are masked on a window a little longer than what is kept and cut
 * afterwards, so a secret that straddles the cut is still recognised whole;
 * only the window is ever copied, however long the string.
 */
import { pb } from '@keyhole/protocol';
import { DROPPED_TEXT, maskedText, type MaskResult } from '../redact/redactor';
import { ArrayIsArray, addToSet, append, charCodeAt, sliceString } from './intrinsics';
import { reportError, SerializeErrorCode, type MaskedName, type SerializeContext } from './serializerContext';
import { cleanName, rememberIfClean } from './serializerNameCache';

/** Characters past maxStringLength that are masked too, so PII crossing the cut is recognised. Default 256. */
export const MASK_LOOKAHEAD = 256;
/** Kind recorded when masking could not finish and the text was dropped. */
export const DROPPED_KIND = 'dropped';
/** Marks a property name that was cut (names have no Cut field of their own). */
export const NAME_CUT_MARK = '…';

export interface MaskedString {
  readonly text: string;
  /** Kinds masked in this text, 'dropped' when masking failed. */
  readonly masked: string[];
  /** Length of the original in UTF-16 units. */
  readonly originalLength: number;
  /** True when the original was longer than maxStringLength. */
  readonly cut: boolean;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  if (end > 0) {
    const last = charCodeAt(text, end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
  }
  return sliceString(text, 0, end);
}

function runMaskText(text: string, ctx: SerializeContext): MaskResult | undefined {
  try {
    const r = ctx.redactor.maskText(text);
    if (r.dropped !== false || typeof r.text !== 'string' || !ArrayIsArray(r.kinds)) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

/** Returned for "nothing masked"; frozen, so that no caller can add to it by mistake. */
const NOTHING_MASKED: string[] = Object.freeze([]) as unknown as string[];

/** Records kinds on the capture and returns them as a fresh list for Value.masked (a shared empty one when none). */
function noteMasked(kinds: readonly string[], ctx: SerializeContext): string[] {
  if (kinds.length === 0) return NOTHING_MASKED;
  const out: string[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    if (typeof kind !== 'string') continue;
    addToSet(ctx.maskedKinds, kind);
    append(out, kind);
  }
  return out;
}

/** Masks and cuts one string. Copies at most maxStringLength + MASK_LOOKAHEAD units of it. */
export function maskString(s: string, ctx: SerializeContext): MaskedString {
  const max = ctx.limits.maxStringLength;
  const originalLength = s.length;
  const cut = originalLength > max;
  const windowEnd = max + MASK_LOOKAHEAD;
  const window = originalLength > windowEnd ? sliceString(s, 0, windowEnd) : s;
  const r = runMaskText(window, ctx);
  if (r === undefined) {
    reportError(ctx, SerializeErrorCode.MASK_DROPPED, 'masking could not finish on a text; it was dropped');
    return { text: DROPPED_TEXT, masked: noteMasked([DROPPED_KIND], ctx), originalLength, cut };
  }
  return { text: cut ? cutText(r.text, max) : r.text, masked: noteMasked(r.kinds, ctx), originalLength, cut };
}

/** A STRING value: masked, cut to maxStringLength and marked when cut. */
export function stringValue(s: string, ctx: SerializeContext): pb.Value.$Properties {
  const m = maskString(s, ctx);
  const v: pb.Value.$Properties = { kind: pb.ValueKind.STRING, text: m.text };
  if (m.cut) v.cut = { reason: pb.CutReason.STRING_LENGTH, originalSize: m.originalLength };
  if (m.masked.length) v.masked = m.masked;
  return v;
}

function sensitiveKind(name: string, ctx: SerializeContext): string | undefined {
  try {
    const kind = ctx.redactor.sensitiveName(name);
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    // Cannot tell whether the name is sensitive: treat it as such.
    return DROPPED_KIND;
  }
}

/**
 * A property, variable or Map-key name: masked like any text (an object keyed
 * by email addresses must not leak them), cut to maxStringLength, and looked
 * up by redactor.sensitiveName. Names masking left unchanged are remembered
 * across captures (serializerNameCache.ts), the others for this capture.
 */
export function maskName(name: string, ctx: SerializeContext): MaskedName {
  const clean = cleanName(ctx.cleanNames, name);
  if (clean !== undefined) return clean;
  const cached = ctx.nameCache[name];
  if (cached !== undefined) {
    noteMasked(cached.masked, ctx);
    return cached;
  }
  const m = maskString(name, ctx);
  const window = name.length > ctx.limits.maxStringLength + MASK_LOOKAHEAD ? sliceString(name, 0, ctx.limits.maxStringLength + MASK_LOOKAHEAD) : name;
  const sensitive = sensitiveKind(window, ctx);
  const entry: MaskedName = {
    text: m.cut ? m.text + NAME_CUT_MARK : m.text,
    masked: m.masked,
    sensitive,
  };
  if (!rememberIfClean(ctx.cleanNames, name, entry, sensitive === DROPPED_KIND)) ctx.nameCache[name] = entry;
  return entry;
}

/** The value under a sensitive name: its kind only, never its content. */
export function maskedByName(kind: pb.ValueKind, sensitive: string, ctx: SerializeContext): pb.Value.$Properties {
  return {
    kind,
    text: sensitive === DROPPED_KIND ? DROPPED_TEXT : maskedText(sensitive),
    masked: noteMasked([sensitive], ctx),
  };
}

/**
 * The value with the kinds masked in its name added. A new value when there
 * are any: values are never changed once made, because a depth-0 value can
 * be reused elsewhere in the capture.
 */
export function withNameMasked(value: pb.Value.$Properties, kinds: readonly string[]): pb.Value.$Properties {
  if (kinds.length === 0) return value;
  const list: string[] = [];
  const own = value.masked;
  if (own) for (let i = 0; i < own.length; i++) append(list, own[i]!);
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    let present = false;
    for (let j = 0; j < list.length; j++) if (list[j] === kind) present = true;
    if (!present) append(list, kind);
  }
  const out = copyValue(value);
  out.masked = list;
  return out;
}

/** A shallow copy of a value the serializer made (own data fields only). */
export function copyValue(value: pb.Value.$Properties): pb.Value.$Properties {
  const out: pb.Value.$Properties = {};
  if (value.kind !== undefined) out.kind = value.kind;
  if (value.text !== undefined) out.text = value.text;
  if (value.className !== undefined) out.className = value.className;
  if (value.properties !== undefined) out.properties = value.properties;
  if (value.entries !== undefined) out.entries = value.entries;
  if (value.cut !== undefined) out.cut = value.cut;
  if (value.masked !== undefined) out.masked = value.masked;
  return out;
}
