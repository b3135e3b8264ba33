// Evaluate reads captured data only: a name, or a member path such as
// `customer.address.city`, `items[0].sku` or `meta["channel"]`, looked up in
// the selected frame's scopes. Nothing is sent to the service. Pure.
import { pb } from '@keyhole/protocol';
import { LOOKUP_ORDER } from './snapshotModel';

export type PathParse = { readonly ok: true; readonly parts: readonly string[] } | { readonly ok: false; readonly why: string };

const IDENT = /^[A-Za-z_$][\w$]*/;

/** Splits a member path into property names; anything else (calls, operators) is refused. */
export function parseMemberPath(expression: string): PathParse {
  const s = expression.trim();
  const head = IDENT.exec(s);
  if (!head) return { ok: false, why: 'only a name or a member path (a.b, a[0], a["key"]) of captured values can be read' };
  const parts = [head[0]];
  let i = head[0].length;
  while (i < s.length) {
    const rest = s.slice(i);
    const dot = /^\s*\.\s*([A-Za-z_$][\w$]*)/.exec(rest);
    const index = /^\s*\[\s*(\d+)\s*\]/.exec(rest);
    const quoted = /^\s*\[\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\]/.exec(rest);
    const m = dot ?? index ?? quoted;
    if (!m) return { ok: false, why: `cannot read "${rest.trim()}": only member access of captured values is possible` };
    const raw = m[1]!;
    parts.push(quoted && m === quoted ? (JSON.parse(raw.startsWith("'") ? `"${raw.slice(1, -1).replace(/"/g, '\\"')}"` : raw) as string) : raw);
    i += m[0].length;
  }
  return { ok: true, parts };
}

function child(v: pb.IValue, name: string): pb.IValue | undefined {
  const p = v.properties?.find((x) => x.name === name);
  if (p) return p.value ?? undefined;
  if (v.kind === pb.ValueKind.MAP) return v.entries?.find((e) => e.key?.text === name)?.value ?? undefined;
  if (v.kind === pb.ValueKind.SET && /^\d+$/.test(name)) return v.entries?.[Number(name)]?.value ?? undefined;
  return undefined;
}

export type Lookup = { readonly ok: true; readonly value: pb.IValue } | { readonly ok: false; readonly why: string };

/** Finds a member path among a frame's captured scopes. */
export function lookupPath(frame: pb.IStackFrame, parts: readonly string[]): Lookup {
  const [first, ...rest] = parts;
  if (first === undefined) return { ok: false, why: 'empty expression' };
  const scopes = [...(frame.scopes ?? [])].sort((a, b) => LOOKUP_ORDER.indexOf(a.kind ?? 0) - LOOKUP_ORDER.indexOf(b.kind ?? 0));
  let value: pb.IValue | undefined;
  for (const s of scopes) {
    value = s.variables?.find((p) => p.name === first)?.value ?? undefined;
    if (value) break;
  }
  if (!value) return { ok: false, why: `"${first}" was not captured in this frame` };
  let path = first;
  for (const name of rest) {
    const next = child(value, name);
    if (!next) {
      const why = value.cut?.reason ? 'it was cut by a capture limit' : value.kind === pb.ValueKind.GETTER ? 'it is a getter, which Keyhole never runs' : 'no such captured property';
      return { ok: false, why: `${path} has no captured "${name}": ${why}` };
    }
    value = next;
    path += `.${name}`;
  }
  return { ok: true, value };
}
