// A hand-made agent: a real WebSocket to the broker's /agent endpoint that
// speaks the real protobuf frames (Hello with the service's agent token),
// reports the probes it is sent as installed, and sends whatever snapshot a
// test crafts, so bad input reaches the adapter through the real broker.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { currentVersion, decodeBrokerMessage, encodeAgentMessage, type FrameData, pb } from '@keyhole/protocol';

/** How long the raw agent waits for a frame it expects. */
const FRAME_TIMEOUT_MS = 20_000;

export class RawAgent {
  private readonly frames: pb.BrokerMessage[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly ws: WebSocket,
    readonly instanceId: string,
  ) {
    ws.on('message', (data: FrameData) => {
      const d = decodeBrokerMessage(data);
      if (!d.ok) return;
      this.frames.push(d.message);
      const p = d.message.setProbe?.probe;
      // Like a real agent: say the probe is armed here.
      if (p?.id) this.send({ probeStatus: { probeId: p.id, state: pb.ProbeState.INSTALLED, instanceId, updatedAtMs: Date.now() } });
      for (const w of [...this.waiters]) w();
    });
  }

  static async connect(agentUrl: string, token: string, instanceId: string, labels: Record<string, string>): Promise<RawAgent> {
    const ws = new WebSocket(agentUrl);
    await once(ws, 'open');
    const agent = new RawAgent(ws, instanceId);
    agent.send({ hello: { version: currentVersion(), service: 'orders', labels, instanceId, token, runtimeVersion: process.version, agentVersion: 'raw-test-agent', pid: process.pid, hostname: 'test' } });
    const first = await agent.next((m) => !!m.welcome || !!m.error);
    if (!first.welcome?.serviceEnabled) throw new Error(`the broker did not welcome the raw agent: ${JSON.stringify(first.toJSON())}`);
    return agent;
  }

  private send(message: pb.AgentMessage.$Properties): void {
    this.ws.send(encodeAgentMessage(message));
  }

  /** The first frame (received already or still to come) matching pick. */
  private next(pick: (m: pb.BrokerMessage) => boolean): Promise<pb.BrokerMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(pick);
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the raw agent got no expected frame within ${FRAME_TIMEOUT_MS} ms`));
      }, FRAME_TIMEOUT_MS);
      this.waiters.add(check);
      check();
    });
  }

  /** The probe the broker set on this instance for a path ending in `pathEnd`, at `line`. */
  async probeAt(pathEnd: string, line: number): Promise<pb.IProbe> {
    const m = await this.next((x) => !!x.setProbe?.probe?.location?.path?.endsWith(pathEnd) && x.setProbe.probe.location.line === line);
    return m.setProbe!.probe!;
  }

  /** Sends a snapshot for `probe` with the given frames; returns its id. */
  sendSnapshot(probe: pb.IProbe, frames: pb.IStackFrame[]): string {
    const id = randomBytes(8).toString('hex');
    this.send({ snapshot: { id, probeId: probe.id!, grantId: probe.grantId!, service: 'orders', instanceId: this.instanceId, capturedAtMs: Date.now(), frames } });
    return id;
  }

  /** Errors the broker answered with (e.g. a refused snapshot). */
  errors(): string[] {
    return this.frames.filter((m) => m.error).map((m) => `${m.error!.code}: ${m.error!.message}`);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.ws.close();
    await once(this.ws, 'close');
  }
}
