/**
 * The life of a grant: requested (pending), approved by K distinct approvers
 * who each sign the same body bytes with their own Ed25519 key, or rejected,
 * or revoked. The broker never holds a private key: it issues the body,
 * verifies each signature against the approver's registered public key, and
 * keeps body and signatures for the agents, which verify them again.
 *
 * Every step is audited; so is every refusal (`<action>.refused`), written in
 * its own transaction after the refused one rolled back.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode, isBrokerError } from '../errors';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { mustGetService } from '../services/serviceRegistry';
import { mayRequest } from '../services/policy';
import { type ApprovalRecord, type GrantRecord, type GrantStatus } from '../store/records';
import { type GrantFilter, type Repositories, type Store } from '../store/store';
import { encodeGrantBody, encodeSignedGrant } from './grantBody';
import { GRANT_EXPIRY_LIMITS, GrantExpiryLedger } from './grantExpiry';
import { type GrantRequestInput, parseGrantRequest } from './grantRequest';
import { type GrantStateName, type pb } from '@keyhole/protocol';

/** What a grant is now: its stored status, with `expired` and `active` worked out from the window (the `state` of its JSON). */
export type GrantState = GrantStateName;

export interface GrantView {
  readonly grant: GrantRecord;
  readonly approvals: readonly ApprovalRecord[];
  readonly approvalsRequired: number;
  readonly state: GrantState;
}

