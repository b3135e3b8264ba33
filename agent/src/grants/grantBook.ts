import { verify } from 'node:crypto';
import { inScope, pb } from '@keyhole/protocol';
import type { Authorization, GrantAuthority } from './authority';
import type { TrustPolicy } from './trustFile';

/**
 * Grants may start this much before their not-before time, to allow for
 * clock differences between the approver and this host. Never applied to the
 * end of a window: capture stops on time. 30 seconds.
 */
export const CLOCK_SKEW_MS = 30_000;

/** Revoked grant ids remembered, so a revoked grant re-sent by a broker stays refused. */
export const MAX_REMEMBERED_REVOCATIONS = 10_000;

export interface VerifiedGrant {
  readonly id: string;
  readonly body: pb.GrantBody;
  readonly approvers: readonly string[];
}

export type GrantCheck = { ok: true; grant: VerifiedGrant } | { ok: false; code: string; message: string };

/**
 * Verifies signed grants in process against the trust file and answers
 * whether a probe may run. Fails closed: anything it cannot prove is refused.
 */
export class GrantBook implements GrantAuthority {
  private readonly grants = new Map<string, VerifiedGrant>();
  private readonly revoked = new Set<string>();
  private killed = false;

  constructor(
    private readonly trust: TrustPolicy,
    private readonly labels: Readonly<Record<string, string>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Verifies a grant and keeps it if it proves out; the refusal says exactly why otherwise. */
  add(signed: pb.SignedGrant): GrantCheck {
    const check = this.verify(signed);
    if (check.ok) this.grants.set(check.grant.id, check.grant);
    return check;
  }

  verify(signed: pb.SignedGrant): GrantCheck {
    let body: pb.GrantBody;
    try {
      body = pb.GrantBody.decode(signed.body);
    } catch (err) {
      return { ok: false, code: 'KH_GRANT_MALFORMED', message: `grant body does not decode: ${err instanceof Error ? err.message : String(err)}` };
    }
    const id = body.grantId;
    if (!id) return { ok: false, code: 'KH_GRANT_MALFORMED', message: 'grant has no id' };
    if (this.revoked.has(id)) return { ok: false, code: 'KH_GRANT_REVOKED', message: `grant ${id} was revoked` };
    if (body.service !== this.trust.service) return { ok: false, code: 'KH_GRANT_SERVICE', message: `grant ${id} is for service ${body.service}, not ${this.trust.service}` };
    for (const [k, v] of Object.entries(body.selector ?? {})) {
      if (this.labels[k] !== v) return { ok: false, code: 'KH_GRANT_LABELS', message: `grant ${id} selects ${k}=${v}; this instance has ${k}=${this.labels[k] ?? '(unset)'}` };
    }
    const signers = new Set<string>();
    let selfSigned = false;
    for (const a of signed.approvals) {
      const key = this.trust.approvers.get(a.approverId);
      if (!key || !a.signature?.length) continue;
      let valid = false;
      try {
        valid = verify(null, signed.body, key, a.signature);
      } catch {
        valid = false;
      }
      if (!valid) continue;
      if (a.approverId === body.requester) {
        selfSigned = true;
        continue;
      }
      signers.add(a.approverId);
    }
    const k = this.trust.approvalsRequired;
    if (signers.size < k) {
      const why = selfSigned ? ' (the requester\'s own approval does not count)' : '';
      return { ok: false, code: selfSigned ? 'KH_GRANT_SELF_APPROVED' : 'KH_GRANT_SIGNATURES', message: `grant ${id} has ${signers.size} of ${k} required valid signatures from trusted approvers${why}` };
    }
    const window = body.notAfterMs - body.notBeforeMs;
    if (!(window > 0)) return { ok: false, code: 'KH_GRANT_WINDOW', message: `grant ${id} has an empty window` };
    if (window > this.trust.maxWindowMs) return { ok: false, code: 'KH_GRANT_WINDOW', message: `grant ${id} window of ${Math.round(window / 60000)} min exceeds the trust file's maximum of ${Math.round(this.trust.maxWindowMs / 60000)} min` };
    const now = this.now();
    if (now >= body.notAfterMs) return { ok: false, code: 'KH_GRANT_EXPIRED', message: `grant ${id} expired at ${new Date(body.notAfterMs).toISOString()}` };
    if (now < body.notBeforeMs - CLOCK_SKEW_MS) return { ok: false, code: 'KH_GRANT_NOT_YET_VALID', message: `grant ${id} is valid from ${new Date(body.notBeforeMs).toISOString()}` };
    return { ok: true, grant: { id, body, approvers: [...signers] } };
  }

  revoke(grantId: string): void {
    this.grants.delete(grantId);
    if (this.revoked.size >= MAX_REMEMBERED_REVOCATIONS) {
      const oldest = this.revoked.values().next().value;
      if (oldest !== undefined) this.revoked.delete(oldest);
    }
    this.revoked.add(grantId);
  }

  setKilled(on: boolean): void {
    this.killed = on;
  }

  get isKilled(): boolean {
    return this.killed;
  }

  /** Drops grants whose window has ended; returns their ids. */
  sweep(): string[] {
    const now = this.now();
    const gone: string[] = [];
    for (const [id, g] of this.grants) if (now >= g.body.notAfterMs) gone.push(id);
    for (const id of gone) this.grants.delete(id);
    return gone;
  }

  authorize(probe: pb.Probe): Authorization {
    if (this.killed) return { ok: false, code: 'KH_KILL_SWITCH', message: 'the kill switch is on: no capture on this service' };
    const g = this.grants.get(probe.grantId);
    if (!g) return { ok: false, code: this.revoked.has(probe.grantId) ? 'KH_GRANT_REVOKED' : 'KH_GRANT_UNKNOWN', message: `no verified grant ${probe.grantId || '(none)'} on this instance` };
    const now = this.now();
    if (!this.isActive(g.id, now)) return { ok: false, code: 'KH_GRANT_INACTIVE', message: `grant ${g.id} is not active now (window ${new Date(g.body.notBeforeMs).toISOString()} to ${new Date(g.body.notAfterMs).toISOString()})` };
    if (!g.body.kinds.includes(probe.kind)) return { ok: false, code: 'KH_GRANT_KIND', message: `grant ${g.id} does not allow ${probe.kind === pb.ProbeKind.LOGPOINT ? 'logpoints' : 'snapshots'}` };
    const path = probe.location?.path ?? '';
    if (!inScope(path, g.body.scopeGlobs)) return { ok: false, code: 'KH_GRANT_SCOPE', message: `${path} is outside grant ${g.id}'s scope (${g.body.scopeGlobs.join(', ')})` };
    return { ok: true, grantId: g.id, notAfterMs: g.body.notAfterMs, maxHits: g.body.maxHitsPerProbe };
  }

  isActive(grantId: string, nowMs: number): boolean {
    if (this.killed) return false;
    const g = this.grants.get(grantId);
    return !!g && nowMs < g.body.notAfterMs && nowMs >= g.body.notBeforeMs - CLOCK_SKEW_MS;
  }
}
