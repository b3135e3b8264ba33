// Counts the instructions one Node.js process executes, by running it under
// valgrind's cachegrind with the cache simulation off (the cheapest valgrind
// tool that gives a total: about 1.5x faster than callgrind on JIT-heavy
// code, faster than exp-bbv, far faster than lackey). The count covers every
// thread of that process and nothing else: valgrind does not follow child
// processes (no --trace-children), so a peer the process spawns runs natively
// and uncounted. Instruction counts do not depend on other tenants of the
// machine, unlike CPU time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The valgrind tool and its options; only the instruction total (I refs) is read. */
export const VALGRIND_ARGS = ['--tool=cachegrind', '--cache-sim=no', '--branch-sim=no', '--cachegrind-out-file=/dev/null'];

/**
 * V8 flags of the counted process. --predictable makes V8 deterministic
 * (single-threaded compilation and GC, no time-based heuristics), which takes
 * the run-to-run noise of a count from ~30 M instructions to ~50 k; both
 * variants run with it, so the comparison stays like for like.
 */
export const NODE_ARGS = ['--predictable'];

/** Limit for one counted process; a hung child fails the benchmark instead of hanging it. Default 300 s. */
export const VALGRIND_TIMEOUT_MS = 300_000;

/** Valgrind's version string, or undefined when it is not installed. */
export function valgrindVersion() {
  const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs `node NODE_ARGS script ...args` under valgrind. `onLine(json, child)`
 * sees every JSON line the script prints (to drive it through stdin).
 * Resolves { instructions, result (the last JSON line), seconds }.
 */
export function countInstructions(script, args = [], { onLine, stdin = 'ignore', timeoutMs = VALGRIND_TIMEOUT_MS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kh-valgrind-'));
  const log = join(dir, 'valgrind.log');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', [...VALGRIND_ARGS, `--log-file=${log}`, process.execPath, ...NODE_ARGS, script, ...args.map(String)], { stdio: [stdin, 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let result;
    createInterface({ input: child.stdout }).on('line', (l) => {
      let m;
      try {
        m = JSON.parse(l);
      } catch {
        return;
      }
      result = m;
      onLine?.(m, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const m = /I\s+refs:\s+([\d,]+)/.exec(text);
      if (code !== 0 || !m || !result) return reject(new Error(`${script} ${args.join(' ')} under valgrind ended (${signal ?? code}) without a count: ${text.slice(-500)}`));
      resolve({ instructions: Number(m[1].replaceAll(',', '')), result, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
