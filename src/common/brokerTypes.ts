// The broker's JSON shapes that both the client (which reads them) and the
// adapter (which consumes them through ISnapshotSource) name. Types only.
// Each is declared once, in @keyhole/protocol (brokerJson), where the broker
// that sends them declares them too; here they are named as the client uses them.
import { type GrantJson, type ProbeRequestJson, type SnapshotListRowJson } from '@keyhole/protocol';

export type { GrantStateName, ProbeKindName } from '@keyhole/protocol';

/** One grant as GET /v1/grants returns it (the fields the adapter reads). */
export type GrantInfo = Pick<GrantJson, 'id' | 'state' | 'service' | 'requester' | 'selector' | 'scopeGlobs' | 'kinds' | 'notAfterMs' | 'approvalsRequired' | 'approvals'>;

/** The body of POST /v1/probes. */
export type ProbeRequest = ProbeRequestJson;

/**
 * One row of GET /v1/snapshots. The broker always sends traceId and spanId
 * ('' when none); brokers older than those fields leave them out, so the
 * client reads them as optional.
 */
export type SnapshotMeta = Omit<SnapshotListRowJson, 'traceId' | 'spanId'> & Partial<Pick<SnapshotListRowJson, 'traceId' | 'spanId'>>;

/** The event stream went up or down. */
export type ConnectionChange =
  | { readonly connected: true }
  | { readonly connected: false; readonly code: string; readonly reason: string; readonly willRetry: boolean };
