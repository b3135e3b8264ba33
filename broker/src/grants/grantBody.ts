/**
 * The bytes approvers sign: the protobuf encoding of pb.GrantBody. The
 * broker encodes them once per grant and keeps them; approvers, the broker
 * and agents all check those exact bytes, never a re-encoding.
 */
import { randomBytes } from 'node:crypto';
import { pb } from '@keyhole/protocol';
import { type GrantKind, type GrantRecord } from '../store/records';

export const GRANT_NONCE_BYTES = 16;

const KIND_TO_PB: Readonly<Record<GrantKind, pb.ProbeKind>> = { SNAPSHOT: pb.ProbeKind.SNAPSHOT, LOGPOINT: pb.ProbeKind.LOGPOINT };

export interface GrantWindow {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export function encodeGrantBody(grant: GrantRecord, window: GrantWindow, maxHitsPerProbe: number, nonce: Uint8Array = randomBytes(GRANT_NONCE_BYTES)): Uint8Array {
  // Selector keys sorted so that the same grant always encodes the same way.
  const selector = Object.fromEntries(Object.entries(grant.selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const body = pb.GrantBody.create({
    grantId: grant.id,
    service: grant.service,
    selector,
    scopeGlobs: [...grant.scopeGlobs],
    kinds: grant.kinds.map((k) => KIND_TO_PB[k]),
    requester: grant.requester,
    reason: grant.reason,
    ticket: grant.ticket,
    notBeforeMs: window.notBeforeMs,
    notAfterMs: window.notAfterMs,
    maxHitsPerProbe,
    nonce,
  });
  return pb.GrantBody.encode(body).finish();
}

export function decodeGrantBody(bytes: Uint8Array): pb.GrantBody {
  return pb.GrantBody.decode(bytes);
}

/** The SignedGrant the broker sends to agents: the stored body bytes plus every approval. */
export function encodeSignedGrant(body: Uint8Array, approvals: readonly { approverId: string; signature: Uint8Array; signedAtMs: number }[]): pb.SignedGrant {
  return pb.SignedGrant.create({
    body,
    approvals: approvals.map((a) => pb.Approval.create({ approverId: a.approverId, signature: a.signature, signedAtMs: a.signedAtMs })),
  });
}
