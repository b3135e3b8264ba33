// One HTTP server process (workloads/instr-http-server.mjs) under valgrind,
// serving a FIXED number of requests from a native load generator
// (workloads/http-load.mjs with a request count, 8 keep-alive connections, closed loop), so
// its instruction count depends on the requests, not on how slow valgrind
// runs it. Shared by idle-instructions.mjs and rate-limited-instructions.mjs.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './child.mjs';
import { HTTP_CONCURRENCY } from './httpBench.mjs';
import { countInstructions } from './valgrind.mjs';

const workloads = join(dirname(fileURLToPath(import.meta.url)), '..', 'workloads');

/**
 * [N1, N2] requests for an HTTP slope. N1 past warm-up: node's HTTP stack
 * keeps TurboFan busy for the first few thousand requests (between 1,000 and
 * 3,000 requests two thirds of the instructions are the optimizing compiler;
 * from 5,000 on under a tenth), and a window inside warm-up measures JIT
 * timing, not the agent.
 */
export const HTTP_SLOPE_REQUESTS = [5_000, 9_000];

/** Limit for one load-generator run; the server under valgrind serves a few hundred requests per second. Default 300 s. */
export const LOAD_TIMEOUT_MS = 300_000;

/**
 * Counts the instructions of one server process of `variant` (base, agent,
 * probe) serving `phases` of requests, e.g. [5000] or, for "probe", [5000,
 * 4000]: between two phases the load stops and the server installs the
 * snapshot probe (and waits until the agent armed it), so the probe sees
 * exactly the requests of the later phases. `agentOptions` ({rate, capture})
 * go to the agent. Resolves { instructions, result (the server's report), seconds }.
 */
export async function countHttpServer(variant, phases, { agentOptions } = {}) {
  const total = phases.reduce((a, b) => a + b, 0);
  let driving = Promise.resolve({ errors: 0 });
  let installed;
  const args = agentOptions ? [variant, JSON.stringify(agentOptions)] : [variant];
  const counted = countInstructions(join(workloads, 'instr-http-server.mjs'), args, {
    stdin: 'pipe',
    onLine: (m, child) => {
      if (m.installed) installed?.();
      if (m.port === undefined) return;
      driving = (async () => {
        let errors = 0;
        for (const [k, n] of phases.entries()) {
          if (k > 0) {
            const ready = new Promise((resolve) => (installed = resolve));
            child.stdin.write('install\n');
            await ready;
          }
          errors += (await runChildJson(join(workloads, 'http-load.mjs'), [m.port, LOAD_TIMEOUT_MS, HTTP_CONCURRENCY, n], { timeoutMs: LOAD_TIMEOUT_MS + 10_000 })).errors;
        }
        return { errors };
      })().finally(() => child.stdin.end());
    },
  });
  const r = await counted;
  const l = await driving;
  if (l.errors || r.result.served !== total) throw new Error(`http ${variant}: served ${r.result.served} of ${total}, ${l.errors} load errors`);
  return r;
}
