// A real broker endpoint for the transport's tests: a ws WebSocketServer on
// 127.0.0.1 that speaks the real wire protocol (decodes AgentMessage frames,
// answers with BrokerMessage frames). Not used by the agent at run time.
import { EventEmitter } from 'node:events';
import { type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { currentVersion, decodeAgentMessage, encodeBrokerMessage, type pb } from '@keyhole/protocol';

/** Generous: the tests run on a loaded 2-core machine. Only a broken transport reaches it. */
export const TEST_WAIT_MS = 20_000;

/** Resolves once `check` returns a value (not undefined), re-checking whenever `emitter` says 'change'. */
export function until<T>(emitter: EventEmitter, check: () => T | undefined, what: string, timeoutMs = TEST_WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = check();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const onChange = (): void => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off('change', onChange);
    };
    emitter.on('change', onChange);
  });
}

/** What the broker does with a Hello. Default: answer Welcome. */
export type HelloBehaviour = (conn: BrokerConnection, hello: pb.Hello) => void;

export const welcomeAtOnce: HelloBehaviour = (conn) => conn.welcome();

/** One agent connection as the broker sees it. */
export class BrokerConnection extends EventEmitter {
  readonly received: pb.AgentMessage[] = [];
  /** Frames that did not decode as AgentMessage (there should be none). */
  readonly undecodable: string[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly socket: WebSocket) {
    super();
  }

  /** Messages other than heartbeats, which arrive on their own schedule. */
  get frames(): pb.AgentMessage[] {
    return this.received.filter((m) => !m.heartbeat);
  }

  send(message: pb.BrokerMessage.$Properties): void {
    this.socket.send(encodeBrokerMessage(message), { binary: true });
  }

  sendRaw(data: Uint8Array | string, binary = true): void {
    this.socket.send(data, { binary });
  }

  welcome(props: pb.Welcome.$Properties = {}): void {
    this.send({ welcome: { version: currentVersion(), serviceEnabled: true, ...props } });
  }

  /**
   * Pings the agent and waits for its pong. TCP keeps order, so every frame
   * the agent wrote before it answered has arrived by then.
   */
  roundTrip(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong from the agent')), TEST_WAIT_MS);
      this.socket.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.ping();
    });
  }

  /** Waits until `count` frames (heartbeats excluded) have arrived; returns them. */
  framesAtLeast(count: number): Promise<pb.AgentMessage[]> {
    return until(this, () => (this.frames.length >= count ? this.frames : undefined), `${count} frames from the agent`);
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    return until(this, () => this.closed, 'the agent connection to close');
  }
}

export class TestBroker extends EventEmitter {
  readonly connections: BrokerConnection[] = [];

  private constructor(
    private readonly server: WebSocketServer,
    readonly port: number,
  ) {
    super();
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and runs `onHello` for each agent's Hello. */
  static async start(onHello: HelloBehaviour = welcomeAtOnce, port = 0): Promise<TestBroker> {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const broker = new TestBroker(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => broker.accept(socket, onHello));
    return broker;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/agent`;
  }

  /** Waits for the n-th connection (1-based) from an agent. */
  connection(n: number): Promise<BrokerConnection> {
    return until(this, () => this.connections[n - 1], `agent connection #${n}`);
  }

  /** Drops every agent connection and stops listening. */
  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, onHello: HelloBehaviour): void {
    const conn = new BrokerConnection(socket);
    this.connections.push(conn);
    const changed = (): void => {
      conn.emit('change');
      this.emit('change');
    };
    socket.on('message', (data, isBinary) => {
      const decoded = decodeAgentMessage(isBinary ? data : new Uint8Array(0));
      if (!decoded.ok) {
        conn.undecodable.push(decoded.error.code);
      } else {
        conn.received.push(decoded.message);
        if (decoded.message.hello) onHello(conn, decoded.message.hello);
      }
      changed();
    });
    socket.on('close', (code, reason) => {
      conn.closed = { code, reason: reason.toString('utf8') };
      changed();
    });
    socket.on('error', () => undefined);
    changed();
  }
}
