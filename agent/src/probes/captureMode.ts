import type { ReaderSlots } from '../capture/inline/readerCode';
import type { PlannedScope } from '../capture/inline/scopePlan';

/**
 * Why a snapshot probe whose limits want callers' variables captures without
 * pausing after all: its line turned hot, or it ran too deep for a pause.
 * Each of its snapshots carries `code` and `note` as a capture error, and its
 * status the note.
 */
export interface Downgrade {
  readonly code: string;
  readonly note: string;
}

/** What a pause-free snapshot reads at its line, planned once per probe (or once it is downgraded). */
export interface InlinePlan {
  readonly scopes: readonly PlannedScope[];
  readonly reader: ReaderSlots;
}

/**
 * How a snapshot probe captures, one value instead of several loose flags,
 * so no combination of them can say two things at once:
 * - `pausing`: a sampled hit pauses and the callers' variables are read in
 *   the pause. `reason` is '' when the probe's limits want those variables,
 *   and otherwise says why a probe that would not need a pause takes one
 *   (its plan could not be made, or reading it failed).
 * - `planning`: the probe will capture without pausing once a worker has
 *   planned the variables its line can read (capture/inline/planWorker.ts).
 *   Until then it is not armed, or, once downgraded, armed to decline.
 * - `pauseFree`: the breakpoint condition reads the planned variables and
 *   builds the snapshot itself; it never pauses.
 * `downgrade`: set when the probe got here although its limits want
 * callers' variables: it ran out of tokens (its line runs more often than
 * its rate, CaptureLimits.hotLineFramesWithLocals), a hit ran deeper than
 * CaptureLimits.maxPauseStackDepth, or a pause took longer than
 * CaptureLimits.maxPauseMs. A downgraded probe never pauses again, also
 * while it is planning. Logpoints never pause, and keep the mode they were
 * created with.
 */
export type CaptureMode = PausingMode | PlanningMode | PauseFreeMode;

export interface PausingMode {
  readonly kind: 'pausing';
  readonly reason: string;
}

export interface PlanningMode {
  readonly kind: 'planning';
  readonly downgrade: Downgrade | undefined;
  /** Cancels the worker planning the reads, while one does. */
  cancel: (() => void) | undefined;
}

export interface PauseFreeMode {
  readonly kind: 'pauseFree';
  readonly downgrade: Downgrade | undefined;
  readonly plan: InlinePlan;
  /** performance.now() when a hit took its token; 0 once `inline` ran for it (still set on the next gate: the reads failed). */
  startedAt: number;
}

export const pausing = (reason = ''): PausingMode => ({ kind: 'pausing', reason });
export const planning = (downgrade?: Downgrade): PlanningMode => ({ kind: 'planning', downgrade, cancel: undefined });
export const pauseFree = (plan: InlinePlan, downgrade: Downgrade | undefined): PauseFreeMode => ({ kind: 'pauseFree', downgrade, plan, startedAt: 0 });

/** The status note of a probe that captures by pausing although its limits would let it not; '' otherwise. */
export function pausingNote(mode: CaptureMode): string {
  return mode.kind === 'pausing' && mode.reason ? `captures by pausing (${mode.reason})` : '';
}

/** Stops a planning worker, if one runs. */
export function cancelPlanning(mode: CaptureMode): void {
  if (mode.kind !== 'planning') return;
  mode.cancel?.();
  mode.cancel = undefined;
}
