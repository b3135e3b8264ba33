// Turns per-round HTTP results into ratio rows against the no-agent variant:
// CPU µs per request (no agent / agent, higher is better) and req/s (agent /
// no agent), each the median of per-round ratios with min..max.
import { fmt, median, pairedRatios, spread, verdict } from './stats.mjs';

export function httpRatios(base, variant) {
  return {
    cpu: pairedRatios(base.map((r) => r.cpuUsPerReq), variant.map((r) => r.cpuUsPerReq)),
    rps: pairedRatios(variant.map((r) => r.rps), base.map((r) => r.rps)),
  };
}

/** Two table rows (CPU/req and req/s) for one variant against base. */
export function httpRows(label, base, variant, goal) {
  const { cpu, rps } = httpRatios(base, variant);
  return [
    [label, 'server CPU µs/req', fmt(median(base.map((r) => r.cpuUsPerReq))), fmt(median(variant.map((r) => r.cpuUsPerReq))), spread(cpu), verdict(median(cpu), goal)],
    [label, 'req/s', fmt(median(base.map((r) => r.rps))), fmt(median(variant.map((r) => r.rps))), spread(rps), verdict(median(rps), goal)],
  ];
}

export const HTTP_HEADER = (goal) => ['variant', 'metric', 'no agent (median)', 'agent (median)', 'ratio median (min..max)', `goal >= ${goal}`];
