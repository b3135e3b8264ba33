/**
 * Snapshots from agents: accepted only for a probe of an active grant of
 * the agent's own service and while no kill switch is on; stored as the
 * encoded protobuf for the service's snapshotTtlMs, then deleted by the
 * sweeper. Only the developer the grant was approved for can read them, and
 * every read is audited.
 */
import { pb } from '@keyhole/protocol';
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode } from '../errors';
import { type EventBus } from '../events';
import { grantState } from '../grants/grantService';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { activeKillSwitch } from '../probes/killSwitch';
import { type SnapshotRecord } from '../store/records';
import { type Store } from '../store/store';

export const SNAPSHOT_LIMITS = {
  maxIdLength: 128,
  /** How long after its window a grant's captures still count, for clock skew and transit: 60 s. */
  windowGraceMs: 60_000,
  /** Default and largest page of `list`. */
  defaultListLimit: 100,
  maxListLimit: 1000,
  /** How often the sweeper deletes expired snapshots: every 60 s. */
  sweepIntervalMs: 60_000,
} as const;

export type AcceptResult = { readonly ok: true; readonly record: SnapshotRecord } | { readonly ok: false; readonly code: string; readonly reason: string };

export class SnapshotService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /**
   * Takes a snapshot an agent of `service` sent. Refusals are audited and
   * returned, never thrown. `encoded`: the bytes `snapshot` was decoded from,
   * when the caller has them (see gateway/snapshotFrame.ts); they are stored
   * as they are instead of encoding `snapshot` again.
   */
  async accept(service: string, instanceId: string, snapshot: pb.Snapshot, encoded?: Uint8Array): Promise<AcceptResult> {
    const now = this.clock();
    const actor = `agent:${service}`;
    const outcome = await this.store.transaction(async (r): Promise<AcceptResult & { requester?: string }> => {
      const refuse = (code: string, reason: string): AcceptResult => ({ ok: false, code, reason });
      if (!snapshot.id || snapshot.id.length > SNAPSHOT_LIMITS.maxIdLength) return refuse('KH_SNAPSHOT_ID', 'the snapshot has no usable id');
      if (snapshot.service !== service) return refuse('KH_SNAPSHOT_SERVICE', `the snapshot names service ${snapshot.service}, the agent is ${service}`);
      if (await r.snapshots.get(snapshot.id)) return refuse('KH_SNAPSHOT_DUPLICATE', `snapshot ${snapshot.id} was already received`);
      const probe = await r.probes.get(snapshot.probeId);
      if (!probe || probe.service !== service || probe.grantId !== snapshot.grantId || probe.kind !== 'SNAPSHOT') {
        return refuse('KH_SNAPSHOT_PROBE', `no snapshot probe ${snapshot.probeId} under grant ${snapshot.grantId}`);
      }
      const grant = await r.grants.get(probe.grantId);
      const state = grant ? grantState(grant, now - SNAPSHOT_LIMITS.windowGraceMs) : 'missing';
      if (!grant || (state !== 'active' && state !== 'approved')) return refuse('KH_GRANT_NOT_ACTIVE', `grant ${snapshot.grantId} is ${state}`);
      const killed = await activeKillSwitch(r, service);
      if (killed) return refuse('KH_KILL_SWITCH', `the ${killed.scope} kill switch is on`);
      const svc = await r.services.get(service);
      const data = encoded ?? pb.Snapshot.encode(snapshot).finish();
      const record: SnapshotRecord = {
        id: snapshot.id,
        service,
        grantId: grant.id,
        probeId: probe.id,
        instanceId,
        capturedAtMs: snapshot.capturedAtMs,
        receivedAtMs: now,
        expiresAtMs: now + (svc?.policy.snapshotTtlMs ?? 0),
        traceId: snapshot.traceId,
        spanId: snapshot.spanId,
        data,
      };
      await r.snapshots.insert(record);
      await appendAudit(
        r,
        { actor, action: 'snapshot.captured', subject: record.id, details: { probeId: probe.id, grantId: grant.id, instanceId, bytes: data.byteLength, maskedKinds: [...snapshot.maskedKinds] } },
        now,
      );
      return { ok: true, record, requester: grant.requester };
    });
    if (outcome.ok) {
      this.events.emit({ type: 'snapshot', record: outcome.record, requester: outcome.requester ?? '', snapshot });
      return { ok: true, record: outcome.record };
    }
    await this.store.transaction((r) =>
      appendAudit(r, { actor, action: 'snapshot.refused', subject: snapshot.id.slice(0, SNAPSHOT_LIMITS.maxIdLength), details: { code: outcome.code, reason: outcome.reason, instanceId } }, now),
    );
    return outcome;
  }

  /** Snapshot metadata the actor may read (their own grants), newest first. */
  async list(actor: Principal, filter: { service?: string; probeId?: string; grantId?: string; limit?: number }): Promise<SnapshotRecord[]> {
    requirePermission(actor, 'snapshot.view');
    const limit = filter.limit ?? SNAPSHOT_LIMITS.defaultListLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > SNAPSHOT_LIMITS.maxListLimit) {
      throw brokerError(BrokerErrorCode.BadRequest, `limit must be 1..${SNAPSHOT_LIMITS.maxListLimit}`, 'ask for fewer');
    }
    return this.store.transaction(async (r) => {
      const rows = await r.snapshots.list({ ...filter, aliveAtMs: this.clock(), limit: SNAPSHOT_LIMITS.maxListLimit });
      const mine: SnapshotRecord[] = [];
      const requesterOf = new Map<string, string>();
      for (const s of rows) {
        if (!requesterOf.has(s.grantId)) requesterOf.set(s.grantId, (await r.grants.get(s.grantId))?.requester ?? '');
        if (requesterOf.get(s.grantId) === actor.id) mine.push(s);
        if (mine.length >= limit) break;
      }
      return mine;
    });
  }

  /** One snapshot, decoded; the read is audited. */
  async view(actor: Principal, id: string): Promise<{ record: SnapshotRecord; snapshot: pb.Snapshot }> {
    requirePermission(actor, 'snapshot.view');
    return this.store.transaction(async (r) => {
      const now = this.clock();
      const record = await r.snapshots.get(id);
      if (!record || record.expiresAtMs <= now) throw brokerError(BrokerErrorCode.NotFound, `no snapshot ${id} (it may have expired)`, 'list the snapshots still kept');
      const grant = await r.grants.get(record.grantId);
      if (grant?.requester !== actor.id) {
        throw brokerError(BrokerErrorCode.Forbidden, `snapshot ${id} was captured under a grant approved for ${grant?.requester ?? 'someone else'}`, 'only that developer can read it');
      }
      await appendAudit(r, { actor: actor.id, action: 'snapshot.view', subject: id, details: { grantId: record.grantId, probeId: record.probeId } }, now);
      return { record, snapshot: pb.Snapshot.decode(record.data) };
    });
  }

  /** Deletes expired snapshots; audits how many. */
  async sweep(): Promise<number> {
    return this.store.transaction(async (r) => {
      const now = this.clock();
      const n = await r.snapshots.deleteExpired(now);
      if (n > 0) await appendAudit(r, { actor: 'system', action: 'snapshot.expired', subject: '', details: { deleted: n } }, now);
      return n;
    });
  }

  /** Runs `sweep` every `intervalMs` without keeping the process alive; returns the stop function. */
  startSweeper(intervalMs: number = SNAPSHOT_LIMITS.sweepIntervalMs): () => void {
    const timer = setInterval(() => {
      void this.sweep().catch(() => undefined);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
