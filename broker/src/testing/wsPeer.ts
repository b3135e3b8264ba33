/**
 * Test helper: a real ws client that records every frame it receives,
 * decoded with the real protocol decoder, and how the connection closed.
 */
import { WebSocket } from 'ws';
import { type DecodeResult, type FrameData } from '@keyhole/protocol';

export interface Peer<T> {
  readonly ws: WebSocket;
  readonly frames: T[];
  /** Resolves with the next frame matching `pick` (already received ones count). */
  next(pick: (m: T) => boolean): Promise<T>;
  readonly closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array | string): void;
}

export async function connectPeer<T>(url: string, decode: (data: FrameData) => DecodeResult<T>): Promise<Peer<T>> {
  const ws = new WebSocket(url);
  const frames: T[] = [];
  const waiters: { pick: (m: T) => boolean; resolve: (m: T) => void }[] = [];
  ws.on('message', (data: FrameData) => {
    const d = decode(data);
    if (!d.ok) throw new Error(`undecodable frame from the broker: ${d.error.message}`);
    frames.push(d.message);
    for (const w of [...waiters]) {
      if (w.pick(d.message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(d.message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (bytes) => ws.send(bytes),
    next(pick) {
      const seen = frames.find(pick);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pick, resolve });
        void closed.then(() => {
          const found = frames.find(pick);
          if (found) resolve(found);
          else reject(new Error('connection closed before the expected frame'));
        });
      });
    },
  };
}
