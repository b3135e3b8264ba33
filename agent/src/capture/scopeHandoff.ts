/**
 * Hands the paused frames' scope objects to JavaScript in one
 * Runtime.callFunctionOn, instead of one Runtime.getProperties round trip per
 * object. The callee stores them; the serializer then walks them in-process
 * under the capture limits. The declaration is constant, but V8 still
 * compiles it on each call while the debugger is on (its compilation cache is
 * off): the fixed cost under every pausing capture (bench/pause-floor.mjs).
 */
export class ScopeHandoff {
  private received: unknown[] = [];

  /** The function the runtime global exposes as `receive`. */
  readonly receive = (self: unknown, args: ArrayLike<unknown>): void => {
    const out: unknown[] = [self];
    for (let i = 0; i < args.length; i++) out.push(args[i]);
    this.received = out;
  };

  static declaration(runtimeGlobal: string): string {
    return `function () { globalThis.${runtimeGlobal}.receive(this, arguments); }`;
  }

  /** Takes what the last call received and forgets it, so no scope outlives the pause. */
  take(): unknown[] {
    const r = this.received;
    this.received = [];
    return r;
  }
}
