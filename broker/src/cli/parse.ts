/** Parsing of CLI argument values: durations and labels. */
import { CliError, ExitCode } from './exitCodes';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d", or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new CliError(ExitCode.Usage, 'KH_USAGE', `"${text}" is not a duration`, 'write it like 90s, 30m, 1h or 2d');
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
}

/** ["region=eu-1", "env=prod"] -> { region: "eu-1", env: "prod" } */
export function parseLabels(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new CliError(ExitCode.Usage, 'KH_USAGE', `"${p}" is not a label`, 'write labels as key=value');
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
