// The agent's connection to the broker: explicit exports only.
export { BrokerTransport, type BrokerTransportOptions, type TransportHandlers, type TransportCounters } from './brokerTransport';
export { TransportCode } from './transportCodes';
export { reconnectDelayMs, type BackoffSettings } from './backoff';
export { type FrameKind } from './frameKind';
