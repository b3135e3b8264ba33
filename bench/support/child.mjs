// Runs one benchmark variant in a fresh Node.js process and returns the JSON
// object it prints last on stdout. A fresh process per variant means no JIT
// state, heap or inspector state leaks from one variant into the next.
import { spawn } from 'node:child_process';

/** Default limit for one child; a hung child fails the benchmark instead of hanging it. Default 120 s. */
export const CHILD_TIMEOUT_MS = 120_000;

export function runChildJson(script, args = [], { nodeArgs = [], env, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'], env: env ? { ...process.env, ...env } : process.env });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} ${args.join(' ')} ended (${signal ?? code}) without a JSON line: ${out.slice(-500)}`));
      }
    });
  });
}
