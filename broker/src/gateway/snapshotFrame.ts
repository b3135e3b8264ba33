/**
 * The bytes of the snapshot inside an agent's frame, so the broker can store
 * what the agent encoded instead of encoding the decoded snapshot again
 * (re-encoding was about a fifth of the broker's CPU per stored snapshot in
 * bench/broker.mjs).
 *
 * Only a frame that is exactly one `AgentMessage.snapshot` field qualifies
 * (what every encoder writes). Anything else, such as a repeated field that
 * protobuf would merge, returns undefined and the caller encodes the decoded
 * snapshot as before. Either way the stored bytes decode to the snapshot the
 * broker checked.
 */
import { type FrameData } from '@keyhole/protocol';

/** AgentMessage field 3 (snapshot), wire type 2 (length-delimited). */
const SNAPSHOT_TAG = (3 << 3) | 2;
/** A length varint of a frame under 4 GiB takes at most 5 bytes. */
const MAX_LENGTH_VARINT_BYTES = 5;

/** A copy of the encoded pb.Snapshot when `frame` holds nothing else; otherwise undefined. */
export function encodedSnapshotOf(frame: FrameData): Uint8Array | undefined {
  if (!(frame instanceof Uint8Array) || frame[0] !== SNAPSHOT_TAG) return undefined;
  let length = 0;
  let pos = 1;
  for (let shift = 0; ; shift += 7) {
    if (pos >= frame.length || pos > MAX_LENGTH_VARINT_BYTES) return undefined;
    const byte = frame[pos++] ?? 0;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (pos + length !== frame.length) return undefined;
  // A copy: the frame may be a view into a larger socket buffer that the stored record must not keep alive.
  return new Uint8Array(frame.subarray(pos)); // (Buffer#slice would be a view)
}
