/**
 * Everything between agents and the broker after the handshake, apart from
 * grants: kill switches and probes out, probe statuses, snapshots and log
 * lines in. Agents check every probe against their signed grants; this only
 * routes, stores and tells clients.
 */
import { type FrameData, pb } from '@keyhole/protocol';
import { type Broker } from '../broker';
import { type BrokerEvent } from '../events';
import { grantState } from '../grants/grantService';
import { activeKillSwitch, GLOBAL_SCOPE } from '../probes/killSwitch';
import { activeProbes } from '../probes/probeService';
import { type ProbeStatusTracker } from '../probes/probeStatusTracker';
import { type ProbeRecord } from '../store/records';
import { type AgentConnection, selectorMatches } from './agentRegistry';
import { encodedSnapshotOf } from './snapshotFrame';

const KIND: Readonly<Record<string, pb.ProbeKind>> = { SNAPSHOT: pb.ProbeKind.SNAPSHOT, LOGPOINT: pb.ProbeKind.LOGPOINT };

export function probeMessage(p: ProbeRecord): pb.Probe.$Properties {
  return {
    id: p.id,
    grantId: p.grantId,
    kind: KIND[p.kind] ?? pb.ProbeKind.PROBE_KIND_UNSPECIFIED,
    location: { path: p.path, line: p.line, column: p.column },
    condition: p.condition,
    hitCondition: p.hitCondition,
    logTemplate: p.logTemplate,
    maxHits: p.maxHits,
    framesWithLocals: p.framesWithLocals,
    expiresAtMs: p.expiresAtMs,
    createdBy: p.createdBy,
  };
}

/** Tells a newly connected agent about a kill switch that stops it; true when one is on. */
export async function killSwitchForAgent(broker: Broker, conn: AgentConnection): Promise<boolean> {
  const killed = await broker.store.transaction((r) => activeKillSwitch(r, conn.service));
  if (killed) conn.send({ killSwitch: { on: true, scope: killed.scope, reason: killed.reason } });
  return killed !== undefined;
}

/** Sends a newly connected agent the probes it should have (send its grants first). */
export async function probesForAgent(broker: Broker, conn: AgentConnection): Promise<void> {
  const probes = await broker.store.transaction((r) => activeProbes(r, conn.service, broker.clock()));
  for (const { probe, grant } of probes) {
    if (selectorMatches(grant.selector, conn.labels)) conn.send({ setProbe: { probe: probeMessage(probe) } });
  }
}

export function routeCaptureEvents(broker: Broker, tracker: ProbeStatusTracker): () => void {
  return broker.events.on((e: BrokerEvent) => {
    if (e.type === 'probe.set') {
      for (const a of broker.agents.matching(e.probe.service, e.selector)) a.send({ setProbe: { probe: probeMessage(e.probe) } });
    } else if (e.type === 'probe.removed') {
      tracker.forget(e.probe.id);
      for (const a of broker.agents.matching(e.probe.service, e.selector)) a.send({ removeProbe: { probeId: e.probe.id, reason: e.reason } });
    } else if (e.type === 'killSwitch') {
      const targets = e.record.scope === GLOBAL_SCOPE ? broker.agents.list() : broker.agents.list(e.record.scope);
      for (const a of targets) a.send({ killSwitch: { on: e.record.on, scope: e.record.scope, reason: e.record.reason } });
    }
  });
}

/** Handles one post-handshake frame from an agent. Never throws. */
export async function handleAgentFrame(broker: Broker, tracker: ProbeStatusTracker, conn: AgentConnection, message: pb.AgentMessage, frame?: FrameData): Promise<void> {
  if (message.snapshot) {
    const result = await broker.snapshots.accept(conn.service, conn.instanceId, message.snapshot, frame && encodedSnapshotOf(frame));
    if (!result.ok) conn.send({ error: { code: result.code, message: `snapshot dropped: ${result.reason}`, fatal: false } });
  } else if (message.probeStatus) {
    const status = message.probeStatus;
    const context = await broker.store.transaction(async (r) => {
      const probe = await r.probes.get(status.probeId);
      const grant = probe && probe.service === conn.service ? await r.grants.get(probe.grantId) : undefined;
      return probe && grant ? { probe, grant } : undefined;
    });
    if (!context) return; // a status for a probe this broker does not know: nothing to tell anyone
    const instances = tracker.update(conn.instanceId, pb.ProbeStatus.create({ ...status, instanceId: conn.instanceId }));
    broker.events.emit({
      type: 'probe.status',
      service: conn.service,
      requester: context.grant.requester,
      change: {
        probeId: status.probeId,
        instances,
        installed: instances.filter((s) => s.state === pb.ProbeState.INSTALLED).length,
        targeted: broker.agents.matching(conn.service, context.grant.selector).length,
      },
    });
  } else if (message.logLine) {
    const line = message.logLine;
    const requester = await broker.store.transaction(async (r) => {
      const probe = await r.probes.get(line.probeId);
      if (!probe || probe.service !== conn.service || probe.kind !== 'LOGPOINT' || probe.grantId !== line.grantId) return undefined;
      const grant = await r.grants.get(probe.grantId);
      if (!grant || grantState(grant, broker.clock()) !== 'active' || (await activeKillSwitch(r, conn.service))) return undefined;
      return grant.requester;
    });
    if (requester) broker.events.emit({ type: 'logLine', service: conn.service, requester, line: pb.LogLine.create({ ...line, service: conn.service, instanceId: conn.instanceId }) });
  }
}
