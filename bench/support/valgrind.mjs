// Counts the instructions one Node.js process executes, by running it under
// valgrind's cachegrind with the cache simulation off (the cheapest valgrind
// tool that gives a total: about 1.5x faster than callgrind on JIT-heavy
// code, faster than exp-bbv, far faster than lackey), or under callgrind for
// the main thread alone (THREADS below). The count covers that process and
// nothing else: valgrind does not follow child
// processes (no --trace-children), so a peer the process spawns runs natively
// and uncounted. Instruction counts do not depend on other tenants of the
// machine, unlike CPU time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * What is counted, chosen by KH_INSTR_THREADS:
 *
 *   all   (default) every thread of the process under cachegrind, with
 *         `node --predictable`: V8 compiles and collects on the main thread,
 *         so the count is deterministic (run-to-run noise ~50 k instead of
 *         ~30 M) and is the process's whole CPU cost;
 *   main  the main (JavaScript) thread only, under callgrind with
 *         --separate-threads, and V8 as in production: TurboFan compiles on
 *         its background threads. A single-threaded server's throughput is
 *         bound by its main thread, so this is the throughput figure; it is
 *         noisier (when a background compile lands varies).
 */
export const THREADS = process.env.KH_INSTR_THREADS === 'main' ? 'main' : 'all';

/** The valgrind tool and its options; only the instruction total is read. */
export const VALGRIND_ARGS =
  THREADS === 'main'
    ? ['--tool=callgrind', '--separate-threads=yes', '--dump-instr=no', '--compress-strings=no']
    : ['--tool=cachegrind', '--cache-sim=no', '--branch-sim=no', '--cachegrind-out-file=/dev/null'];

/**
 * V8 flags of the counted process. --predictable makes V8 deterministic
 * (single-threaded compilation and GC, no time-based heuristics), which takes
 * the run-to-run noise of a count from ~30 M instructions to ~50 k; both
 * variants run with it, so the comparison stays like for like. The
 * main-thread count runs V8 as in production, without it.
 */
export const NODE_ARGS = THREADS === 'main' ? [] : ['--predictable'];

/** How the count was made, for the benchmarks' footnotes. */
export const COUNTED = THREADS === 'main' ? 'the main thread only (callgrind --separate-threads; V8 compiles on background threads, as in production)' : 'every thread (cachegrind; `node --predictable`, so V8 compiles and collects on the main thread)';

/** The main thread's instruction total from callgrind's per-thread files (thread 1 is the main thread). */
function mainThreadCount(dir) {
  const file = readdirSync(dir).find((f) => f.startsWith('callgrind.out') && f.endsWith('-01'));
  if (!file) return undefined;
  const m = /^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(join(dir, file), 'utf8'));
  return m ? Number(m[1]) : undefined;
}

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
    const outFile = THREADS === 'main' ? [`--callgrind-out-file=${join(dir, 'callgrind.out')}`] : [];
    const child = spawn('valgrind', [...VALGRIND_ARGS, ...outFile, `--log-file=${log}`, process.execPath, ...NODE_ARGS, script, ...args.map(String)], { stdio: [stdin, 'pipe', 'inherit'] });
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
      let count;
      try {
        text = readFileSync(log, 'utf8');
        const m = /I\s+refs:\s+([\d,]+)/.exec(text);
        count = THREADS === 'main' ? mainThreadCount(dir) : m ? Number(m[1].replaceAll(',', '')) : undefined;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      if (code !== 0 || count === undefined || !result) return reject(new Error(`${script} ${args.join(' ')} under valgrind ended (${signal ?? code}) without a count: ${text.slice(-500)}`));
      resolve({ instructions: count, result, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
