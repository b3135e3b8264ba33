// Limits of the transport that TransportSettings (agent/src/config.ts) does
// not carry. Each is a named constant with its default documented here, so
// none hides as a literal in the code that uses it.

/** Longest the HTTP upgrade to the broker may take before the attempt counts as failed. Default 10 s. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Longest the broker may take to answer Hello (Welcome or ErrorFrame) once the socket is open. Default 15 s. */
export const WELCOME_TIMEOUT_MS = 15_000;

/**
 * Longest wait for the broker's close frame after close() before ws destroys
 * the socket. ws holds the event loop for this long at most, and only on a
 * deliberate close of an open connection. Default 1 s.
 */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;

/**
 * Encoded bytes allowed in the socket's own write buffer. Frames beyond it
 * stay in the bounded queue, so a slow broker meets the queue's limits and
 * drop policy instead of an unbounded buffer inside ws. Default 1 MiB.
 */
export const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Heartbeat intervals without any frame or pong from the broker after which
 * the connection is presumed dead (half-open TCP) and dropped. Default 3.
 */
export const BROKER_SILENCE_HEARTBEATS = 3;

/**
 * Floor of that silence timeout, so a short heartbeat interval on a busy host
 * does not drop a healthy connection over event-loop lag. Default 5 s.
 */
export const MIN_BROKER_SILENCE_MS = 5_000;

/** Shortest heartbeat interval a broker's Welcome may ask for; shorter requests are raised to it. Default 1 s. */
export const MIN_BROKER_HEARTBEAT_MS = 1_000;

/**
 * Share of each reconnect delay that is random: a delay lies in
 * [ceiling × (1 − fraction), ceiling], so agents that lost the same broker at
 * the same moment do not dial back in step. Default 0.5.
 */
export const RECONNECT_JITTER_FRACTION = 0.5;
