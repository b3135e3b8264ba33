// Reads the bytes the approver is about to sign (keyhole.v1.GrantBody, the
// protobuf wire format), so the confirmation shows what the signature will
// actually cover, not only what the broker says about it.
const KINDS = { 1: 'SNAPSHOT', 2: 'LOGPOINT' };

function reader(bytes) {
  let pos = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  const take = (n) => {
    if (pos + n > bytes.length) throw new Error('truncated field');
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  return { varint, take, done: () => pos >= bytes.length };
}

const text = (b) => new TextDecoder('utf-8', { fatal: true }).decode(b);

export function decodeGrantBody(bytes) {
  const out = { grantId: '', service: '', selector: {}, scopeGlobs: [], kinds: [], requester: '', reason: '', ticket: '', notBeforeMs: 0, notAfterMs: 0, maxHitsPerProbe: 0 };
  const r = reader(bytes);
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const v = r.varint();
      if (field === 5) out.kinds.push(KINDS[v] ?? `kind ${v}`);
      else if (field === 11) out.maxHitsPerProbe = v;
    } else if (wire === 1) {
      const b = r.take(8);
      const v = new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
      if (field === 9) out.notBeforeMs = v;
      else if (field === 10) out.notAfterMs = v;
    } else if (wire === 2) {
      const b = r.take(r.varint());
      if (field === 1) out.grantId = text(b);
      else if (field === 2) out.service = text(b);
      else if (field === 3) {
        const entry = reader(b);
        let key = '';
        let value = '';
        while (!entry.done()) {
          const t = entry.varint();
          const s = text(entry.take(entry.varint()));
          if (t >> 3 === 1) key = s;
          else value = s;
        }
        out.selector[key] = value;
      } else if (field === 4) out.scopeGlobs.push(text(b));
      else if (field === 5) {
        const packed = reader(b);
        while (!packed.done()) out.kinds.push(KINDS[packed.varint()] ?? 'unknown');
      } else if (field === 6) out.requester = text(b);
      else if (field === 7) out.reason = text(b);
      else if (field === 8) out.ticket = text(b);
    } else if (wire === 5) r.take(4);
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}
