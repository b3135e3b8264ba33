/**
 * The /events WebSocket endpoint for VS Code, the CLI and the web page. The
 * client's first frame is ClientHello (version, token, optional service);
 * then the broker streams ClientEvents: grant changes and probe statuses of
 * that service, and the snapshots and log lines captured under the user's
 * own grants (each pushed snapshot is audited as a read). Bad frames close only the
 * connection that sent them.
 */
import { type WebSocket } from 'ws';
import { checkPeerVersion, CloseCode, currentVersion, decodeClientMessage, encodeClientEvent, FrameErrorCode, type FrameData, pb } from '@keyhole/protocol';
import { appendAudit } from '../audit/auditLog';
import { type Broker } from '../broker';
import { isBrokerError } from '../errors';
import { type GrantState, type GrantView } from '../grants/grantService';
import { authorize } from '../identity/roles';

export interface ClientGatewayOptions {
  readonly maxFrameBytes: number;
  readonly helloTimeoutMs: number;
}

export const DEFAULT_CLIENT_GATEWAY_OPTIONS: ClientGatewayOptions = { maxFrameBytes: 64 * 1024, helloTimeoutMs: 10_000 };

const STATE: Readonly<Record<GrantState, pb.GrantState>> = {
  pending: pb.GrantState.REQUESTED,
  approved: pb.GrantState.APPROVED,
  active: pb.GrantState.APPROVED,
  expired: pb.GrantState.GRANT_EXPIRED,
  rejected: pb.GrantState.REJECTED,
  revoked: pb.GrantState.REVOKED,
};

const KIND: Readonly<Record<string, pb.ProbeKind>> = { SNAPSHOT: pb.ProbeKind.SNAPSHOT, LOGPOINT: pb.ProbeKind.LOGPOINT };

export function grantSummary(v: GrantView): pb.GrantSummary.$Properties {
  const g = v.grant;
  return {
    grantId: g.id,
    state: STATE[v.state],
    service: g.service,
    requester: g.requester,
    approvers: v.approvals.map((a) => a.approverId),
    approvalsNeeded: v.approvalsRequired,
    notBeforeMs: g.notBeforeMs,
    notAfterMs: g.notAfterMs,
    scopeGlobs: [...g.scopeGlobs],
    kinds: g.kinds.map((k) => KIND[k] ?? pb.ProbeKind.PROBE_KIND_UNSPECIFIED),
    reason: g.reason,
    ticket: g.ticket,
  };
}

function send(ws: WebSocket, event: pb.ClientEvent.$Properties): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeClientEvent(event));
}

function fail(ws: WebSocket, code: string, message: string, closeCode: number): void {
  send(ws, { error: { code, message, fatal: true } });
  ws.close(closeCode, code);
}

export function handleClientConnection(ws: WebSocket, broker: Broker, options: ClientGatewayOptions): void {
  let unsubscribe: (() => void) | undefined;
  let started = false;
  const helloTimer = setTimeout(() => fail(ws, FrameErrorCode.ExpectedHello, `no ClientHello within ${options.helloTimeoutMs} ms`, CloseCode.MalformedFrame), options.helloTimeoutMs);
  helloTimer.unref();

  ws.on('message', (data: FrameData, isBinary: boolean) => {
    if (!isBinary) return fail(ws, FrameErrorCode.Malformed, 'send binary protobuf frames', CloseCode.MalformedFrame);
    const decoded = decodeClientMessage(data, options.maxFrameBytes);
    if (!decoded.ok) return fail(ws, decoded.error.code, decoded.error.message, decoded.error.code === FrameErrorCode.TooLarge ? CloseCode.MessageTooBig : CloseCode.MalformedFrame);
    if (started) return; // heartbeats need no answer
    const hello = decoded.message.hello;
    if (!hello) return fail(ws, FrameErrorCode.ExpectedHello, 'the first frame must be ClientHello', CloseCode.MalformedFrame);
    started = true;
    clearTimeout(helloTimer);
    void subscribe(hello).catch(() => fail(ws, 'KH_INTERNAL', 'the broker failed during the handshake', CloseCode.MalformedFrame));
  });
  ws.on('close', () => {
    clearTimeout(helloTimer);
    unsubscribe?.();
  });
  ws.on('error', () => undefined);

  async function subscribe(hello: pb.ClientHello): Promise<void> {
    const versionError = checkPeerVersion(hello.version, 'the client');
    if (versionError) return fail(ws, versionError.code, versionError.message, CloseCode.ProtocolVersion);
    let roles;
    let userId: string;
    try {
      const p = await broker.identities.authenticate(hello.token);
      if (p.kind !== 'user') return fail(ws, 'KH_UNAUTHENTICATED', 'agent tokens cannot subscribe to client events', CloseCode.Unauthorized);
      roles = p.roles;
      userId = p.id;
    } catch (err) {
      return fail(ws, 'KH_UNAUTHENTICATED', isBrokerError(err) ? err.message : 'token refused', CloseCode.Unauthorized);
    }
    if (!authorize(roles, 'grant.view')) return fail(ws, 'KH_FORBIDDEN', 'your roles do not allow viewing grants', CloseCode.Unauthorized);
    if (ws.readyState !== ws.OPEN) return;
    const service = hello.service;
    const wanted = (s: string) => !service || s === service;
    const stopGrants = broker.grants.onChange((view) => {
      if (wanted(view.grant.service)) send(ws, { grantChanged: { grant: grantSummary(view) } });
    });
    const mayView = authorize(roles, 'snapshot.view');
    const stopEvents = broker.events.on((e) => {
      if (e.type === 'probe.status' && wanted(e.service)) {
        send(ws, { probeStatusChanged: e.change });
      } else if (e.type === 'snapshot' && mayView && e.requester === userId && wanted(e.record.service)) {
        // Pushing the snapshot is reading it: audit the read like GET /v1/snapshots/:id.
        void broker.store
          .transaction((r) => appendAudit(r, { actor: userId, action: 'snapshot.view', subject: e.record.id, details: { grantId: e.record.grantId, probeId: e.record.probeId, via: 'events' } }, broker.clock()))
          .then(() => send(ws, { snapshotArrived: { snapshot: e.snapshot } }), () => undefined);
      } else if (e.type === 'logLine' && mayView && e.requester === userId && wanted(e.service)) {
        send(ws, { logLineArrived: { logLine: e.line } });
      }
    });
    unsubscribe = () => {
      stopGrants();
      stopEvents();
    };
    send(ws, { welcome: { version: currentVersion(), serviceEnabled: true, message: service ? `events for ${service}` : 'events for every service' } });
  }
}
