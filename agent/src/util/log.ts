/**
 * The agent's only output to the host: one line on stderr per distinct
 * problem code (repeats are counted, not printed), never an exception.
 */
export type AgentLog = (code: string, message: string) => void;

/** Distinct problem codes printed at most once each, so a flapping broker cannot flood the host's logs. */
export function createStderrLog(write: (line: string) => void = (l) => process.stderr.write(l)): AgentLog & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const log = (code: string, message: string): void => {
    const n = (counts.get(code) ?? 0) + 1;
    counts.set(code, n);
    if (n > 1) return;
    try {
      write(`[keyhole] ${code}: ${message}\n`);
    } catch {
      // stderr closed: nothing sensible left to do.
    }
  };
  return Object.assign(log, { counts });
}
