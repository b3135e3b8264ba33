import { RECONNECT_JITTER_FRACTION } from './transportConstants';

export interface BackoffSettings {
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a loss).
 * The ceiling doubles per attempt from reconnectMinMs up to reconnectMaxMs;
 * after a fatal refusal (wrong protocol version, unknown or disabled service)
 * it stays at reconnectMaxMs, because only ops fixing the broker helps and
 * hammering it would not. The delay is jittered below the ceiling by
 * RECONNECT_JITTER_FRACTION. `random` returns a number in [0, 1), like
 * Math.random, which is what production passes.
 */
export function reconnectDelayMs(attempt: number, settings: BackoffSettings, fatal: boolean, random: () => number): number {
  const max = Math.max(1, settings.reconnectMaxMs);
  const min = Math.min(max, Math.max(1, settings.reconnectMinMs));
  // 2 ** 40 × min is past any sane max; capping the exponent keeps it finite.
  const ceiling = fatal ? max : Math.min(max, min * 2 ** Math.min(Math.max(0, attempt), 40));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
  return Math.max(1, Math.round(ceiling * (1 - RECONNECT_JITTER_FRACTION * unit)));
}
