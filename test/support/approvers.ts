// Real Ed25519 approver keys, trust files and signed grants for tests.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';

export interface Approver {
  readonly id: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function makeApprover(id: string): Approver {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { id, publicKey, privateKey };
}

export function writeTrustFile(dir: string, service: string, approvers: readonly Approver[], approvalsRequired = 1, maxWindowMs = 3_600_000): string {
  const path = join(dir, `trust-${service}.json`);
  writeFileSync(
    path,
    JSON.stringify({ version: 1, service, approvalsRequired, maxWindowMs, approvers: approvers.map((a) => ({ id: a.id, publicKeyPem: a.publicKey.export({ type: 'spki', format: 'pem' }).toString() })) }),
  );
  return path;
}

export function grantBody(over: Partial<pb.GrantBody.$Properties> = {}): Uint8Array {
  const now = Date.now();
  return pb.GrantBody.encode(
    pb.GrantBody.create({
      grantId: 'g1',
      service: 'orders',
      scopeGlobs: ['**'],
      kinds: [pb.ProbeKind.SNAPSHOT, pb.ProbeKind.LOGPOINT],
      requester: 'dev',
      reason: 'test',
      ticket: 'T-1',
      notBeforeMs: now - 1000,
      notAfterMs: now + 10 * 60_000,
      nonce: randomBytes(16),
      ...over,
    }),
  ).finish();
}

export function signGrant(body: Uint8Array, signers: readonly Approver[]): pb.SignedGrant.$Properties {
  return { body, approvals: signers.map((a) => ({ approverId: a.id, signature: sign(null, body, a.privateKey), signedAtMs: Date.now() })) };
}
