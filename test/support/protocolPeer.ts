// A real WebSocket server on 127.0.0.1 (port 0) that speaks the real
// agent<->broker protocol, for agent tests that must not depend on the
// broker package. It records every frame an agent sends and lets a test send
// any BrokerMessage.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { currentVersion, decodeAgentMessage, encodeBrokerMessage, pb } from '@keyhole/protocol';

export class AgentConnection {
  readonly received: pb.AgentMessage[] = [];
  private waiters: { test: (m: pb.AgentMessage) => boolean; resolve: (m: pb.AgentMessage) => void }[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly hello: pb.Hello,
  ) {
    socket.on('message', (data: Buffer) => {
      const r = decodeAgentMessage(data);
      if (!r.ok) return;
      this.received.push(r.message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(r.message)) return true;
        w.resolve(r.message);
        return false;
      });
    });
  }

  send(message: pb.BrokerMessage.$Properties): void {
    this.socket.send(encodeBrokerMessage(message));
  }

  welcome(over: Partial<pb.Welcome.$Properties> = {}): void {
    this.send({ welcome: { version: currentVersion(), serviceEnabled: true, heartbeatIntervalMs: 60_000, ...over } });
  }

  /** The first message (already received or still to come) that passes the test. */
  next(test: (m: pb.AgentMessage) => boolean, timeoutMs = 20_000, what = 'a matching message'): Promise<pb.AgentMessage> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; received: ${this.received.map((m) => m.body).join(', ')}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  status(probeId: string, state: pb.ProbeState, timeoutMs?: number): Promise<pb.ProbeStatus> {
    return this.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === probeId && m.probeStatus!.state === state, timeoutMs, `probe ${probeId} in state ${pb.ProbeState[state]}`).then((m) => m.probeStatus!);
  }

  snapshots(probeId?: string): pb.Snapshot[] {
    return this.received.filter((m) => m.body === 'snapshot' && (!probeId || m.snapshot!.probeId === probeId)).map((m) => m.snapshot!);
  }

  logLines(probeId?: string): pb.LogLine[] {
    return this.received.filter((m) => m.body === 'logLine' && (!probeId || m.logLine!.probeId === probeId)).map((m) => m.logLine!);
  }

  statuses(probeId: string): pb.ProbeStatus[] {
    return this.received.filter((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === probeId).map((m) => m.probeStatus!);
  }
}

export class ProtocolPeer {
  private readonly connections: AgentConnection[] = [];
  private waiting: ((c: AgentConnection) => void)[] = [];

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      socket.once('message', (data: Buffer) => {
        const r = decodeAgentMessage(data);
        if (!r.ok || r.message.body !== 'hello') {
          socket.close();
          return;
        }
        const conn = new AgentConnection(socket, r.message.hello!);
        this.connections.push(conn);
        const w = this.waiting.shift();
        if (w) w(conn);
      });
    });
  }

  static async start(): Promise<ProtocolPeer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new ProtocolPeer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/agent`;
  }

  /** The next agent to say hello (or one that already did and was not yet taken). */
  nextAgent(timeoutMs = 20_000): Promise<AgentConnection> {
    const ready = this.connections.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const take = (c: AgentConnection): void => {
        clearTimeout(timer);
        this.connections.splice(this.connections.indexOf(c), 1);
        resolve(c);
      };
      // A waiter that timed out must not swallow the next agent that connects.
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== take);
        reject(new Error('no agent connected'));
      }, timeoutMs);
      this.waiting.push(take);
    });
  }

  async close(): Promise<void> {
    for (const c of this.server.clients) c.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
