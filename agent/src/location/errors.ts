/**
 * Stable codes of the ways locating a probe or reading a source map can fail.
 * They travel to the IDE as probe status; they are returned, never thrown.
 */
export const LocationErrorCode = Object.freeze({
  /** No loaded script is, or was compiled from, the developer's file (yet). */
  NOT_FOUND: 'KH_LOCATION_NOT_FOUND',
  /** Several different files match the developer's path equally well. */
  AMBIGUOUS: 'KH_LOCATION_AMBIGUOUS',
  /** Neither the line nor the lines in the search window after it hold code. */
  NO_CODE_ON_LINE: 'KH_LOCATION_NO_CODE_ON_LINE',
  /** The request itself is unusable (empty path, line below 1, ...). */
  INVALID_REQUEST: 'KH_LOCATION_INVALID_REQUEST',
  /**
   * The path matches only the agent's own code (or its protocol package),
   * which is never probed; the probe waits for a file of the service by that path.
   */
  AGENT_CODE: 'KH_PROBE_AGENT_CODE',
  /**
   * The line is inside a `with` statement's body, where every name a condition
   * uses is looked up on the with object, running its getters and Proxy traps.
   */
  IN_WITH: 'KH_PROBE_IN_WITH',
  /** The file runs only in vm contexts of its own (vm.createContext), which are not probed; the probe waits. */
  VM_CONTEXT: 'KH_PROBE_VM_CONTEXT',
  /** An unexpected failure inside location, reported instead of thrown. */
  INTERNAL: 'KH_LOCATION_INTERNAL',
  /** The source map is not JSON, not version 3, or its data URL is malformed. */
  SOURCEMAP_INVALID: 'KH_SOURCEMAP_INVALID',
  /** The source map is bigger than `maxSourceMapBytes`. */
  SOURCEMAP_TOO_LARGE: 'KH_SOURCEMAP_TOO_LARGE',
  /** The source map file is missing or unreadable, or not on this machine (http URL). */
  SOURCEMAP_UNREADABLE: 'KH_SOURCEMAP_UNREADABLE',
});

export type LocationErrorCode = (typeof LocationErrorCode)[keyof typeof LocationErrorCode];

/** A failure as data: a stable code and a sentence for the developer. */
export interface LocationProblem {
  readonly code: LocationErrorCode;
  readonly message: string;
}
