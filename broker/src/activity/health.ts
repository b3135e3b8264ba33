/**
 * Green / yellow / red for each service's agents, from what the broker
 * knows now: which instances are connected and when each last sent a
 * heartbeat (agents send one every 15 s by default).
 */
export const HEALTH_LIMITS = {
  /** A heartbeat older than this turns the service yellow: 2 missed beats at the 15 s default. */
  staleAfterMs: 30_000,
} as const;

export type Health = 'green' | 'yellow' | 'red';

export interface AgentBeat {
  readonly instanceId: string;
  readonly lastHeartbeatMs: number;
}

export interface ServiceHealth {
  readonly health: Health;
  readonly connected: number;
  readonly stale: number;
  readonly lastHeartbeatMs: number | null;
  /** Why, in plain words. */
  readonly summary: string;
}

/**
 * red: no agent connected, or every connected one is stale;
 * yellow: some are stale; green: all are connected and fresh.
 */
export function serviceHealth(agents: readonly AgentBeat[], nowMs: number, staleAfterMs: number = HEALTH_LIMITS.staleAfterMs): ServiceHealth {
  const stale = agents.filter((a) => nowMs - a.lastHeartbeatMs > staleAfterMs).length;
  const lastHeartbeatMs = agents.length ? Math.max(...agents.map((a) => a.lastHeartbeatMs)) : null;
  const n = agents.length;
  if (n === 0) return { health: 'red', connected: 0, stale: 0, lastHeartbeatMs, summary: 'no agent connected' };
  if (stale === n) return { health: 'red', connected: n, stale, lastHeartbeatMs, summary: `${n} connected, none heard from in ${Math.round(staleAfterMs / 1000)} s` };
  if (stale > 0) return { health: 'yellow', connected: n, stale, lastHeartbeatMs, summary: `${stale} of ${n} agents silent for over ${Math.round(staleAfterMs / 1000)} s` };
  return { health: 'green', connected: n, stale: 0, lastHeartbeatMs, summary: `${n} agent${n === 1 ? '' : 's'} connected and reporting` };
}
