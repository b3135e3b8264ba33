import { CompileDrain } from './compileDrain';
import { InspectorError, type SyncSession } from './session';

export interface ScriptParsed {
  scriptId: string;
  url: string;
  sourceMapURL?: string;
  /** True for ES modules (V8 compiled the source as a module, not as a script or CommonJS body). */
  isModule?: boolean;
  /** Characters in the source V8 compiled. */
  length?: number;
  /** SHA-256 (hex) of the UTF-8 source V8 compiled (Node 20 and later). */
  hash?: string;
  /** Node marks the main context isDefault; a vm.createContext context is not. */
  executionContextAuxData?: { isDefault?: boolean };
}

/** The subset of Debugger.paused params the capture reads. */
export interface PausedEvent {
  reason: string;
  hitBreakpoints?: string[];
  callFrames: CallFrame[];
}

export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
}

export interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
  url: string;
  scopeChain: { type: string; name?: string; object: RemoteObject }[];
  this: RemoteObject;
}

/** Lines after a probe's own searched for its breakable position (see breakablePosition). Default 50. */
export const BREAKABLE_SEARCH_LINES = 50;

/** Probes that can share one code location (see setByUrl). Default 64. */
export const MAX_BREAKPOINTS_PER_LOCATION = 64;

const DUPLICATE_BREAKPOINT = /already exists/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface SetBreakpointResult {
  breakpointId: string;
  locations: { lineNumber: number; columnNumber?: number }[];
}

export type BreakpointResult = { ok: true; breakpointId: string; actualLine: number; actualColumn: number } | { ok: false; code: string; message: string };

/**
 * Owns the Debugger domain. It is enabled only while a probe needs it: an
 * enabled debugger turns off V8's promise and eval fast paths, which makes
 * await-heavy code several times slower (shared/research/inspector-costs.md).
 */
export class DebuggerControl {
  private enabledNow = false;
  /** Runs before anything that gives user code break info (compileDrain.ts says why). */
  private readonly compileDrain: CompileDrain;

  constructor(
    private readonly session: SyncSession,
    private readonly onScript: (s: ScriptParsed) => void,
    private readonly onPaused: (p: PausedEvent) => void,
    private readonly onError: (code: string, message: string) => void,
  ) {
    this.compileDrain = new CompileDrain(session);
    session.on('Debugger.scriptParsed', (m) => {
      const p = m.params as unknown as ScriptParsed;
      // Url-less scripts are evals and condition evaluations: V8 compiles one
      // per evaluation while the debugger is on; indexing them would leak.
      if (!p.url) return;
      this.guard(() => this.onScript(p));
    });
    session.on('Debugger.paused', (m) => {
      this.guard(() => this.onPaused(m.params as unknown as PausedEvent));
      // Node 20 keeps every pause's call frames and scope objects in the
      // inspector's 'backtrace' object group until it is released: without
      // this the heap grows ~1.5 KB per pause, forever (bench/memory.mjs).
      // Released right after the pause, so the host is not held for it.
      if (!this.releaseTimer) {
        this.releaseTimer = setTimeout(() => {
          this.releaseTimer = undefined;
          if (this.enabledNow) this.guard(() => this.session.post('Runtime.releaseObjectGroup', { objectGroup: 'backtrace' }));
        }, 0);
        this.releaseTimer.unref();
      }
    });
  }

