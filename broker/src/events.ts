/**
 * In-process notifications of committed changes, for the routers that tell
 * agents and clients. A listener's failure never reaches the emitter.
 */
import { type pb } from '@keyhole/protocol';
import { type KillSwitchRecord, type ProbeRecord, type SnapshotRecord } from './store/records';

export type BrokerEvent =
  | { readonly type: 'probe.set'; readonly probe: ProbeRecord; readonly selector: Readonly<Record<string, string>> }
  | { readonly type: 'probe.removed'; readonly probe: ProbeRecord; readonly selector: Readonly<Record<string, string>>; readonly reason: string }
  | { readonly type: 'probe.status'; readonly service: string; readonly requester: string; readonly change: pb.ProbeStatusChanged.$Properties }
  | { readonly type: 'snapshot'; readonly record: SnapshotRecord; readonly requester: string; readonly snapshot: pb.Snapshot }
  | { readonly type: 'logLine'; readonly service: string; readonly requester: string; readonly line: pb.LogLine }
  | { readonly type: 'killSwitch'; readonly record: KillSwitchRecord };

export type BrokerEventListener = (event: BrokerEvent) => void;

export class EventBus {
  private readonly listeners = new Set<BrokerEventListener>();

  on(listener: BrokerEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BrokerEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure must not undo or hide a committed change.
      }
    }
  }
}
