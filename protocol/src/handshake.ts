import { frameError, FrameErrorCode, type FrameError } from './errors';
import { describeVersion, isCompatibleVersion, PROTOCOL_VERSION } from './version';

/**
 * Checks the version a peer announced in its hello. Returns the error frame
 * content to send before closing, or undefined when the peer is compatible.
 */
export function checkPeerVersion(
  peer: { major?: number | null; minor?: number | null } | null | undefined,
  peerRole: string,
): FrameError | undefined {
  if (isCompatibleVersion(peer)) return undefined;
  return frameError(
    FrameErrorCode.ProtocolVersion,
    `${peerRole} speaks Keyhole protocol ${describeVersion(peer)}, this side speaks ${PROTOCOL_VERSION.major}.${PROTOCOL_VERSION.minor}; ` +
      `upgrade the older of the two so their major versions match`,
  );
}
