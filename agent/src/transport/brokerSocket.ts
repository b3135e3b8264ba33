import { type ClientRequest } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';
import { CLOSE_HANDSHAKE_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS } from './transportConstants';

/** ws 8.23 (installed here) reads `closeTimeout`; a ws without it ignores the option and waits its default 30 s. */
interface ClientOptionsWithCloseTimeout extends ClientOptions {
  closeTimeout: number;
}

/**
 * Opens a WebSocket to the broker that can never keep the host process alive
 * and never buffers more than `maxFrameBytes` of one incoming frame. Throws
 * only for a URL ws cannot dial (the caller turns that into a log line).
 */
export function openBrokerSocket(url: string, maxFrameBytes: number): WebSocket {
  const options: ClientOptionsWithCloseTimeout = {
    // ws refuses bigger frames while reading, before they are buffered whole.
    maxPayload: maxFrameBytes,
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    closeTimeout: CLOSE_HANDSHAKE_TIMEOUT_MS,
    // Snapshots are small and already bounded; compression would cost the
    // host CPU and memory and open a decompression-bomb path.
    perMessageDeflate: false,
    followRedirects: false,
    finishRequest: finishRequestWithUnrefSocket,
  };
  return new WebSocket(url, options);
}

/**
 * ws's `finishRequest` client option: ws hands over the upgrade request
 * before sending it. The TCP (or TLS) socket the request gets is unref()ed so
 * that a connection to the broker, whether still dialing, open or closing,
 * never keeps the host process alive. ws has no public API for its socket;
 * this is the one typed hook that sees it from the very start, before the
 * TCP connect, which an 'upgrade' or 'open' listener would be too late for.
 * Whoever sets finishRequest must end the request, so this does.
 */
function finishRequestWithUnrefSocket(request: ClientRequest): void {
  request.on('socket', (socket) => {
    socket.unref();
  });
  request.end();
}

/** A normal close handshake when open, else tears the socket down; never throws. */
export function closeBrokerSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
    else ws.terminate();
  } catch {
    // ws throws only for invalid codes or over-long reasons, which ours are not.
  }
}
