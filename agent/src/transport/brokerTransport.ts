import { type RawData, type WebSocket } from 'ws';
import {
  CloseCode,
  FrameErrorCode,
  checkPeerVersion,
  currentVersion,
  decodeBrokerMessage,
  encodeAgentMessage,
  type FrameError,
  type pb,
} from '@keyhole/protocol';
import { type TransportSettings } from '../config';
import { reconnectDelayMs } from './backoff';
import { BrokerLossWatch } from './brokerLossWatch';
import { coalesceKeyOf, frameKindOf } from './frameKind';
import { SendQueue } from './sendQueue';
import { TransportCode } from './transportCodes';
import { BROKER_SILENCE_HEARTBEATS, MIN_BROKER_HEARTBEAT_MS, MIN_BROKER_SILENCE_MS, SOCKET_HIGH_WATER_BYTES, WELCOME_TIMEOUT_MS } from './transportConstants';
import { closeBrokerSocket, openBrokerSocket } from './brokerSocket';

export interface TransportHandlers {
  /** A frame from the broker after Welcome (Welcome, heartbeats and ErrorFrames are the transport's own). */
  onMessage(msg: pb.BrokerMessage): void;
  /** The broker answered Hello with a compatible Welcome; queued frames are sent next. */
  onConnected(welcome: pb.Welcome): void;
  /** A connection attempt failed or an open connection ended; the transport retries by itself. */
  onDisconnected(reason: string): void;
  /** The broker has been gone longer than brokerLossGraceMs: remove every probe. Once per outage. */
  onBrokerLost(): void;
}

export interface BrokerTransportOptions {
  url: string;
  settings: TransportSettings;
  /** The Hello contents; the transport sets `version` itself. Called on every connection. */
  hello: () => pb.Hello.$Properties;
  /** Stats for each heartbeat; the transport fills in queueLength and droppedFrames. */
  stats: () => pb.AgentStats.$Properties;
  handlers: TransportHandlers;
  /** One line per problem; never called with a thrown error. */
  log: (code: string, message: string) => void;
}

export interface TransportCounters {
  queued: number;
  queuedBytes: number;
  /** Frames dropped, per kind (snapshot, logLine, probeStatus, heartbeat, error). */
  dropped: Record<string, number>;
  /** Frames handed to the socket. */
  sent: number;
  /** Dial attempts after the first. */
  reconnects: number;
  /** Queued probe statuses replaced by a newer status of the same probe. */
  coalesced: number;
  /** Frames from the broker refused as malformed, truncated, empty, unknown or oversized. */
  rejectedFrames: number;
}

type State = 'idle' | 'dialing' | 'awaitingWelcome' | 'ready' | 'waiting' | 'stopped' | 'closed';

/** Close codes with which a broker refuses this agent until ops change something. */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.ProtocolVersion, CloseCode.Unauthorized, CloseCode.ServiceDisabled, CloseCode.Replaced]);

/** Frames that only ever take power away; honoured even before Welcome. */
const ALWAYS_DELIVERED: ReadonlySet<string> = new Set(['removeProbe', 'revocation', 'killSwitch']);

/**
 * The agent's one connection to the broker. It dials out (never listens),
 * says Hello, waits for Welcome, then sends queued frames and heartbeats. It
 * reconnects with jittered backoff, bounds what it holds, and never keeps the
 * host process alive: the socket and every timer are unref()ed. Nothing it
 * does throws into the host; problems go to `log` with a stable code.
 */
export class BrokerTransport {
  private readonly o: BrokerTransportOptions;
  private readonly queue: SendQueue;
  private readonly lossWatch: BrokerLossWatch;
  private state: State = 'idle';
  private socket: WebSocket | undefined;
  /** Failed attempts since the last Welcome; drives the backoff. */
  private attempt = 0;
  /** The broker refused us for a reason only ops can fix: retry at the longest delay until a Welcome. */
  private fatal = false;
  /** Codes already logged in this outage (or on this connection): each problem is logged once, not per retry. */
  private readonly logged = new Set<string>();
  /** Something already explained why the current socket ends; its close is not logged again. */
  private closeExplained = false;
  private lastSocketError: string | undefined;
  private lastInboundAt = 0;
  private heartbeatMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private welcomeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private dials = 0;
  private sent = 0;
  private reconnects = 0;
  private rejectedFrames = 0;

  constructor(o: BrokerTransportOptions) {
    this.o = o;
    this.queue = new SendQueue({ maxFrames: o.settings.queueMaxFrames, maxBytes: o.settings.queueMaxBytes });
    this.heartbeatMs = o.settings.heartbeatMs;
    this.lossWatch = new BrokerLossWatch(o.settings.brokerLossGraceMs, () => {
      this.warn(TransportCode.BrokerLost, `no broker for more than ${o.settings.brokerLossGraceMs} ms; probes must be removed (a revocation could be missed)`);
      this.call('onBrokerLost', () => o.handlers.onBrokerLost());
    });
  }

