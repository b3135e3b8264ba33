// How one captured value reads in the Variables view, hovers and the Debug
// Console: never empty, masked and cut values said to be so. Pure.
import { type DebugProtocol } from '@vscode/debugprotocol';
import { pb } from '@keyhole/protocol';

const CUT_WHY: Readonly<Record<number, string>> = {
  [pb.CutReason.STRING_LENGTH]: 'string length limit',
  [pb.CutReason.PROPERTY_COUNT]: 'property limit',
  [pb.CutReason.COLLECTION_ITEMS]: 'item limit',
  [pb.CutReason.DEPTH]: 'depth limit',
  [pb.CutReason.BYTES]: 'snapshot size limit',
  [pb.CutReason.TIME]: 'capture time limit',
};

export function cutText(cut: pb.ICut | null | undefined): string {
  if (!cut || !cut.reason) return '';
  const size = Number(cut.originalSize ?? 0);
  const why = CUT_WHY[cut.reason] ?? 'a capture limit';
  if (cut.reason === pb.CutReason.STRING_LENGTH) return ` … (cut at the ${why}${size ? `; ${size} characters in all` : ''})`;
  if (cut.reason === pb.CutReason.DEPTH || cut.reason === pb.CutReason.BYTES || cut.reason === pb.CutReason.TIME) return ` … (not captured: ${why})`;
  return ` … (cut at the ${why}${size ? `; ${size} in all` : ''})`;
}

/** True when the whole value was replaced by a mask or dropped. */
export function isFullyMasked(v: pb.IValue): boolean {
  const t = v.text ?? '';
  return (v.masked?.length ?? 0) > 0 && (t.startsWith('[MASKED:') || t.startsWith('[DROPPED:'));
}

export function valueText(v: pb.IValue): string {
  const text = v.text ?? '';
  if (isFullyMasked(v)) return text;
  const cut = cutText(v.cut);
  const maskedInside = v.masked?.length ? ` (masked inside: ${v.masked.join(', ')})` : '';
  switch (v.kind) {
    case pb.ValueKind.STRING:
      return JSON.stringify(text) + cut + maskedInside;
    case pb.ValueKind.UNDEFINED:
      return 'undefined';
    case pb.ValueKind.NULL:
      return 'null';
    case pb.ValueKind.FUNCTION:
      return `ƒ ${text || 'anonymous'}`;
    case pb.ValueKind.GETTER:
      return `${text || '[Getter]'} (not run by Keyhole)`;
    case pb.ValueKind.PROXY:
      return `${text || 'Proxy'} (not looked into)`;
    case pb.ValueKind.CYCLE:
      return `${text || '[Circular]'}${v.className ? ` ${v.className}` : ''}`;
    default: {
      const shown = text || v.className || (pb.ValueKind[v.kind ?? 0] ?? 'value').toLowerCase();
      const named = v.className && text && !text.startsWith(v.className) && v.kind === pb.ValueKind.OBJECT ? `${v.className} ${text}` : shown;
      return named + cut + maskedInside;
    }
  }
}

export function typeText(v: pb.IValue): string {
  return v.className || (pb.ValueKind[v.kind ?? 0] ?? 'value').toLowerCase();
}

/** Read-only always; masked values and unread getters also say so through the hint. */
export function presentationHint(v: pb.IValue): DebugProtocol.VariablePresentationHint {
  if (isFullyMasked(v)) return { kind: 'data', attributes: ['readOnly'], visibility: 'public' };
  if (v.kind === pb.ValueKind.GETTER) return { kind: 'property', attributes: ['readOnly'] };
  if (v.kind === pb.ValueKind.FUNCTION) return { kind: 'method', attributes: ['readOnly'] };
  return { attributes: ['readOnly'] };
}
