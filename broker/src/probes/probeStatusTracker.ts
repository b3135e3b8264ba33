/**
 * The latest status each agent instance reported for each probe, in memory
 * (agents report again when they reconnect). The /events gateway sends it as
 * ProbeStatusChanged; `GET /v1/probes` shows it, so the CLI can tell whether
 * a probe is installed without a WebSocket.
 */
import { pb } from '@keyhole/protocol';

export interface ProbeInstanceStatus {
  readonly instanceId: string;
  readonly state: string;
  readonly code: string;
  readonly message: string;
  readonly hits: number;
  readonly updatedAtMs: number;
}

export class ProbeStatusTracker {
  private readonly byProbe = new Map<string, Map<string, pb.ProbeStatus>>();

  /** Records one instance's status; returns the statuses of every instance for that probe. */
  update(instanceId: string, status: pb.ProbeStatus): pb.ProbeStatus[] {
    let perInstance = this.byProbe.get(status.probeId);
    if (!perInstance) this.byProbe.set(status.probeId, (perInstance = new Map()));
    perInstance.set(instanceId, status);
    return [...perInstance.values()];
  }

  forget(probeId: string): void {
    this.byProbe.delete(probeId);
  }

  /** The probe's status per instance, as JSON for the HTTP API (state names, not numbers). */
  instances(probeId: string): ProbeInstanceStatus[] {
    return [...(this.byProbe.get(probeId)?.values() ?? [])].map((s) => ({
      instanceId: s.instanceId,
      state: pb.ProbeState[s.state] ?? String(s.state),
      code: s.code,
      message: s.message,
      hits: s.hits,
      updatedAtMs: s.updatedAtMs,
    }));
  }
}
