/**
 * Probes: where a developer wants a snapshot or logpoint, under one of
 * their active grants. The broker checks what it can (grant active, kind
 * granted, path inside the scope, no kill switch) so the developer hears
 * early and clearly; the agent checks again against the signed grant.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode, isBrokerError } from '../errors';
import { type EventBus } from '../events';
import { grantState } from '../grants/grantService';
import { requirePermission } from '../identity/identityService';
import { actorName, type Principal } from '../identity/principal';
import { type GrantKind, type GrantRecord, type ProbeRecord } from '../store/records';
import { type ProbeFilter, type Repositories, type Store } from '../store/store';
import { activeKillSwitch } from './killSwitch';
import { inScope, type ProbeRequestJson } from '@keyhole/protocol';

export const PROBE_LIMITS = {
  maxPathLength: 1024,
  maxConditionLength: 1000,
  maxHitConditionLength: 50,
  maxLogTemplateLength: 2000,
  maxLine: 10_000_000,
  /**
   * Most frames, from the probe's own, a snapshot probe may ask to capture
   * with their variables. The agent holds a larger value to its own
   * `capture.maxFramesWithLocals` anyway (ops set the ceiling); this only
   * refuses nonsense early.
   */
  maxFramesWithLocals: 64,
  /** Active probes a single grant may hold at once. */
  maxActivePerGrant: 50,
  /** Longest grant id written into a refusal's audit row (ids are far shorter; the rest is noise). */
  maxIdLength: 100,
} as const;

/** The body of POST /v1/probes before it is checked: the fields of ProbeRequestJson (@keyhole/protocol), each of any type. */
export type ProbeInput = { [K in keyof ProbeRequestJson]?: unknown };

const bad = (message: string, hint: string) => brokerError(BrokerErrorCode.BadRequest, message, hint);

function optionalText(name: string, v: unknown, max: number): string {
  if (v === undefined) return '';
  if (typeof v !== 'string' || v.length > max) throw bad(`${name} must be a string of at most ${max} characters`, `shorten ${name}`);
  return v;
}

function wholeNumber(name: string, v: unknown, min: number, max: number, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(`${name} must be a whole number from ${min} to ${max}`, `fix ${name}`);
  return v;
}

