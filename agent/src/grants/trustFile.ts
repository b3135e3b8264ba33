import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The trust file ops give the agent (`keyhole trust build`): whose approvals
 * count for this service and how many are needed. It is read from disk at
 * start and never taken from the broker, so a compromised broker cannot add
 * an approver.
 *
 *   { "version": 1, "service": "orders", "approvalsRequired": 2,
 *     "maxWindowMs": 3600000,
 *     "approvers": [ { "id": "ann", "publicKeyPem": "-----BEGIN PUBLIC KEY-----..." } ] }
 */
export interface TrustPolicy {
  readonly service: string;
  readonly approvalsRequired: number;
  readonly maxWindowMs: number;
  readonly approvers: ReadonlyMap<string, KeyObject>;
}

/** Longest window a trust file may allow when it does not say: 8 hours. */
export const DEFAULT_TRUST_MAX_WINDOW_MS = 8 * 60 * 60 * 1000;

export type TrustResult = { ok: true; policy: TrustPolicy } | { ok: false; problems: string[] };

export function parseTrustFile(text: string, expectedService: string): TrustResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`trust file is not JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const problems: string[] = [];
  const o = (raw ?? {}) as Record<string, unknown>;
  if (o['version'] !== 1) problems.push(`trust file version must be 1, got ${JSON.stringify(o['version'])}`);
  if (o['service'] !== expectedService) problems.push(`trust file is for service ${JSON.stringify(o['service'])}, this agent is ${JSON.stringify(expectedService)}`);
  const k = o['approvalsRequired'];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) problems.push('trust file approvalsRequired must be an integer >= 1');
  const maxWindowMs = o['maxWindowMs'] === undefined ? DEFAULT_TRUST_MAX_WINDOW_MS : o['maxWindowMs'];
  if (typeof maxWindowMs !== 'number' || !(maxWindowMs > 0)) problems.push('trust file maxWindowMs must be a positive number of milliseconds');
  const approvers = new Map<string, KeyObject>();
  if (!Array.isArray(o['approvers']) || o['approvers'].length === 0) problems.push('trust file must list at least one approver');
  else {
    for (const [i, a] of (o['approvers'] as unknown[]).entries()) {
      const entry = (a ?? {}) as Record<string, unknown>;
      const id = entry['id'];
      if (typeof id !== 'string' || !id) {
        problems.push(`approver #${i + 1} has no id`);
        continue;
      }
      if (approvers.has(id)) {
        problems.push(`approver ${id} is listed twice`);
        continue;
      }
      try {
        const key = createPublicKey(String(entry['publicKeyPem']));
        if (key.asymmetricKeyType !== 'ed25519') problems.push(`approver ${id}: key is ${key.asymmetricKeyType}, not Ed25519`);
        else approvers.set(id, key);
      } catch {
        problems.push(`approver ${id}: publicKeyPem is not a PEM public key`);
      }
    }
  }
  if (typeof k === 'number' && approvers.size > 0 && k > approvers.size) problems.push(`trust file needs ${k} approvals but lists only ${approvers.size} approvers`);
  if (problems.length) return { ok: false, problems };
  return { ok: true, policy: { service: expectedService, approvalsRequired: k as number, maxWindowMs: maxWindowMs as number, approvers } };
}

export function loadTrustFile(path: string, expectedService: string): TrustResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [`cannot read trust file ${path}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  return parseTrustFile(text, expectedService);
}
