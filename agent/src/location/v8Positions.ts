/**
 * The one place where positions change base. This module's API is 1-based
 * (lines and columns as editors show them); V8's Debugger domain is 0-based
 * (`lineNumber`, `columnNumber` in Debugger.setBreakpoint, Debugger.paused
 * call frames, ...). Convert with these at the inspector boundary.
 */

/** A 1-based position as the V8 inspector wants it. */
export function toV8Position(line: number, column: number): { lineNumber: number; columnNumber: number } {
  return { lineNumber: line - 1, columnNumber: column - 1 };
}

/** A V8 inspector position (0-based; a missing column means the line's start) as this module takes it. */
export function fromV8Position(position: { lineNumber: number; columnNumber?: number }): { line: number; column: number } {
  return { line: position.lineNumber + 1, column: (position.columnNumber ?? 0) + 1 };
}