  /** True between a Welcome and the end of that connection. */
  get connected(): boolean {
    return this.state === 'ready';
  }

  /** Dials the broker. Calling it again, or after close(), does nothing. */
  start(): void {
    if (this.state !== 'idle') return;
    this.dial();
  }

  /**
   * Queues a frame for the broker; it is sent at once when connected, else
   * after the next Welcome. False when the frame itself was dropped (too
   * large, not encodable, or the transport is closed); older frames evicted to
   * make room are counted in counters().dropped.
   */
  send(message: pb.AgentMessage.$Properties): boolean {
    const kind = frameKindOf(message);
    if (kind === undefined || kind === 'hello') {
      this.warnOnce(TransportCode.EncodeFailed, kind === 'hello' ? 'send(): the transport sends Hello itself' : 'send(): the message carries no body');
      return false;
    }
    if (this.state === 'closed') {
      this.queue.countDrop(kind);
      return false;
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeAgentMessage(message);
    } catch (err) {
      this.queue.countDrop(kind);
      this.warnOnce(TransportCode.EncodeFailed, `send(): cannot encode ${kind}: ${describe(err)}`);
      return false;
    }
    const result = this.queue.push({ kind, bytes, coalesceKey: coalesceKeyOf(kind, message) });
    if (!result.accepted || result.evicted > 0) {
      this.warnOnce(
        TransportCode.QueueFull,
        result.accepted || result.reason === 'queue-full'
          ? `send queue full (${this.o.settings.queueMaxFrames} frames / ${this.o.settings.queueMaxBytes} bytes); dropping the oldest frames`
          : `a ${kind} frame of ${bytes.byteLength} bytes exceeds the queue's ${this.o.settings.queueMaxBytes} bytes; dropped`,
      );
    }
    this.flush();
    return result.accepted;
  }

  counters(): TransportCounters {
    return {
      queued: this.queue.length,
      queuedBytes: this.queue.bytes,
      dropped: this.queue.dropped(),
      sent: this.sent,
      reconnects: this.reconnects,
      coalesced: this.queue.coalesced,
      rejectedFrames: this.rejectedFrames,
    };
  }

