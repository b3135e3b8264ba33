import { type pb } from '@keyhole/protocol';

/** The body an AgentMessage carries; also the key of the drop counters. */
export type FrameKind = 'hello' | 'probeStatus' | 'snapshot' | 'logLine' | 'heartbeat' | 'error';

const KINDS: readonly FrameKind[] = ['hello', 'probeStatus', 'snapshot', 'logLine', 'heartbeat', 'error'];

/**
 * Which body a message carries: the `body` oneof name when the caller set it,
 * otherwise the first body field that is set. undefined for an empty message.
 */
export function frameKindOf(message: pb.AgentMessage.$Properties): FrameKind | undefined {
  if (message.body !== undefined && KINDS.includes(message.body)) return message.body;
  return KINDS.find((kind) => message[kind] !== undefined && message[kind] !== null);
}

/**
 * The key under which queued frames replace each other: probe statuses of the
 * same probe, since only the newest state of a probe matters to the broker.
 */
export function coalesceKeyOf(kind: FrameKind, message: pb.AgentMessage.$Properties): string | undefined {
  if (kind !== 'probeStatus') return undefined;
  const probeId = message.probeStatus?.probeId;
  return probeId ? `probeStatus:${probeId}` : undefined;
}
