/**
 * Where a probe lands: from the developer's `path:line` to a position in a
 * loaded script (through source maps), and from captured frames back to the
 * developer's files.
 *
 * Positions in this API are 1-based, lines and columns alike. V8 counts from
 * 0: convert with toV8Position / fromV8Position where the inspector is called.
 * Failures are data with stable KH_* codes; nothing here throws.
 */
export { ScriptIndex, type ScriptRecord, type ScriptIndexOptions } from './scriptIndex';
export { resolveProbeLocation, type Resolution, type ScriptPosition } from './resolveProbe';
export { mapGeneratedToOriginal, type OriginalPosition } from './mapFrame';
export { LocationErrorCode, type LocationProblem } from './errors';
export { DEFAULT_LOCATION_SETTINGS, type LocationSettings } from './settings';
export { nodeFileAccess, type FileAccess, type ReadResult } from './fileAccess';
export { toV8Position, fromV8Position } from './v8Positions';
