import { keyhole } from '../gen/keyhole';

/**
 * The protocol version this build speaks. Bump `major` for any change a peer
 * of the previous major could misread; `minor` for additive changes only.
 */
export const PROTOCOL_VERSION: Readonly<{ major: number; minor: number }> = Object.freeze({ major: 1, minor: 0 });

/** A version message ready to put in Hello / Welcome / ClientHello. */
export function currentVersion(): keyhole.v1.ProtocolVersion {
  return keyhole.v1.ProtocolVersion.create({ major: PROTOCOL_VERSION.major, minor: PROTOCOL_VERSION.minor });
}

/** Describes a peer's version for messages, e.g. "1.2" or "unknown". */
export function describeVersion(v: { major?: number | null; minor?: number | null } | null | undefined): string {
  if (!v || typeof v.major !== 'number') return 'unknown';
  return `${v.major}.${v.minor ?? 0}`;
}

/** True when a peer of this version can talk to us. */
export function isCompatibleVersion(v: { major?: number | null } | null | undefined): boolean {
  return !!v && v.major === PROTOCOL_VERSION.major;
}
