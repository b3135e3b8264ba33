import { fileURLToPath } from 'node:url';
import { planInWorker, type PlanRequest } from '../capture/inline/planWorker';
import { buildReader } from '../capture/inline/readerCode';
import { tooLargeToAnalyse } from '../capture/inline/scopePlan';
import type { ScriptIndex, ScriptRecord } from '../location';
import { isFileScriptUrl } from '../location/paths';
import type { Soon } from '../util/soon';
import { cancelPlanning, pauseFree, pausing } from './captureMode';
import { buildBreakpointCondition, RUNTIME_GLOBAL } from './conditionBuilder';
import type { ProbeRecord } from './probeRecord';

/** The file a script was loaded from and the hash of what V8 compiled, when V8 says both. */
function fileOf(script: ScriptRecord): { path: string; sha256: string } | undefined {
  if (!script.hash || !/^[0-9a-f]{64}$/.test(script.hash) || !isFileScriptUrl(script.url)) return undefined;
  try {
    return { path: script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url, sha256: script.hash };
  } catch {
    return undefined;
  }
}

/** The probe captures by pausing from now on, and its status will say why. */
export function pauseInstead(r: ProbeRecord, reason: string): void {
  cancelPlanning(r.mode);
  r.mode = pausing(reason);
  r.condition = buildBreakpointCondition(r.slot, r.compiledCondition, undefined);
}

export interface PauseFreePlannerDeps {
  readonly scripts: ScriptIndex;
  /** The source V8 runs for a script, when its file is not what V8 compiled. */
  readonly scriptSource: (scriptId: string) => { ok: true; source: string } | { ok: false; message: string };
  /** Bindings a plan reads at most (CaptureLimits.maxProperties). */
  readonly maxBindings: number;
  readonly soon: Soon;
  /** Whether the probe is still the one set under its id: not removed, replaced, or the agent closed. */
  readonly isCurrent: (r: ProbeRecord) => boolean;
}

/**
 * Turns a snapshot probe that wants no pause into one that reads its
 * frame's variables inside its breakpoint condition: its reads are planned
 * off the main thread from the script's source, and the condition rebuilt
 * with them. A probe that cannot be planned captures by pausing instead and
 * says why (pauseInstead).
 */
export class PauseFreePlanner {
  constructor(private readonly deps: PauseFreePlannerDeps) {}

  /**
   * Plans a pause-free probe's reads at a position of its script, from the
   * source V8 runs, on a worker thread (capture/inline/planWorker.ts), and
   * then calls `then`: with the reads in the probe's condition, or with the
   * probe capturing by pausing, saying why. A script loaded from a file is
   * read by the worker itself when the file is what V8 compiled (same
   * SHA-256), so the main thread copies no source; otherwise the source is
   * fetched from V8 here. Nothing is called for a probe removed meanwhile.
   */
  request(r: ProbeRecord, line: number, column: number, then: () => void): void {
    const mode = r.mode;
    if (mode.kind !== 'planning') {
      then();
      return;
    }
    const script = this.deps.scripts.get(r.resolvedUrl);
    // Too large by V8's own count: refused before any source is copied (40 Mi characters took the main thread 0.7 s to fetch).
    const refused = !script ? 'the script is not loaded' : tooLargeToAnalyse(script.record.length ?? 0);
    if (!script || refused) {
      pauseInstead(r, refused ?? '');
      then();
      return;
    }
    const request = { module: script.record.isModule === true, line, column, maxBindings: this.deps.maxBindings };
    const ask = (what: Pick<PlanRequest, 'source' | 'file'>): void => {
      cancelPlanning(mode);
      mode.cancel = planInWorker({ ...request, ...what }, (plan) => {
        mode.cancel = undefined;
        if (!this.deps.isCurrent(r)) return;
        this.deps.soon.run(`plan:${r.probe.id}`, () => {
          if (!this.deps.isCurrent(r)) return;
          if (!plan.ok && 'needsSource' in plan && r.mode === mode) return askWithSource();
          if (!plan.ok) pauseInstead(r, plan.reason);
          else if (r.mode === mode) {
            const reader = buildReader(plan.scopes, `${RUNTIME_GLOBAL}.uninitialized`);
            r.mode = pauseFree({ scopes: plan.scopes, reader }, mode.downgrade);
            r.condition = buildBreakpointCondition(r.slot, r.compiledCondition, undefined, reader.expression);
            r.conditionCostMs = 0; // a new condition, measured again
          }
          then();
        });
      });
    };
    const askWithSource = (): void => {
      const source = this.deps.scriptSource(script.record.scriptId);
      const refusedSource = source.ok ? tooLargeToAnalyse(source.source.length) : source.message;
      if (!source.ok || refusedSource) {
        pauseInstead(r, refusedSource ?? '');
        then();
        return;
      }
      ask({ source: source.source });
    };
    const file = fileOf(script.record);
    if (file) ask({ file });
    else askWithSource();
  }
}
