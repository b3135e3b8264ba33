/**
 * Runs a pause-free probe's scope analysis on a worker thread. Parsing and
 * analysing a script on the service's main thread stalled it: 46 M
 * instructions for a 1 KB handler (cold parser code), about 0.3 s and
 * 20 MB of heap for a 240 KB file, 2 s and 150 MB for a 3.6 MB bundle. On a
 * worker the main thread only copies the source to it and takes back a plan
 * of a few names; the worker's heap is capped, and it never keeps the
 * process alive.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScopePlanResult } from './scopePlan';

/** A plan, or why there is none; `needsSource`: the file is not what V8 runs, ask again with the source. */
export type PlanAnswer = ScopePlanResult | { ok: false; reason: string; needsSource: true };

/**
 * The script to plan for: its source, or, for a script V8 loaded from a file,
 * that file and the SHA-256 V8 reported for the source it compiled
 * (Debugger.scriptParsed `hash`). The worker then reads the file itself, so
 * the main thread copies nothing; a file whose hash differs (changed on disk,
 * or transformed by a loader) gives a `needsSource` answer instead.
 */
export interface PlanRequest {
  readonly source?: string;
  readonly file?: { readonly path: string; readonly sha256: string };
  /** True when V8 compiled the script as an ES module. */
  readonly module: boolean;
  /** Where the breakpoint sits, 1-based. */
  readonly line: number;
  readonly column: number;
  readonly maxBindings: number;
}

/** Longest a plan may take before the probe gives up on it and captures by pausing. Default 60 s. */
export const PLAN_TIMEOUT_MS = 60_000;

/** Old-generation heap of the planning worker, in MB: a script whose analysis needs more is captured by pausing. Default 256. */
export const PLAN_WORKER_HEAP_MB = 256;

const WORKER_MAIN = join(__dirname, 'planWorkerMain.js');

/**
 * Plans on a worker whose old generation may grow to `heapMb`, and calls
 * `done` once, with the plan or with why there is none (never throws). Returns a function that cancels the work; `done` is
 * then not called.
 */
export function planInWorker(request: PlanRequest, done: (result: PlanAnswer) => void, heapMb = PLAN_WORKER_HEAP_MB): () => void {
  let settled = false;
  let worker: Worker | undefined;
  const timer = setTimeout(() => finish({ ok: false, reason: `the script analysis took longer than ${PLAN_TIMEOUT_MS / 1000} s` }), PLAN_TIMEOUT_MS);
  timer.unref();
  const stop = () => {
    settled = true;
    clearTimeout(timer);
    worker?.terminate().catch(() => undefined);
  };
  const finish = (result: PlanAnswer) => {
    if (settled) return;
    stop();
    done(result);
  };
  try {
    // execArgv []: the service's --require/--import preloads (an APM, the agent's own register) have no business here.
      worker = new Worker(WORKER_MAIN, { workerData: request, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  } catch (err) {
    // A permission model without --allow-worker, or no threads left: say so, asynchronously like a result.
    const reason = `the script could not be analysed on a worker thread: ${err instanceof Error ? err.message : String(err)}`;
    setImmediate(() => finish({ ok: false, reason })).unref();
    return stop;
  }
  worker.once('message', (result: PlanAnswer) => finish(result));
  worker.once('error', (err) => finish({ ok: false, reason: `the script analysis failed: ${err.message}` }));
  worker.once('exit', (code) => finish({ ok: false, reason: `the script analysis ended without a plan (exit code ${code})` }));
  // After the listeners: adding a 'message' listener refs the worker again, and it would keep the host alive.
  worker.unref();
  return stop;
}
