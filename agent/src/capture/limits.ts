/**
 * Hard limits on one capture. Every limit is a named setting with a
 * documented default; whatever a limit cuts is marked as cut in the snapshot
 * (with the original length or count), never silently dropped.
 */
export interface CaptureLimits {
  /** Stack frames reported, innermost first. Default 20. */
  readonly maxFrames: number;
  /** Innermost frames whose scopes (locals, closure, this) are captured. Default 5. */
  readonly maxFramesWithLocals: number;
  /**
   * Innermost frames whose closure and module scopes are captured too. Outer
   * frames' closures are mostly the same module scope again, and each scope
   * object costs a hand-off and a walk inside the pause. Default 1.
   */
  readonly maxFramesWithClosures: number;
  /** Object nesting below a variable that is expanded. Default 3. */
  readonly maxDepth: number;
  /** Own properties captured per object. Default 20. */
  readonly maxProperties: number;
  /** Items captured per array, typed array, Map or Set. Default 100. */
  readonly maxCollectionItems: number;
  /** UTF-16 units kept of a string; the rest is cut without copying it. Default 255. */
  readonly maxStringLength: number;
  /** Approximate encoded size of one snapshot's captured values. Default 64 KiB. */
  readonly maxBytes: number;
  /** Main-thread time one capture may take before it stops and marks the rest as cut. Default 5 ms. */
  readonly timeBudgetMs: number;
  /**
   * Frames with locals once a snapshot probe has run out of tokens, i.e. its
   * line runs more often than the probe's rate. 1 makes those captures
   * pause-free: a pause costs the host far more than its blocked time (V8
   * re-optimizes the code around it: bench/rate-limited-instructions.mjs),
   * which matters most on a hot line. The first captures (the burst) keep
   * maxFramesWithLocals. Set it to maxFramesWithLocals to always pause. Default 1.
   */
  readonly hotLineFramesWithLocals: number;
  /**
   * Deepest stack a snapshot pauses at. V8 builds every frame of the stack
   * with its scopes in a pause, whatever the agent reads: about 0.1 ms per
   * frame on a 2-core VM, so a pause 1,000 frames deep (a recursive walk)
   * blocks the service for over 100 ms. A sampled hit deeper than this does
   * not pause; the probe captures without pausing from then on (callers'
   * variables left out), and its status says so. Default 64.
   */
  readonly maxPauseStackDepth: number;
  /**
   * Longest a pause may block the service, V8's own part included: after
   * two pauses in a row over it (one may be the machine), the probe stops
   * pausing and captures without pausing from then on (callers' variables
   * left out), or is removed if it cannot. Beyond the stack's depth, V8
   * builds every frame's scopes in a pause, and a scope holding thousands of
   * variables (the top level of a large bundle) makes one pause cost tens or
   * hundreds of ms at any depth. Default 25 ms.
   */
  readonly maxPauseMs: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = Object.freeze({
  maxFrames: 20,
  maxFramesWithLocals: 5,
  maxFramesWithClosures: 1,
  hotLineFramesWithLocals: 1,
  maxPauseStackDepth: 64,
  maxPauseMs: 25,
  maxDepth: 3,
  maxProperties: 20,
  maxCollectionItems: 100,
  maxStringLength: 255,
  maxBytes: 64 * 1024,
  timeBudgetMs: 5,
});

/**
 * The limits one probe captures with: the setting, or fewer frames with
 * locals when the probe asks for fewer (Probe.framesWithLocals; 0 asks for
 * the setting). A probe never gets more than the setting: ops set the
 * ceiling, developers choose below it.
 */
export function limitsForProbe(limits: CaptureLimits, framesWithLocals: number): CaptureLimits {
  if (!(framesWithLocals > 0) || framesWithLocals >= limits.maxFramesWithLocals) return limits;
  return Object.freeze({ ...limits, maxFramesWithLocals: Math.floor(framesWithLocals) });
}
