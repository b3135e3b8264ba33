// The broker's /events WebSocket: ClientHello, then ClientEvents. Reconnects
// with capped exponential backoff after a drop; stops for good on a fatal
// error frame (bad token, forbidden, protocol version), since retrying cannot
// fix those. Every timer is unref()ed.
import WebSocket from 'ws';
import { currentVersion, decodeClientEvent, encodeClientMessage, type pb } from '@keyhole/protocol';
import { type ConnectionChange } from '../common/brokerTypes';
import { Emitter } from '../common/emitter';

export interface EventStreamOptions {
  /** ws(s)://host:port/events */
  readonly url: string;
  readonly token: string;
  /** Only events of this service ('' for all the user may see). */
  readonly service: string;
  /** First reconnect delay. Default 500 ms. */
  readonly reconnectInitialMs?: number;
  /** Largest reconnect delay. Default 10 s. */
  readonly reconnectMaxMs?: number;
}

export const DEFAULT_RECONNECT_INITIAL_MS = 500;
export const DEFAULT_RECONNECT_MAX_MS = 10_000;

export class EventStream {
  private readonly onEventEmitter = new Emitter<pb.ClientEvent>();
  private readonly onConnectionEmitter = new Emitter<ConnectionChange>();
  readonly onEvent = this.onEventEmitter.event;
  readonly onConnection = this.onConnectionEmitter.event;

  private ws: WebSocket | undefined;
  private closed = false;
  private welcomed = false;
  private delay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private fatal: { code: string; message: string } | undefined;

  constructor(private readonly options: EventStreamOptions) {
    this.delay = options.reconnectInitialMs ?? DEFAULT_RECONNECT_INITIAL_MS;
  }

  /** Opens the stream; resolves on the broker's Welcome, rejects on the first failure. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = this.onConnectionEmitter.event((c) => {
        stop.dispose();
        if (c.connected) resolve();
        else reject(Object.assign(new Error(c.reason), { code: c.code }));
      });
      this.connect();
    });
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'client closed');
    this.onEventEmitter.dispose();
    this.onConnectionEmitter.dispose();
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.options.url);
    this.ws = ws;
    this.welcomed = false;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => ws.send(encodeClientMessage({ hello: { version: currentVersion(), token: this.options.token, service: this.options.service } })));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      const decoded = decodeClientEvent(data);
      if (!decoded.ok) return; // a frame we cannot read is skipped, the stream goes on
      const e = decoded.message;
      if (e.error) {
        if (e.error.fatal) this.fatal = { code: e.error.code, message: e.error.message };
        return;
      }
      if (e.welcome && !this.welcomed) {
        this.welcomed = true;
        this.delay = this.options.reconnectInitialMs ?? DEFAULT_RECONNECT_INITIAL_MS;
        this.onConnectionEmitter.fire({ connected: true });
        return;
      }
      this.onEventEmitter.fire(e);
    });
    ws.on('error', () => undefined); // 'close' follows and says what happened
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws !== ws || this.closed) return;
      const fatal = this.fatal;
      const willRetry = !fatal;
      this.onConnectionEmitter.fire({
        connected: false,
        code: fatal?.code ?? 'KH_BROKER_DISCONNECTED',
        reason: fatal?.message ?? `the broker's event stream closed (${code}${reason.length ? `: ${reason.toString()}` : ''})`,
        willRetry,
      });
      if (!willRetry) return;
      this.retryTimer = setTimeout(() => this.connect(), this.delay);
      this.retryTimer.unref();
      this.delay = Math.min(this.delay * 2, this.options.reconnectMaxMs ?? DEFAULT_RECONNECT_MAX_MS);
    });
  }
}
