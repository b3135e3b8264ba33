// Instructions per unit of work as the slope between two fixed-work
// processes, (Ir(N2) - Ir(N1)) / (N2 - N1): start-up (loading node and the
// agent, connecting, warming the JIT) is in both counts and cancels out.
// Shared by idle-instructions.mjs and rate-limited-instructions.mjs.
import { fmt, median } from './stats.mjs';

/**
 * Runs `run(n1)` then `run(n2)` (one valgrind at a time: the machine has two
 * cores and the HTTP load generator needs one). Returns the slope, and the
 * agent's heartbeats and the wall seconds of work between the two.
 */
export async function instructionSlope(run, [n1, n2], label) {
  const a = await run(n1);
  const b = await run(n2);
  const perOp = (b.instructions - a.instructions) / (n2 - n1);
  process.stderr.write(`${label}: ${fmt(a.instructions / 1e6)} M @ ${n1}, ${fmt(b.instructions / 1e6)} M @ ${n2} -> ${perOp.toFixed(1)}/op (${fmt(a.seconds)} + ${fmt(b.seconds)} s)\n`);
  return { perOp, heartbeats: b.result.heartbeats - a.result.heartbeats, seconds: b.result.workSeconds - a.result.workSeconds };
}

/** Relative spread of repeated measurements, (max - min) / median, in percent; '-' for one. */
export const relSpread = (xs, digits = 3) => (xs.length > 1 ? `${(((Math.max(...xs) - Math.min(...xs)) / Math.abs(median(xs))) * 100).toFixed(digits)} %` : '-');
