import { InspectorError, type SyncSession } from './session';

/**
 * Works around a V8 race that aborts the host process.
 *
 * Giving a function break info (setting a breakpoint in it, or asking for its
 * breakable positions) while TurboFan, on a background thread, compiles a
 * caller that inlines that function trips a CHECK in the inliner:
 *
 *   Check failed: inlineability == SharedFunctionInfo::kHasOptimizationDisabled
 *
 * and V8 aborts the process. A loop that arms a breakpoint right after
 * making a caller hot aborted within 300 armings in each of 9 runs on Node
 * 20.20 (V8 11.3), 22.21 (V8 12.4) and 24.21 (V8 13.6), and survived 300 in
 * each of 9 with this drain; the agent re-arming a rate-limited probe
 * aborted its host too (test/agent/compileRace.test.ts). V8 does wait for
 * background compiles when it sets a breakpoint, but only after the break
 * info exists, which is the window the race needs.
 *
 * So before each such call the agent sets and removes a breakpoint on a
 * function of its own that nothing calls (never inlined anywhere): V8 then
 * finishes or drops every background compile before any user function has
 * new break info. Nothing can queue a compile that inlines user code before
 * the agent's next, synchronous, command: only this thread's JavaScript
 * queues compiles, and only the agent's runs in between.
 *
 * Cost: two protocol round trips per arming, plus, when a compile is
 * running, waiting for it, which V8 would have made the arming wait anyway.
 */
export class CompileDrain {
  /** A function made by the inspector for this (never called, so never inlined); held in its own object group. */
  private targetId: string | undefined;

  constructor(private readonly session: SyncSession) {}

  /** Throws InspectorError when the drain could not run: the caller must not give user code break info then. */
  drain(): void {
    try {
      this.drainWith(this.target());
    } catch (err) {
      // The target can be gone (a reset inspector context); make one again, once.
      this.targetId = undefined;
      try {
        this.drainWith(this.target());
      } catch (again) {
        throw new InspectorError('KH_INSPECTOR_DRAIN', `could not wait for V8's background compiles before setting a breakpoint (${again instanceof Error ? again.message : String(again)}; first try: ${err instanceof Error ? err.message : String(err)})`);
      }
    }
  }

  /** Drops the target: the next drain makes a new one. For a session that was disconnected. */
  forget(): void {
    this.targetId = undefined;
  }

  private target(): string {
    if (this.targetId) return this.targetId;
    const { result } = this.session.post<{ result: { objectId?: string } }>('Runtime.evaluate', {
      expression: '(function keyholeCompileDrain() {})',
      objectGroup: COMPILE_DRAIN_GROUP,
      silent: true,
    });
    if (!result.objectId) throw new InspectorError('KH_INSPECTOR_DRAIN', 'the inspector returned no function to set the drain breakpoint on');
    this.targetId = result.objectId;
    return this.targetId;
  }

  private drainWith(objectId: string): void {
    const { breakpointId } = this.session.post<{ breakpointId: string }>('Debugger.setBreakpointOnFunctionCall', { objectId });
    this.session.post('Debugger.removeBreakpoint', { breakpointId });
  }
}

/** The inspector object group holding the drain's target function. */
export const COMPILE_DRAIN_GROUP = 'keyhole-compile-drain';
