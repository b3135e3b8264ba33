import { keyhole } from '../gen/keyhole';
import { frameError, FrameErrorCode, type FrameError } from './errors';

/**
 * Largest frame a receiver accepts by default: 1 MiB. A snapshot is capped by
 * the agent at 64 KiB of captured data by default, so this leaves room for
 * raised limits while refusing anything absurd before decoding it.
 */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

export type DecodeResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: FrameError };

/** The bytes of a frame, in any of the shapes `ws` hands out. */
export type FrameData = Uint8Array | ArrayBuffer | readonly Uint8Array[];

interface Envelope {
  body?: string;
}

interface EnvelopeType<T extends Envelope> {
  decode(reader: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

function toBytes(data: FrameData): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return Buffer.concat(data as Uint8Array[]);
}

function byteLength(data: FrameData): number {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return data.byteLength;
  let n = 0;
  for (const part of data as Uint8Array[]) n += part.byteLength;
  return n;
}

function decodeEnvelope<T extends Envelope>(type: EnvelopeType<T>, name: string, data: FrameData, maxBytes: number): DecodeResult<T> {
  let size: number;
  try {
    size = byteLength(data);
  } catch {
    return { ok: false, error: frameError(FrameErrorCode.Malformed, `${name}: frame is not binary data`) };
  }
  if (size === 0) return { ok: false, error: frameError(FrameErrorCode.Empty, `${name}: empty frame`) };
  if (size > maxBytes) {
    return { ok: false, error: frameError(FrameErrorCode.TooLarge, `${name}: frame of ${size} bytes exceeds the limit of ${maxBytes} bytes`) };
  }
  let message: T;
  try {
    message = type.decode(toBytes(data));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // protobufjs reports reads past the end as "index out of range".
    const code = /index out of range/i.test(reason) ? FrameErrorCode.Truncated : FrameErrorCode.Malformed;
    return { ok: false, error: frameError(code, `${name}: ${code === FrameErrorCode.Truncated ? 'truncated frame' : 'malformed frame'} (${reason})`) };
  }
  if (!message.body) {
    return { ok: false, error: frameError(FrameErrorCode.NoBody, `${name}: frame carries no known message`) };
  }
  return { ok: true, message };
}

function encodeEnvelope<T extends Envelope>(type: EnvelopeType<T>, message: T): Uint8Array {
  return type.encode(message).finish();
}

type AgentMessage = keyhole.v1.AgentMessage;
type BrokerMessage = keyhole.v1.BrokerMessage;
type ClientEvent = keyhole.v1.ClientEvent;
type ClientMessage = keyhole.v1.ClientMessage;

const pb = keyhole.v1;

/** Agent -> broker. */
export function decodeAgentMessage(data: FrameData, maxBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult<AgentMessage> {
  return decodeEnvelope<AgentMessage>(pb.AgentMessage, 'AgentMessage', data, maxBytes);
}
export function encodeAgentMessage(message: keyhole.v1.AgentMessage.$Properties): Uint8Array {
  return encodeEnvelope<AgentMessage>(pb.AgentMessage, pb.AgentMessage.create(message));
}

/** Broker -> agent. */
export function decodeBrokerMessage(data: FrameData, maxBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult<BrokerMessage> {
  return decodeEnvelope<BrokerMessage>(pb.BrokerMessage, 'BrokerMessage', data, maxBytes);
}
export function encodeBrokerMessage(message: keyhole.v1.BrokerMessage.$Properties): Uint8Array {
  return encodeEnvelope<BrokerMessage>(pb.BrokerMessage, pb.BrokerMessage.create(message));
}

/** Broker -> client events. */
export function decodeClientEvent(data: FrameData, maxBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult<ClientEvent> {
  return decodeEnvelope<ClientEvent>(pb.ClientEvent, 'ClientEvent', data, maxBytes);
}
export function encodeClientEvent(message: keyhole.v1.ClientEvent.$Properties): Uint8Array {
  return encodeEnvelope<ClientEvent>(pb.ClientEvent, pb.ClientEvent.create(message));
}

/** Client -> broker. */
export function decodeClientMessage(data: FrameData, maxBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult<ClientMessage> {
  return decodeEnvelope<ClientMessage>(pb.ClientMessage, 'ClientMessage', data, maxBytes);
}
export function encodeClientMessage(message: keyhole.v1.ClientMessage.$Properties): Uint8Array {
  return encodeEnvelope<ClientMessage>(pb.ClientMessage, pb.ClientMessage.create(message));
}