export class ProbeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /**
   * Sets a probe. A refusal (bad input, someone else's grant, out of scope,
   * kill switch...) is audited as `probe.set.refused`, so that repeated
   * attempts show in the activity view's alerts, then rethrown.
   */
  async set(actor: Principal, input: ProbeInput): Promise<ProbeRecord> {
    try {
      return await this.trySet(actor, input);
    } catch (err) {
      if (isBrokerError(err)) await this.auditRefusal(actor, input, err.code, err.message);
      throw err;
    }
  }

  private async auditRefusal(actor: Principal, input: ProbeInput, code: string, message: string): Promise<void> {
    const grantId = typeof input === 'object' && input !== null && typeof input.grantId === 'string' ? input.grantId.slice(0, PROBE_LIMITS.maxIdLength) : '';
    const rawPath = typeof input === 'object' && input !== null && typeof input.path === 'string' ? input.path : '';
    const path = rawPath.slice(0, PROBE_LIMITS.maxPathLength);
    try {
      await this.store.transaction(async (r) => {
        const service = grantId ? ((await r.grants.get(grantId))?.service ?? '') : '';
        await appendAudit(r, { actor: actorName(actor), action: 'probe.set.refused', subject: grantId, details: { code, message, service, path } }, this.clock());
      });
    } catch {
      // The refusal itself is what the caller must hear; a failed audit write must not replace it.
    }
  }

  private async trySet(actor: Principal, input: ProbeInput): Promise<ProbeRecord> {
    requirePermission(actor, 'probe.set');
    if (typeof input !== 'object' || input === null) throw bad('the probe must be an object', 'send a JSON object');
    const kind = input.kind ?? 'SNAPSHOT';
    if (kind !== 'SNAPSHOT' && kind !== 'LOGPOINT') throw bad('kind must be SNAPSHOT or LOGPOINT', 'pick one');
    if (typeof input.path !== 'string' || input.path.trim() === '' || input.path.length > PROBE_LIMITS.maxPathLength) {
      throw bad('path must name a source file', 'use the path as in your workspace, e.g. src/orders/cart.ts');
    }
    const line = wholeNumber('line', input.line, 1, PROBE_LIMITS.maxLine);
    const column = wholeNumber('column', input.column, 0, 100_000, 0);
    const condition = optionalText('condition', input.condition, PROBE_LIMITS.maxConditionLength);
    const hitCondition = optionalText('hitCondition', input.hitCondition, PROBE_LIMITS.maxHitConditionLength);
    const logTemplate = optionalText('logTemplate', input.logTemplate, PROBE_LIMITS.maxLogTemplateLength);
    if (kind === 'LOGPOINT' && logTemplate.trim() === '') throw bad('a logpoint needs a logTemplate', 'e.g. "user {user.id} has {items.length} items"');
    const framesWithLocals = wholeNumber('framesWithLocals', input.framesWithLocals, 0, PROBE_LIMITS.maxFramesWithLocals, 0);
    if (kind === 'LOGPOINT' && framesWithLocals !== 0) {
      throw bad(`framesWithLocals applies to snapshots; a logpoint captures no frames (got ${framesWithLocals})`, 'leave framesWithLocals out for a logpoint');
    }
    const path = input.path;

    const { probe, grant } = await this.store.transaction(async (r) => {
      const grant = await mustGetGrant(r, input.grantId);
      if (grant.requester !== actor.id) {
        throw brokerError(BrokerErrorCode.Forbidden, `grant ${grant.id} was approved for ${grant.requester}, not ${actor.id}`, 'request a grant of your own');
      }
      const now = this.clock();
      const state = grantState(grant, now);
      if (state !== 'active') {
        throw brokerError(BrokerErrorCode.GrantNotActive, `grant ${grant.id} is ${state}, not active`, state === 'pending' ? 'wait for its approvals' : 'request a new grant');
      }
      if (!grant.kinds.includes(kind as GrantKind)) {
        throw brokerError(BrokerErrorCode.KindNotGranted, `grant ${grant.id} allows ${grant.kinds.join(', ')}, not ${kind}`, 'request a grant that includes this kind');
      }
      if (!inScope(path, grant.scopeGlobs)) {
        throw brokerError(BrokerErrorCode.OutOfScope, `${path} is outside the scope of grant ${grant.id} (${grant.scopeGlobs.join(', ')})`, 'request a grant whose globs cover this file');
      }
      const killed = await activeKillSwitch(r, grant.service);
      if (killed) throw brokerError(BrokerErrorCode.KillSwitch, `capture is stopped (${killed.scope} kill switch: ${killed.reason})`, 'ops must turn the kill switch off first');
      const active = await r.probes.list({ grantId: grant.id, activeOnly: true });
      if (active.length >= PROBE_LIMITS.maxActivePerGrant) {
        throw bad(`grant ${grant.id} already has ${active.length} active probes`, 'remove probes you no longer need');
      }
      const maxHits = wholeNumber('maxHits', input.maxHits, 0, grant.maxHitsPerProbe || 10_000, 0);
      const probe: ProbeRecord = {
        id: 'p_' + randomBytes(9).toString('base64url'),
        grantId: grant.id,
        service: grant.service,
        kind: kind as GrantKind,
        path,
        line,
        column,
        condition,
        hitCondition,
        logTemplate,
        maxHits,
        framesWithLocals,
        expiresAtMs: grant.notAfterMs,
        createdBy: actor.id,
        createdAtMs: now,
        removedAtMs: 0,
        removedBy: '',
        removeReason: '',
      };
      await r.probes.insert(probe);
      await appendAudit(r, { actor: actor.id, action: 'probe.set', subject: probe.id, details: { grantId: grant.id, kind, path, line, condition, hitCondition, ...(framesWithLocals ? { framesWithLocals } : {}) } }, now);
      return { probe, grant };
    });
    this.events.emit({ type: 'probe.set', probe, selector: grant.selector });
    return probe;
  }

  /** Removes a probe: its creator, or ops. */
  async remove(actor: Principal, probeId: string, reason: string): Promise<ProbeRecord> {
    requirePermission(actor, 'probe.remove');
    const { probe, grant } = await this.store.transaction(async (r) => {
      const probe = await r.probes.get(probeId);
      if (!probe) throw brokerError(BrokerErrorCode.NotFound, `no probe ${probeId}`, 'see `GET /v1/probes`');
      if (probe.createdBy !== actor.id && !actor.roles.includes('ops')) {
        throw brokerError(BrokerErrorCode.Forbidden, `probe ${probe.id} belongs to ${probe.createdBy}`, 'ask its owner or ops to remove it');
      }
      if (probe.removedAtMs) return { probe, grant: undefined };
      const removed: ProbeRecord = { ...probe, removedAtMs: this.clock(), removedBy: actor.id, removeReason: reason || 'removed' };
      await r.probes.update(removed);
      await appendAudit(r, { actor: actor.id, action: 'probe.remove', subject: probe.id, details: { reason: removed.removeReason } }, removed.removedAtMs);
      return { probe: removed, grant: await r.grants.get(probe.grantId) };
    });
    if (grant) this.events.emit({ type: 'probe.removed', probe, selector: grant.selector, reason: probe.removeReason });
    return probe;
  }

  async list(actor: Principal, filter: ProbeFilter): Promise<ProbeRecord[]> {
    requirePermission(actor, 'grant.view');
    return this.store.transaction((r) => r.probes.list(filter));
  }
}

/** Probes an agent of `service` should have now: not removed, under a grant that is active. */
export async function activeProbes(r: Repositories, service: string, nowMs: number): Promise<{ probe: ProbeRecord; grant: GrantRecord }[]> {
  const out: { probe: ProbeRecord; grant: GrantRecord }[] = [];
  for (const probe of await r.probes.list({ service, activeOnly: true })) {
    const grant = await r.grants.get(probe.grantId);
    if (grant && grantState(grant, nowMs) === 'active') out.push({ probe, grant });
  }
  return out;
}

async function mustGetGrant(r: Repositories, id: unknown): Promise<GrantRecord> {
  const grant = typeof id === 'string' ? await r.grants.get(id) : undefined;
  if (!grant) throw brokerError(BrokerErrorCode.NotFound, `no grant ${String(id)}`, 'pass the id of one of your active grants');
  return grant;
}
