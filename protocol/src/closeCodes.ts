/**
 * WebSocket close codes Keyhole peers use (4000-4999 is the range RFC 6455
 * leaves to applications). A peer that closes with one of these has sent an
 * ErrorFrame with the details first.
 */
export const CloseCode = {
  Normal: 1000,
  /** RFC 6455: the message was too big to process. */
  MessageTooBig: 1009,
  ProtocolVersion: 4001,
  MalformedFrame: 4002,
  Unauthorized: 4003,
  ServiceDisabled: 4004,
  Replaced: 4005,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
