/**
 * The /agent WebSocket endpoint. An agent's first frame must be Hello:
 * its protocol version is checked (else ErrorFrame + close 4001), then its
 * service (unknown or disabled: Welcome with serviceEnabled=false and why,
 * then close 4004, so the agent stays idle and retries later), then its
 * agent token (else ErrorFrame + close 4003). A malformed or oversized frame
 * at any point gets an ErrorFrame and closes that one connection; nothing
 * else is affected.
 */
import { type WebSocket } from 'ws';
import {
  checkPeerVersion,
  CloseCode,
  currentVersion,
  decodeAgentMessage,
  encodeBrokerMessage,
  FrameErrorCode,
  type FrameData,
  type pb,
} from '@keyhole/protocol';
import { type Broker } from '../broker';
import { isBrokerError } from '../errors';
import { type AgentConnection, type AgentRegistry } from './agentRegistry';

export interface AgentGatewayOptions {
  /** Largest frame accepted from an agent. Default 1 MiB (the protocol default). */
  readonly maxFrameBytes: number;
  /** How long a new connection may take to send Hello. Default 10 s. */
  readonly helloTimeoutMs: number;
  /** The heartbeat interval agents are told to use. Default 15 s. */
  readonly heartbeatIntervalMs: number;
}

export const DEFAULT_AGENT_GATEWAY_OPTIONS: AgentGatewayOptions = {
  maxFrameBytes: 1024 * 1024,
  helloTimeoutMs: 10_000,
  heartbeatIntervalMs: 15_000,
};

export interface AgentEvents {
  /** A connection completed its handshake; send it what it should know (active grants). */
  onAgentReady?(conn: AgentConnection): Promise<void> | void;
  /** Frames after the handshake, for the probe and snapshot routers; `frame` is the message as received. */
  onAgentMessage?(conn: AgentConnection, message: pb.AgentMessage, frame: FrameData): void;
}

function sendFrame(ws: WebSocket, message: pb.BrokerMessage.$Properties): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeBrokerMessage(message));
}

function fail(ws: WebSocket, code: string, message: string, closeCode: number): void {
  sendFrame(ws, { error: { code, message, fatal: true } });
  ws.close(closeCode, code);
}

export function handleAgentConnection(ws: WebSocket, broker: Broker, registry: AgentRegistry, options: AgentGatewayOptions, events: AgentEvents = {}): void {
  let conn: AgentConnection | undefined;
  let handshaking = false;
  const helloTimer = setTimeout(() => fail(ws, FrameErrorCode.ExpectedHello, `no Hello within ${options.helloTimeoutMs} ms`, CloseCode.MalformedFrame), options.helloTimeoutMs);
  helloTimer.unref();

  ws.on('message', (data: FrameData, isBinary: boolean) => {
    if (!isBinary) return fail(ws, FrameErrorCode.Malformed, 'text frames are not part of the protocol; send binary protobuf frames', CloseCode.MalformedFrame);
    const decoded = decodeAgentMessage(data, options.maxFrameBytes);
    if (!decoded.ok) {
      const close = decoded.error.code === FrameErrorCode.TooLarge ? CloseCode.MessageTooBig : CloseCode.MalformedFrame;
      return fail(ws, decoded.error.code, decoded.error.message, close);
    }
    const message = decoded.message;
    if (conn) {
      if (message.heartbeat) {
        conn.lastHeartbeatMs = broker.clock();
        conn.stats = message.heartbeat.stats ?? undefined;
      }
      events.onAgentMessage?.(conn, message, data);
      return;
    }
    if (handshaking) return; // frames before Welcome are ignored; the agent waits for it.
    if (!message.hello) return fail(ws, FrameErrorCode.ExpectedHello, `the first frame must be Hello, got ${message.body ?? 'nothing'}`, CloseCode.MalformedFrame);
    handshaking = true;
    clearTimeout(helloTimer);
    void handshake(message.hello).catch(() => fail(ws, 'KH_INTERNAL', 'the broker failed during the handshake', CloseCode.MalformedFrame));
  });

  ws.on('close', () => {
    clearTimeout(helloTimer);
    if (conn) registry.remove(conn);
  });
  ws.on('error', () => {
    // ws reports protocol violations (bad opcodes, oversized payloads) here and closes the socket itself.
  });

  async function handshake(hello: pb.Hello): Promise<void> {
    const versionError = checkPeerVersion(hello.version, 'the agent');
    if (versionError) return fail(ws, versionError.code, versionError.message, CloseCode.ProtocolVersion);

    const service = await broker.store.transaction((r) => r.services.get(hello.service));
    if (!service) return idle(`service "${hello.service}" is not registered with this broker; ops can add it with \`keyhole service add ${hello.service}\``);

    try {
      const principal = await broker.identities.authenticate(hello.token);
      if (principal.kind !== 'agent' || principal.service !== service.name) {
        return fail(ws, 'KH_UNAUTHENTICATED', `this token is not an agent token for ${service.name}`, CloseCode.Unauthorized);
      }
    } catch (err) {
      const message = isBrokerError(err) ? err.message : 'token refused';
      return fail(ws, 'KH_UNAUTHENTICATED', `${message}; give the agent the token printed by \`keyhole service add\``, CloseCode.Unauthorized);
    }
    if (!service.policy.enabled) return idle(`capture is disabled for ${service.name} by ops`);
    if (!hello.instanceId) return fail(ws, FrameErrorCode.Malformed, 'Hello has no instance_id', CloseCode.MalformedFrame);
    if (ws.readyState !== ws.OPEN) return;

    const now = broker.clock();
    conn = {
      service: service.name,
      instanceId: hello.instanceId,
      labels: { ...hello.labels },
      hostname: hello.hostname,
      pid: hello.pid,
      agentVersion: hello.agentVersion,
      runtimeVersion: hello.runtimeVersion,
      connectedAtMs: now,
      lastHeartbeatMs: now,
      stats: undefined,
      send: (m) => sendFrame(ws, m),
      close: (code, reason) => ws.close(code, reason),
    };
    const replaced = registry.add(conn);
    replaced?.close(CloseCode.Replaced, 'replaced by a newer connection from the same instance');
    sendFrame(ws, {
      welcome: {
        version: currentVersion(),
        serviceEnabled: true,
        message: `welcome, ${service.name}/${hello.instanceId}`,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        masking: { names: [...service.policy.masking.names], valuePatterns: [...service.policy.masking.valuePatterns] },
      },
    });
    await events.onAgentReady?.(conn);
  }

  function idle(why: string): void {
    sendFrame(ws, { welcome: { version: currentVersion(), serviceEnabled: false, message: why, heartbeatIntervalMs: options.heartbeatIntervalMs } });
    ws.close(CloseCode.ServiceDisabled, 'service disabled');
  }
}
