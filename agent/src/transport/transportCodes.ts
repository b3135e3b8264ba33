/**
 * Stable codes the transport logs under (ws-style `code` strings, see
 * STYLE.md). Problems with frames from the broker use the protocol's
 * FrameErrorCode; an ErrorFrame from the broker is logged under its own code.
 */
export const TransportCode = {
  /** The broker URL cannot be dialed at all (not ws:// or wss://); the transport stays idle. */
  BadUrl: 'KH_TRANSPORT_BAD_URL',
  /** A connection attempt failed or an open connection dropped; the transport retries with backoff. */
  Disconnected: 'KH_TRANSPORT_DISCONNECTED',
  /** The caller's hello() threw or its result could not be encoded. */
  HelloFailed: 'KH_TRANSPORT_HELLO_FAILED',
  /** The broker did not answer Hello in time. */
  WelcomeTimeout: 'KH_TRANSPORT_WELCOME_TIMEOUT',
  /** Nothing (not even a pong) came from the broker for too long; the connection is dropped. */
  BrokerSilent: 'KH_TRANSPORT_BROKER_SILENT',
  /** The broker has been gone longer than the grace period; probes must be removed. */
  BrokerLost: 'KH_TRANSPORT_BROKER_LOST',
  /** The bounded queue dropped frames. */
  QueueFull: 'KH_TRANSPORT_QUEUE_FULL',
  /** A message given to send() could not be encoded (or carries no body, or is a Hello). */
  EncodeFailed: 'KH_TRANSPORT_ENCODE_FAILED',
  /** A handler or the stats() callback threw; the transport carried on. */
  HandlerFailed: 'KH_TRANSPORT_HANDLER_FAILED',
  /** The broker sent a frame that makes no sense in the current state (e.g. a probe before Welcome). */
  UnexpectedFrame: 'KH_TRANSPORT_UNEXPECTED_FRAME',
  /** An ErrorFrame from the broker carried no code. */
  BrokerError: 'KH_BROKER_ERROR',
} as const;

export type TransportCode = (typeof TransportCode)[keyof typeof TransportCode];
