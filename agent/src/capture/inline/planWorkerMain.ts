/** Entry of the planning worker (planWorker.ts): one plan, posted back, then the thread ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { planScopes, type ScopePlanResult } from './scopePlan';
import type { PlanRequest } from './planWorker';

const request = workerData as PlanRequest;
let result: ScopePlanResult;
try {
  result = planScopes(request.source, request.line, request.column, request.module, request.maxBindings);
} catch (err) {
  result = { ok: false, reason: `the script analysis failed: ${err instanceof Error ? err.message : String(err)}` };
}
parentPort?.postMessage(result);