  private releaseTimer: NodeJS.Timeout | undefined;

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError('KH_AGENT_INTERNAL', err instanceof Error ? `${err.message}` : String(err));
    }
  }

  get enabled(): boolean {
    return this.enabledNow;
  }

  /** Enables the domain; V8 replays scriptParsed for every loaded script before this returns. */
  enable(): void {
    if (this.enabledNow) return;
    this.session.post('Debugger.enable', { maxScriptsCacheSize: 1024 * 1024 });
    this.enabledNow = true;
  }

  /** Disables the domain, which also removes every breakpoint this session set. */
  disable(): void {
    if (!this.enabledNow) return;
    this.enabledNow = false;
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    try {
      this.session.post('Debugger.disable');
    } catch {
      // Session already closed.
    }
  }

  setBreakpoint(url: string, line1: number, column1: number, condition: string): BreakpointResult {
    try {
      this.compileDrain.drain();
      const r = this.setByUrl(url, line1 - 1, Math.max(0, column1 - 1), condition);
      const loc = r.locations[0];
      if (!loc) {
        this.removeBreakpoint(r.breakpointId);
        return { ok: false, code: 'KH_PROBE_NO_CODE', message: `no code runs on line ${line1} of ${url}` };
      }
      return { ok: true, breakpointId: r.breakpointId, actualLine: loc.lineNumber + 1, actualColumn: (loc.columnNumber ?? 0) + 1 };
    } catch (err) {
      const e = err instanceof InspectorError ? err : new InspectorError('KH_INSPECTOR_COMMAND', String(err));
      return { ok: false, code: e.code, message: e.message };
    }
  }

  /**
   * V8 keys a breakpoint by the text of its request (url, line, column) and
   * refuses a second identical request, although it keeps any number of
   * breakpoints, each with its own condition, at one code location. So a
   * probe on a line that already has one (a logpoint and a snapshot, or two
   * developers) is set by an equivalent url regex whose text differs.
   */
  private setByUrl(url: string, lineNumber: number, columnNumber: number, condition: string): SetBreakpointResult {
    try {
      return this.session.post<SetBreakpointResult>('Debugger.setBreakpointByUrl', { url, lineNumber, columnNumber, condition });
    } catch (err) {
      if (!(err instanceof Error) || !DUPLICATE_BREAKPOINT.test(err.message)) throw err;
    }
    const exact = `^${escapeRegExp(url)}$`;
    for (let n = 1; ; n++) {
      try {
        return this.session.post<SetBreakpointResult>('Debugger.setBreakpointByUrl', { urlRegex: exact + '(?:)'.repeat(n), lineNumber, columnNumber, condition });
      } catch (err) {
        if (n >= MAX_BREAKPOINTS_PER_LOCATION || !(err instanceof Error) || !DUPLICATE_BREAKPOINT.test(err.message)) throw err;
      }
    }
  }

  /**
   * Where a breakpoint asked for at a 1-based line and column will sit: the
   * first breakable position at or after it (what setBreakpointByUrl picks),
   * looked for over the next BREAKABLE_SEARCH_LINES lines without setting
   * anything; undefined when there is none or the script is gone.
   */
  breakablePosition(scriptId: string, line1: number, column1: number): { line: number; column: number } | undefined {
    try {
      // Asking for breakable positions gives the functions there break info, as a breakpoint does.
      this.compileDrain.drain();
      const { locations } = this.session.post<{ locations: { lineNumber: number; columnNumber?: number }[] }>('Debugger.getPossibleBreakpoints', {
        start: { scriptId, lineNumber: line1 - 1, columnNumber: Math.max(0, column1 - 1) },
        end: { scriptId, lineNumber: line1 - 1 + BREAKABLE_SEARCH_LINES, columnNumber: 0 },
      });
      const first = locations[0];
      return first ? { line: first.lineNumber + 1, column: (first.columnNumber ?? 0) + 1 } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The source V8 compiled for a script, or an error message. */
  scriptSource(scriptId: string): { ok: true; source: string } | { ok: false; message: string } {
    try {
      return { ok: true, source: this.session.post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  removeBreakpoint(breakpointId: string): void {
    try {
      this.session.post('Debugger.removeBreakpoint', { breakpointId });
    } catch {
      // The breakpoint is gone with a disabled domain or closed session.
    }
  }

  /** Calls `declaration` with `this` = the first object and the rest as arguments; one compile, one round trip. */
  callWithObjects(objectIds: readonly string[], declaration: string): void {
    const [first, ...rest] = objectIds;
    if (!first) return;
    this.session.post('Runtime.callFunctionOn', {
      objectId: first,
      functionDeclaration: declaration,
      arguments: rest.map((objectId) => ({ objectId })),
      silent: true,
      returnByValue: true,
    });
  }
}
