import { originalPositionFor } from '@jridgewell/trace-mapping';
import { toDisplayPath, toFileUrl } from './paths';
import { type ScriptIndex } from './scriptIndex';

/** A position in an original source file, 1-based. */
export interface OriginalPosition {
  /** The deployed original's path (a URL such as webpack://... when the map names no file). */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** The original name at this position, when the map records one. */
  readonly name?: string;
}

/**
 * Maps a captured frame's generated position (1-based line and column; add 1
 * to V8's) back to the original source. A script without a source map is its
 * own original, so its own path comes back. Undefined when nothing is known:
 * the script is not indexed, its map failed, or the position lies in code the
 * map does not cover (a bundler's helpers); show the generated position then.
 * Never throws.
 */
export function mapGeneratedToOriginal(index: ScriptIndex, scriptIdOrUrl: string, line: number, column: number): OriginalPosition | undefined {
  try {
    if (!Number.isInteger(line) || line < 1 || !Number.isInteger(column) || column < 1) return undefined;
    const script = index.get(scriptIdOrUrl);
    if (!script) return undefined;
    const load = index.sourceMapOf(script);
    if (load.kind === 'none') return { path: toDisplayPath(toFileUrl(script.record.url)), line, column };
    if (load.kind === 'failed') return undefined;
    const original = originalPositionFor(load.map, { line, column: column - 1 });
    if (original.source === null) return undefined;
    const position = { path: toDisplayPath(original.source), line: original.line, column: original.column + 1 };
    return original.name === null ? position : { ...position, name: original.name };
  } catch {
    return undefined;
  }
}
