/**
 * Limits of probe location (finding scripts by path, reading source maps).
 * Every limit is a named setting with a documented default; reading only
 * happens while a probe is being resolved or a frame mapped, never while
 * scripts load.
 */
export interface LocationSettings {
  /** Parsed source maps held at once; the least recently used is dropped first. Default 32. */
  readonly maxSourceMaps: number;
  /**
   * Largest source map read, in bytes (for inline maps: its decoded size).
   * Bigger maps are refused with KH_SOURCEMAP_TOO_LARGE rather than read into
   * the host's memory. Default 32 MiB.
   */
  readonly maxSourceMapBytes: number;
  /**
   * Lines after the requested one searched for code when the requested line
   * has none (blank, comment, type-only); the result's `note` says the probe
   * moved. 0 turns the search off. Default 5.
   */
  readonly nextCodeLineWindow: number;
  /**
   * Bytes read from the end of a script file to find its
   * `//# sourceMappingURL=` comment when V8 did not report one. Default 4 KiB.
   * (A longer last line, as an inline map is, is followed back to its start
   * within maxSourceMapBytes.)
   */
  readonly sourceMapCommentTailBytes: number;
  /**
   * Whether a script with no sourceMappingURL comment gets the `<script>.map`
   * beside it (what bundlers write in "external" source map mode). Default true.
   */
  readonly siblingSourceMaps: boolean;
  /**
   * When a lookup finds no script for the developer's file, scripts outside
   * node_modules that report no source map are checked for a `<script>.map`
   * beside them (a bundle built with "external" maps names its map nowhere):
   * one file-existence check per script, at most this many per lookup, and
   * each script at most once. Default 2000.
   */
  readonly siblingMapChecksPerLookup: number;
  /** Largest plain script file read to hash it and find its code lines. Default 8 MiB. */
  readonly maxScriptBytes: number;
  /**
   * Whether scripts under node_modules are searched for source maps to learn
   * the original files they were built from. Off by default: developers probe
   * their own code, and reading every dependency's map would stall the host on
   * the first probe. Scripts under node_modules still match by their own path,
   * and those named like the probed file are searched anyway. Default false.
   */
  readonly readNodeModulesSourceMaps: boolean;
  /**
   * Largest script, in characters, parsed to find its `with` statements
   * (no probe goes inside one: withStatements.ts), when its text may hold one;
   * most scripts never spell `with (` and are not parsed. A bigger one is
   * placed unchecked and the probe's note says so. Default 4 Mi.
   */
  readonly maxWithCheckChars: number;
  /** Candidate paths listed in a not-found or ambiguous result at most. Default 10. */
  readonly maxCandidates: number;
  /**
   * Old-generation heap, in MB, of the worker thread that reads and decodes
   * source maps (locationWorker.ts): a large bundle's map takes hundreds of
   * MB decoded. A map that needs more fails to resolve (the probe's status
   * says so) and frames in it show their generated positions. Default 512.
   */
  readonly workerHeapMb: number;
  /**
   * Scripts with a URL that is neither a file nor one of Node's own modules
   * (a `vm` script is `evalmachine.<anonymous>`) whose URL is kept to name a
   * captured frame's script; the most recent are kept, since a service can
   * make one per request while a probe is installed (frameScriptUrls.ts).
   * Default 10,000.
   */
  readonly maxOtherScriptUrls: number;
  /**
   * Scripts with the same file URL held in the index at once: a service can
   * compile a template under its file's name on every request while a probe
   * is installed, and V8 reports each one. The newest are kept (a probe on
   * that file still binds to every copy V8 runs; a frame in a dropped copy is
   * named through maxOtherScriptUrls). Default 32.
   */
  readonly maxScriptsPerUrl: number;
}

export const DEFAULT_LOCATION_SETTINGS: LocationSettings = Object.freeze({
  maxSourceMaps: 32,
  maxSourceMapBytes: 32 * 1024 * 1024,
  nextCodeLineWindow: 5,
  sourceMapCommentTailBytes: 4 * 1024,
  siblingSourceMaps: true,
  siblingMapChecksPerLookup: 2000,
  maxScriptBytes: 8 * 1024 * 1024,
  readNodeModulesSourceMaps: false,
  maxWithCheckChars: 4 * 1024 * 1024,
  maxCandidates: 10,
  workerHeapMb: 512,
  maxOtherScriptUrls: 10_000,
  maxScriptsPerUrl: 32,
});
