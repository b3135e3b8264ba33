/** Entry of the planning worker (planWorker.ts): one plan, posted back, then the thread ends. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { planScopes } from './scopePlan';
import type { PlanAnswer, PlanRequest } from './planWorker';

const request = workerData as PlanRequest;

/** The source to plan for: as sent, or read from the file when it is byte for byte what V8 compiled. */
function sourceOf(r: PlanRequest): string | PlanAnswer {
  if (r.source !== undefined) return r.source;
  if (!r.file) return { ok: false, reason: 'no script to analyse was given' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(r.file.path);
  } catch (err) {
    return { ok: false, needsSource: true, reason: `the file could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  // V8 hashes the UTF-8 of what it compiled, which for a file loaded as is means its bytes.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return sha256 === r.file.sha256 ? bytes.toString('utf8') : { ok: false, needsSource: true, reason: 'the file on disk is not the source V8 runs' };
}

let result: PlanAnswer;
try {
  const source = sourceOf(request);
  result = typeof source === 'string' ? planScopes(source, request.line, request.column, request.module, request.maxBindings) : source;
} catch (err) {
  result = { ok: false, reason: `the script analysis failed: ${err instanceof Error ? err.message : String(err)}` };
}
parentPort?.postMessage(result);