  /**
   * Ends the connection (a normal close frame when open), stops reconnecting
   * and drops what is queued (counted). Idempotent. No handler is called
   * after it: the caller is shutting down and removes its probes itself.
   */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearTimers();
    this.lossWatch.dispose();
    const ws = this.socket;
    this.socket = undefined;
    if (ws) closeBrokerSocket(ws, CloseCode.Normal, 'agent shutting down');
    this.queue.clear();
  }

  // ---- connection lifecycle -------------------------------------------------

  private dial(): void {
    this.reconnectTimer = undefined;
    if (this.state === 'closed' || this.state === 'stopped') return;
    if (this.dials++ > 0) this.reconnects++;
    this.closeExplained = false;
    this.lastSocketError = undefined;
    let ws: WebSocket;
    try {
      ws = openBrokerSocket(this.o.url, this.o.settings.maxFrameBytes);
    } catch (err) {
      // Only a URL ws cannot dial throws here; retrying cannot fix it.
      this.state = 'stopped';
      this.warn(TransportCode.BadUrl, `cannot dial the broker at "${this.o.url}": ${describe(err)}`);
      return;
    }
    this.socket = ws;
    this.state = 'dialing';
    ws.on('open', () => this.guard(ws, () => this.onOpen(ws)));
    ws.on('message', (data: RawData, isBinary: boolean) => this.guard(ws, () => this.onFrame(ws, data, isBinary)));
    ws.on('pong', () => this.guard(ws, () => this.noteInbound()));
    ws.on('error', (err: Error) => this.guard(ws, () => this.onSocketError(err)));
    ws.on('close', (code: number, reason: Buffer) => this.guard(ws, () => this.onSocketClose(code, reason.toString('utf8'))));
  }

  /** Runs an event handler for the current socket only, and never lets it throw into ws (and so the host). */
  private guard(ws: WebSocket, fn: () => void): void {
    if (ws !== this.socket) return;
    try {
      fn();
    } catch (err) {
      this.warnOnce(TransportCode.HandlerFailed, `transport event failed: ${describe(err)}`);
    }
  }

  private onOpen(ws: WebSocket): void {
    this.state = 'awaitingWelcome';
    this.noteInbound();
    let hello: Uint8Array;
    try {
      hello = encodeAgentMessage({ hello: { ...this.o.hello(), version: currentVersion() } });
    } catch (err) {
      this.fatal = true;
      this.closeExplained = true;
      this.warnOnce(TransportCode.HelloFailed, `cannot build Hello: ${describe(err)}`);
      closeBrokerSocket(ws, CloseCode.Normal, 'agent cannot say hello');
      return;
    }
    ws.send(hello, { binary: true });
    this.sent++;
    this.welcomeTimer = unref(
      setTimeout(() => {
        this.welcomeTimer = undefined;
        if (ws !== this.socket || this.state !== 'awaitingWelcome') return;
        this.closeExplained = true;
        this.warnOnce(TransportCode.WelcomeTimeout, `the broker did not answer Hello within ${WELCOME_TIMEOUT_MS} ms`);
        ws.terminate();
      }, WELCOME_TIMEOUT_MS),
    );
  }

  private onSocketError(err: Error): void {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      // ws enforces maxPayload while reading and closes the connection with 1009.
      this.rejectedFrames++;
      this.closeExplained = true;
      this.warnOnce(FrameErrorCode.TooLarge, `the broker sent a frame over the limit of ${this.o.settings.maxFrameBytes} bytes; reconnecting`);
      return;
    }
    this.lastSocketError = code ? `${err.message} (${code})` : err.message;
  }

  private onSocketClose(code: number, reason: string): void {
    const wasReady = this.state === 'ready';
    this.socket = undefined;
    this.clearTimers();
    if (FATAL_CLOSE_CODES.has(code)) this.fatal = true;
    const why =
      this.lastSocketError ??
      (code === 1006 ? 'connection lost' : `closed by the broker with code ${code}${reason ? ` (${reason})` : ''}`);
    if (!this.closeExplained) {
      this.warnOnce(TransportCode.Disconnected, `broker ${this.o.url}: ${why}; reconnecting with backoff`);
    }
    if (wasReady) {
      this.attempt = 0;
      this.lossWatch.disconnected();
    }
    this.scheduleReconnect();
    this.call('onDisconnected', () => this.o.handlers.onDisconnected(why));
  }

  private scheduleReconnect(): void {
    if (this.state === 'closed' || this.state === 'stopped') return;
    this.state = 'waiting';
    const delay = reconnectDelayMs(this.attempt, this.o.settings, this.fatal, Math.random);
    this.attempt++;
    this.reconnectTimer = unref(setTimeout(() => this.dial(), delay));
  }

  // ---- frames from the broker -----------------------------------------------

  private onFrame(ws: WebSocket, data: RawData, isBinary: boolean): void {
    this.noteInbound();
    if (!isBinary) {
      this.rejectFrame({ code: FrameErrorCode.Malformed, message: 'BrokerMessage: text frame; only binary protobuf frames are accepted' });
      return;
    }
    const decoded = decodeBrokerMessage(data, this.o.settings.maxFrameBytes);
    if (!decoded.ok) {
      this.rejectFrame(decoded.error);
      return;
    }
    const msg = decoded.message;
    if (msg.welcome) this.onWelcome(ws, msg.welcome);
    else if (msg.error) this.onBrokerError(ws, msg.error);
    else if (msg.heartbeat) return; // liveness is all it carries for the transport
    else if (this.state === 'ready' || (msg.body !== undefined && ALWAYS_DELIVERED.has(msg.body))) {
      this.call('onMessage', () => this.o.handlers.onMessage(msg));
    } else {
      this.warnOnce(TransportCode.UnexpectedFrame, `the broker sent ${msg.body ?? 'a frame'} before Welcome; ignored`);
    }
  }

  /**
   * A frame that cannot be decoded is counted, logged once per code and
   * connection, and skipped; the connection stays. WebSocket keeps frame
   * boundaries, so one bad frame cannot desynchronise the ones after it, and
   * an unknown body is what a newer (minor) broker legitimately sends.
   * Oversized frames never get here: ws refuses them while reading (maxPayload).
   */
  private rejectFrame(error: FrameError): void {
    this.rejectedFrames++;
    this.warnOnce(error.code, `${error.message}; frame skipped`);
  }

  private onWelcome(ws: WebSocket, welcome: pb.Welcome): void {
    if (this.state !== 'awaitingWelcome') {
      this.warnOnce(TransportCode.UnexpectedFrame, 'the broker sent a second Welcome; ignored');
      return;
    }
    const versionError = checkPeerVersion(welcome.version, 'the broker');
    if (versionError) {
      this.fatal = true;
      this.closeExplained = true;
      this.warnOnce(versionError.code, versionError.message);
      closeBrokerSocket(ws, CloseCode.ProtocolVersion, 'protocol version');
      return;
    }
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
    this.welcomeTimer = undefined;
    this.state = 'ready';
    this.attempt = 0;
    this.fatal = false;
    this.logged.clear();
    this.lossWatch.connected();
    const asked = welcome.heartbeatIntervalMs;
    this.heartbeatMs = asked > 0 ? Math.max(asked, MIN_BROKER_HEARTBEAT_MS) : this.o.settings.heartbeatMs;
    this.heartbeatTimer = unref(setInterval(() => this.heartbeat(ws), this.heartbeatMs));
    this.call('onConnected', () => this.o.handlers.onConnected(welcome));
    this.flush();
  }

  private onBrokerError(ws: WebSocket, frame: pb.ErrorFrame): void {
    const code = frame.code || TransportCode.BrokerError;
    const retry = frame.fatal ? `; retrying every ${this.o.settings.reconnectMaxMs} ms at most until the broker accepts this agent` : '';
    this.warnOnce(code, `the broker refused: ${frame.message || 'no reason given'}${retry}`);
    if (!frame.fatal) return;
    // The broker closes next; closing from here as well saves waiting for it.
    this.fatal = true;
    this.closeExplained = true;
    closeBrokerSocket(ws, CloseCode.Normal, 'refused by the broker');
  }

  // ---- frames to the broker -------------------------------------------------

  /** Moves queued frames to the socket while connected and its write buffer has room. */
  private flush(): void {
    const ws = this.socket;
    if (!ws || this.state !== 'ready') return;
    while (this.queue.length > 0 && ws.bufferedAmount < SOCKET_HIGH_WATER_BYTES) {
      const frame = this.queue.shift();
      if (!frame) break;
      ws.send(frame.bytes, { binary: true }, (err) => {
        // Written (or failed, then 'close' follows): room for more.
        if (!err) this.guard(ws, () => this.flush());
      });
      this.sent++;
    }
  }

  private heartbeat(ws: WebSocket): void {
    this.guard(ws, () => {
      if (this.state !== 'ready') return;
      const silenceLimit = Math.max(this.heartbeatMs * BROKER_SILENCE_HEARTBEATS, MIN_BROKER_SILENCE_MS);
      if (performance.now() - this.lastInboundAt > silenceLimit) {
        this.closeExplained = true;
        this.warnOnce(TransportCode.BrokerSilent, `nothing from the broker for ${silenceLimit} ms; reconnecting`);
        ws.terminate();
        return;
      }
      if (ws.bufferedAmount >= SOCKET_HIGH_WATER_BYTES) {
        this.queue.countDrop('heartbeat');
        return;
      }
      let stats: pb.AgentStats.$Properties = {};
      try {
        stats = this.o.stats();
      } catch (err) {
        this.warnOnce(TransportCode.HandlerFailed, `stats() failed: ${describe(err)}`);
      }
      const dropped = Object.values(this.queue.dropped()).reduce((a, b) => a + b, 0);
      const frame = encodeAgentMessage({
        heartbeat: { sentAtMs: Date.now(), stats: { ...stats, queueLength: this.queue.length, droppedFrames: dropped } },
      });
      ws.send(frame, { binary: true });
      this.sent++;
      // The broker's pong proves the connection is alive even if it sends nothing else.
      ws.ping();
    });
  }

  // ---- helpers --------------------------------------------------------------

  private noteInbound(): void {
    this.lastInboundAt = performance.now();
  }

  private clearTimers(): void {
    for (const t of [this.reconnectTimer, this.welcomeTimer, this.heartbeatTimer]) if (t) clearTimeout(t);
    this.reconnectTimer = this.welcomeTimer = this.heartbeatTimer = undefined;
  }

  /** Calls a handler of the host; whatever it throws is logged, never rethrown. */
  private call(name: string, fn: () => void): void {
    if (this.state === 'closed') return;
    try {
      fn();
    } catch (err) {
      this.warnOnce(TransportCode.HandlerFailed, `${name} threw: ${describe(err)}`);
    }
  }

  /**
   * Logs a problem once until the next Welcome: retries, or a caller bug hit
   * on every call, would otherwise repeat it endlessly on the host's stderr.
   * The counters keep the totals.
   */
  private warnOnce(code: string, message: string): void {
    if (this.logged.has(code)) return;
    this.logged.add(code);
    this.warn(code, message);
  }

  private warn(code: string, message: string): void {
    try {
      this.o.log(code, message);
    } catch {
      // A failing logger must not take the host down; there is nowhere left to report it.
    }
  }
}

function unref<T extends NodeJS.Timeout>(timer: T): T {
  timer.unref();
  return timer;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