export interface SigningBody {
  readonly grantId: string;
  readonly body: Uint8Array;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export type GrantListener = (view: GrantView) => void;

export function grantState(grant: GrantRecord, nowMs: number): GrantState {
  if (grant.status === 'approved') {
    if (nowMs >= grant.notAfterMs) return 'expired';
    return nowMs >= grant.notBeforeMs ? 'active' : 'approved';
  }
  if (grant.status === 'pending' && grant.body && nowMs >= grant.notAfterMs) return 'expired';
  return grant.status;
}

const sigFingerprint = (sig: Uint8Array) => createHash('sha256').update(sig).digest('hex').slice(0, 16);

export class GrantService {
  private readonly listeners = new Set<GrantListener>();
  private readonly expiry = new GrantExpiryLedger();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Called after every committed change of a grant (for the /events stream and agent delivery). */
  onChange(listener: GrantListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request(actor: Principal, input: GrantRequestInput): Promise<GrantView> {
    return this.audited(actor, 'grant.request', typeof input?.service === 'string' ? input.service : '', async (r) => {
      requirePermission(actor, 'grant.request');
      const req = parseGrantRequest(input);
      const service = await mustGetService(r, req.service);
      if (!service.policy.enabled) {
        throw brokerError(BrokerErrorCode.ServiceDisabled, `capture is disabled for ${service.name}`, 'ask ops to enable it (`keyhole service set --enabled true`)');
      }
      if (!mayRequest(service.policy, actor)) {
        throw brokerError(BrokerErrorCode.Forbidden, `${actor.id} may not request grants on ${service.name}`, 'ask ops to add you or your role to the service\'s requesters');
      }
      const now = this.clock();
      const grant: GrantRecord = {
        id: 'g_' + randomBytes(9).toString('base64url'),
        service: service.name,
        requester: actor.id,
        selector: req.selector,
        scopeGlobs: req.scopeGlobs,
        kinds: req.kinds,
        requestedDurationMs: req.durationMs,
        maxHitsPerProbe: req.maxHitsPerProbe,
        reason: req.reason,
        ticket: req.ticket,
        status: 'pending',
        createdAtMs: now,
        body: undefined,
        notBeforeMs: 0,
        notAfterMs: 0,
        closedBy: '',
        closedReason: '',
        closedAtMs: 0,
      };
      await r.grants.insert(grant);
      await appendAudit(
        r,
        {
          actor: actor.id,
          action: 'grant.request',
          subject: grant.id,
          details: { service: grant.service, selector: grant.selector, scopeGlobs: grant.scopeGlobs, kinds: grant.kinds, durationMs: grant.requestedDurationMs, reason: grant.reason, ticket: grant.ticket },
        },
        now,
      );
      return this.view(r, grant);
    });
  }

  /**
   * The exact bytes an approver signs. The first call fixes the window:
   * from now for the requested duration, capped by the service's
   * maxWindowMs; every later approver gets the same bytes. A body whose
   * window passed before anyone signed it is replaced by a fresh one.
   */
  async signingBody(actor: Principal, grantId: string): Promise<SigningBody> {
    return this.audited(actor, 'grant.body', grantId, async (r) => {
      requirePermission(actor, 'grant.approve');
      const { grant, approvals } = await grantToApprove(r, actor.id, grantId);
      const now = this.clock();
      if (grant.body && (now < grant.notAfterMs || approvals.length > 0)) {
        return { grantId: grant.id, body: grant.body, notBeforeMs: grant.notBeforeMs, notAfterMs: grant.notAfterMs };
      }
      const service = await mustGetService(r, grant.service);
      const window = { notBeforeMs: now, notAfterMs: now + Math.min(grant.requestedDurationMs, service.policy.maxWindowMs) };
      const body = encodeGrantBody(grant, window, grant.maxHitsPerProbe);
      await r.grants.update({ ...grant, body, ...window });
      await appendAudit(r, { actor: actor.id, action: 'grant.body', subject: grant.id, details: { ...window, bodySha256: createHash('sha256').update(body).digest('hex') } }, now);
      return { grantId: grant.id, body, ...window };
    });
  }

  /**
   * Records one approval: `body` must be exactly the bytes `signingBody`
   * issued and `signature` an Ed25519 signature over them by the approver's
   * registered key. Each approver counts once; K distinct approvals approve
   * the grant.
   */
  async approve(actor: Principal, grantId: string, body: Uint8Array, signature: Uint8Array): Promise<GrantView> {
    return this.audited(actor, 'grant.approve', grantId, async (r) => {
      requirePermission(actor, 'grant.approve');
      const { grant, approvals } = await grantToApprove(r, actor.id, grantId);
      if (!grant.body) {
        throw brokerError(BrokerErrorCode.ApprovalBodyMismatch, `grant ${grant.id} has no signing body yet`, 'fetch the body to sign first (`keyhole grant approve` does this)');
      }
      if (!Buffer.from(body).equals(Buffer.from(grant.body))) {
        throw brokerError(
          BrokerErrorCode.ApprovalBodyMismatch,
          `the signed bytes are not the body the broker issued for grant ${grant.id}`,
          'fetch the signing body again and sign exactly those bytes',
        );
      }
      const now = this.clock();
      if (now >= grant.notAfterMs) {
        throw brokerError(BrokerErrorCode.WindowExpired, `the window of grant ${grant.id} ended before it had enough approvals`, 'fetch a fresh signing body, or ask the developer to request again');
      }
      const key = await r.approverKeys.get(actor.id);
      if (!key) throw brokerError(BrokerErrorCode.NoApproverKey, `${actor.id} has no registered public key`, 'register one with `keyhole keys register`');
      let valid = false;
      try {
        valid = signature.byteLength === 64 && verify(null, body, createPublicKey(key.publicKeyPem), signature);
      } catch {
        valid = false;
      }
      if (!valid) {
        throw brokerError(BrokerErrorCode.BadSignature, `the signature does not verify against ${actor.id}'s registered key`, 'sign with the private key whose public half you registered');
      }
      const approval: ApprovalRecord = { grantId: grant.id, approverId: actor.id, signature: new Uint8Array(signature), signedAtMs: now };
      await r.grants.insertApproval(approval);
      const service = await mustGetService(r, grant.service);
      const count = approvals.length + 1;
      const approved = count >= service.policy.approvalsRequired;
      const updated: GrantRecord = approved ? { ...grant, status: 'approved' } : grant;
      if (approved) await r.grants.update(updated);
      await appendAudit(
        r,
        { actor: actor.id, action: 'grant.approve', subject: grant.id, details: { approvals: count, approvalsRequired: service.policy.approvalsRequired, approved, signature: sigFingerprint(signature) } },
        now,
      );
      return this.view(r, updated);
    });
  }

  async reject(actor: Principal, grantId: string, reason: string): Promise<GrantView> {
    return this.audited(actor, 'grant.reject', grantId, async (r) => {
      requirePermission(actor, 'grant.reject');
      const grant = await mustGetGrant(r, grantId);
      refuseSelfApproval(actor.id, grant);
      requirePending(grant);
      return this.close(r, grant, 'rejected', actor.id, reason);
    });
  }

  /** Ends a pending or approved grant: its requester, any approver, or ops. */
  async revoke(actor: Principal, grantId: string, reason: string): Promise<GrantView> {
    return this.audited(actor, 'grant.revoke', grantId, async (r) => {
      requirePermission(actor, 'grant.revoke');
      const grant = await mustGetGrant(r, grantId);
      const mayRevokeAny = actor.roles.includes('approver') || actor.roles.includes('ops');
      if (!mayRevokeAny && grant.requester !== actor.id) {
        throw brokerError(BrokerErrorCode.Forbidden, `${actor.id} may revoke only their own grants`, 'ask an approver or ops to revoke it');
      }
      if (grant.status !== 'pending' && grant.status !== 'approved') {
        throw brokerError(BrokerErrorCode.GrantNotPending, `grant ${grant.id} is already ${grant.status}`, 'nothing to revoke');
      }
      return this.close(r, grant, 'revoked', actor.id, reason);
    });
  }

  async show(actor: Principal, grantId: string): Promise<GrantView> {
    requirePermission(actor, 'grant.view');
    return this.store.transaction(async (r) => this.view(r, await mustGetGrant(r, grantId)));
  }

  async list(actor: Principal, filter: GrantFilter = {}): Promise<GrantView[]> {
    requirePermission(actor, 'grant.view');
    return this.store.transaction(async (r) => Promise.all((await r.grants.list(filter)).map((g) => this.view(r, g))));
  }

  /** The grant as agents receive it, or undefined unless it is approved. */
  async signedGrant(grantId: string): Promise<pb.SignedGrant | undefined> {
    return this.store.transaction(async (r) => {
      const grant = await r.grants.get(grantId);
      return grant && this.signedGrantFrom(r, grant);
    });
  }

  /** The same, inside a transaction the caller already holds. */
  async signedGrantFrom(r: Repositories, grant: GrantRecord): Promise<pb.SignedGrant | undefined> {
    if (grant.status !== 'approved' || !grant.body) return undefined;
    return encodeSignedGrant(grant.body, await r.grants.listApprovals(grant.id));
  }

  /**
   * Audits `grant.expired` for approved grants whose window has ended (once
   * per grant, whatever the process) and tells the listeners; returns them.
   */
  async expireDue(): Promise<GrantView[]> {
    const now = this.clock();
    if (!this.expiry.isDue(now)) return [];
    const { pass, views } = await this.store.transaction(async (r) => {
      const p = await this.expiry.pass(r, now);
      return { pass: p, views: await Promise.all(p.expired.map((g) => this.view(r, g))) };
    });
    this.expiry.commit(pass);
    for (const v of views) this.emit(v);
    return views;
  }

  /** Runs `expireDue` every `intervalMs` without keeping the process alive; returns the stop function. */
  startExpirySweeper(intervalMs: number = GRANT_EXPIRY_LIMITS.sweepIntervalMs): () => void {
    const timer = setInterval(() => {
      void this.expireDue().catch(() => undefined);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async close(r: Repositories, grant: GrantRecord, status: Extract<GrantStatus, 'rejected' | 'revoked'>, by: string, reason: string): Promise<GrantView> {
    if (typeof reason !== 'string' || reason.length > 2000) {
      throw brokerError(BrokerErrorCode.BadRequest, 'reason must be a string of at most 2000 characters', 'say briefly why');
    }
    const now = this.clock();
    const updated: GrantRecord = { ...grant, status, closedBy: by, closedReason: reason, closedAtMs: now };
    await r.grants.update(updated);
    await appendAudit(r, { actor: by, action: status === 'rejected' ? 'grant.reject' : 'grant.revoke', subject: grant.id, details: { reason, was: grant.status } }, now);
    return this.view(r, updated);
  }

  private async view(r: Repositories, grant: GrantRecord): Promise<GrantView> {
    const service = await r.services.get(grant.service);
    return {
      grant,
      approvals: await r.grants.listApprovals(grant.id),
      approvalsRequired: service?.policy.approvalsRequired ?? 1,
      state: grantState(grant, this.clock()),
    };
  }

  /** Runs a grant step; on a refusal, audits it in a fresh transaction and rethrows. */
  private async audited<T>(actor: Principal, action: string, subject: string, work: (r: Repositories) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.store.transaction(work);
    } catch (err) {
      if (isBrokerError(err)) {
        const who = actor.kind === 'user' ? actor.id : `agent:${actor.service}`;
        await this.store.transaction((r) => appendAudit(r, { actor: who, action: `${action}.refused`, subject, details: { code: err.code, message: err.message } }, this.clock()));
      }
      throw err;
    }
    if (isGrantView(result)) this.emit(result);
    return result;
  }

  private emit(view: GrantView): void {
    if (view.grant.status === 'approved' && view.state !== 'expired') this.expiry.noteWindow(view.grant.notAfterMs);
    for (const listener of this.listeners) {
      try {
        listener(view);
      } catch {
        // A listener's failure must not undo or hide a committed change.
      }
    }
  }
}

function isGrantView(v: unknown): v is GrantView {
  return typeof v === 'object' && v !== null && 'grant' in v && 'approvals' in v && 'state' in v;
}

async function mustGetGrant(r: Repositories, id: string): Promise<GrantRecord> {
  const grant = typeof id === 'string' ? await r.grants.get(id) : undefined;
  if (!grant) throw brokerError(BrokerErrorCode.NotFound, `no grant ${String(id)}`, 'see `keyhole grant list`');
  return grant;
}

/**
 * The grant `approverId` is about to sign or approve, with its approvals so
 * far. The same gate guards both steps, in this order: the approver did not
 * request the grant, has not approved it already, and it is still pending.
 */
async function grantToApprove(r: Repositories, approverId: string, grantId: string): Promise<{ grant: GrantRecord; approvals: ApprovalRecord[] }> {
  const grant = await mustGetGrant(r, grantId);
  refuseSelfApproval(approverId, grant);
  const approvals = await r.grants.listApprovals(grant.id);
  refuseReplay(approverId, grant, approvals);
  requirePending(grant);
  return { grant, approvals };
}

function refuseSelfApproval(actorId: string, grant: GrantRecord): void {
  if (grant.requester === actorId) {
    throw brokerError(BrokerErrorCode.SelfApproval, `${actorId} requested grant ${grant.id} and may not decide on it`, 'another approver must approve or reject it');
  }
}

function refuseReplay(actorId: string, grant: GrantRecord, approvals: readonly ApprovalRecord[]): void {
  if (approvals.some((a) => a.approverId === actorId)) {
    throw brokerError(
      BrokerErrorCode.ApprovalReplayed,
      `${actorId} already approved grant ${grant.id}; an approver counts once`,
      grant.status === 'pending' ? 'another approver must approve it, see `keyhole grant show`' : 'nothing more to do, see `keyhole grant show`',
    );
  }
}

function requirePending(grant: GrantRecord): void {
  if (grant.status !== 'pending') {
    throw brokerError(BrokerErrorCode.GrantNotPending, `grant ${grant.id} is ${grant.status}, not pending`, 'see `keyhole grant show` for its state');
  }
}
