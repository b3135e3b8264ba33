// Measures one HTTP server variant: a fresh server process
// (workloads/http-server.mjs), a warm-up load, then a measured load from a
// separate load-generator process. Returns server CPU µs per request, req/s,
// and whatever the server reports about the agent.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './child.mjs';

const workloads = join(dirname(fileURLToPath(import.meta.url)), '..', 'workloads');

/** Keep-alive connections the load generator holds open. Default 8. */
export const HTTP_CONCURRENCY = 8;

function ask(child, msg, key) {
  return new Promise((resolve) => {
    const onMessage = (m) => {
      if (m && m[key] !== undefined) {
        child.off('message', onMessage);
        resolve(m[key]);
      }
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}

/**
 * Set KH_BENCH_CPU_PROF_DIR to write a V8 CPU profile of each server process
 * there (node --cpu-prof), to see where the agent's cost goes.
 */
export async function measureHttp(variant, { warmupMs, durationMs, concurrency = HTTP_CONCURRENCY }) {
  const profDir = process.env.KH_BENCH_CPU_PROF_DIR;
  const execArgv = profDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profDir, '--cpu-prof-name', `${variant}-${Date.now()}.cpuprofile`] : [];
  const server = fork(join(workloads, 'http-server.mjs'), [variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const killer = setTimeout(() => server.kill('SIGKILL'), 60_000 + warmupMs + durationMs);
  try {
    const [ready] = await once(server, 'message');
    if (!ready.ready) throw new Error(`server said ${JSON.stringify(ready)}`);
    const load = (ms) => runChildJson(join(workloads, 'http-load.mjs'), [ready.port, ms, concurrency]);
    await load(warmupMs);
    await ask(server, 'start', 'started');
    const l = await load(durationMs);
    const stats = await ask(server, 'stop', 'stats');
    return { ...stats, rps: l.requests / l.seconds, loadErrors: l.errors, cpuUsPerReq: stats.cpuUs / stats.requests };
  } finally {
    clearTimeout(killer);
    if (server.connected) server.send('exit');
    if (server.exitCode === null) await once(server, 'exit');
  }
}

/**
 * Paired phases in one server process (see alternate() in
 * workloads/http-server.mjs): the agent idle, then the variant's probe armed,
 * and so on, ending idle, under one continuous load. Pass an odd `phases`.
 * Returns, per armed phase, the ratio of CPU µs per request (mean of the idle
 * phases on either side / armed), and the phases themselves.
 */
export async function measureHttpAlternating(variant, { warmupMs, phases, phaseMs, settleMs = 300, concurrency = HTTP_CONCURRENCY }) {
  const server = fork(join(workloads, 'http-server.mjs'), [variant, 'alternate'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const totalMs = (phases + 1) * (phaseMs + settleMs + 400);
  const killer = setTimeout(() => server.kill('SIGKILL'), 60_000 + warmupMs + totalMs);
  try {
    const [ready] = await once(server, 'message');
    if (!ready.ready) throw new Error(`server said ${JSON.stringify(ready)}`);
    const load = (ms) => runChildJson(join(workloads, 'http-load.mjs'), [ready.port, ms, concurrency]);
    await load(warmupMs);
    // Load runs past the phases; the phases end first and the surplus is unmeasured.
    const loading = load(totalMs + 2000);
    const { phases: result, counts } = await ask(server, { alternate: { phases, phaseMs, settleMs } }, 'phases');
    await loading;
    // Each armed phase against the mean of the idle phases on either side, which cancels a linear drift.
    const perReq = (p) => p.cpuUs / p.requests;
    const ratios = [];
    for (let k = 1; k + 1 < result.length; k += 2) ratios.push((perReq(result[k - 1]) + perReq(result[k + 1])) / 2 / perReq(result[k]));
    return { phases: result, ratios, counts };
  } finally {
    clearTimeout(killer);
    if (server.connected) server.send('exit');
    if (server.exitCode === null) await once(server, 'exit');
  }
}
