/**
 * The trust file ops hand to a service's agents: which approvers' keys count
 * and how many distinct approvals a grant needs. The agent verifies every
 * grant against this file, so that a broker that lies cannot turn capture on.
 *
 * Format (version 1), exactly:
 *   { "version": 1, "service": "orders", "approvalsRequired": 2, "maxWindowMs": 3600000,
 *     "approvers": [ { "id": "ann", "publicKeyPem": "-----BEGIN PUBLIC KEY-----..." } ] }
 */
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode } from '../errors';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { mustGetService } from '../services/serviceRegistry';
import { type Store } from '../store/store';

export const TRUST_FILE_VERSION = 1;

export interface TrustFile {
  readonly version: 1;
  readonly service: string;
  readonly approvalsRequired: number;
  readonly maxWindowMs: number;
  readonly approvers: readonly { readonly id: string; readonly publicKeyPem: string }[];
}

export interface BuildTrustFileOptions {
  /** Only these approvers; default every enabled approver with a registered key. */
  readonly approverIds?: readonly string[];
}

/**
 * Builds the trust file for a service from the approvers the broker knows.
 * Refuses a file that could never approve anything (fewer approvers than K).
 */
export async function buildTrustFile(store: Store, clock: Clock, actor: Principal, serviceName: string, options: BuildTrustFileOptions = {}): Promise<TrustFile> {
  requirePermission(actor, 'service.manage');
  return store.transaction(async (r) => {
    const service = await mustGetService(r, serviceName);
    const users = new Map((await r.users.list()).map((u) => [u.id, u]));
    const wanted = options.approverIds ? new Set(options.approverIds) : undefined;
    if (wanted) {
      for (const id of wanted) {
        const u = users.get(id);
        const key = await r.approverKeys.get(id);
        if (!u || u.disabled || !u.roles.includes('approver') || !key) {
          throw brokerError(BrokerErrorCode.BadRequest, `${id} is not an enabled approver with a registered key`, 'see `keyhole user list`; approvers register keys with `keyhole keys register`');
        }
      }
    }
    const approvers = (await r.approverKeys.list())
      .filter((k) => {
        const u = users.get(k.userId);
        return u && !u.disabled && u.roles.includes('approver') && (!wanted || wanted.has(k.userId));
      })
      .map((k) => ({ id: k.userId, publicKeyPem: k.publicKeyPem }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (approvers.length < service.policy.approvalsRequired) {
      throw brokerError(
        BrokerErrorCode.Conflict,
        `${service.name} needs ${service.policy.approvalsRequired} approvals but only ${approvers.length} approver(s) have keys`,
        'register more approvers\' keys, or lower approvalsRequired',
      );
    }
    const file: TrustFile = {
      version: TRUST_FILE_VERSION,
      service: service.name,
      approvalsRequired: service.policy.approvalsRequired,
      maxWindowMs: service.policy.maxWindowMs,
      approvers,
    };
    await appendAudit(r, { actor: actor.kind === 'user' ? actor.id : 'system', action: 'trust.build', subject: service.name, details: { approvers: approvers.map((a) => a.id), approvalsRequired: file.approvalsRequired } }, clock());
    return file;
  });
}
