import { type TraceMap } from '@jridgewell/trace-mapping';
import { sha256Hex } from './contentHash';
import { type LocationProblem } from './errors';
import { nodeFileAccess, type FileAccess } from './fileAccess';
import { isFileScriptUrl, lastSegment, pathSegments, stemOf, toDisplayPath, toFileUrl } from './paths';
import { DEFAULT_LOCATION_SETTINGS, type LocationSettings } from './settings';
import { LruCache } from './lruCache';
import { isOwnCode } from './ownCode';
import { findSourceMapUrl, loadSourceMap, type SourceMapLoad } from './sourceMapLoader';
import { findWithBodies, type WithCheck } from './withStatements';

/** A script's file as read from disk (ScriptIndex.readLoadedFile). */
export type LoadedFile =
  | { readonly kind: 'unreadable'; readonly path: string; readonly message: string }
  | {
      readonly kind: 'read';
      readonly path: string;
      readonly text: string;
      /** sha256 hex of the file's bytes. */
      readonly sha256: string;
      /** False when the file changed on disk after V8 compiled it (an in-place deploy): its lines are not the code that runs. */
      readonly asLoaded: boolean;
    };

/** A script as V8's Debugger.scriptParsed reports it. */
export interface ScriptRecord {
  scriptId: string;
  url: string;
  sourceMapURL?: string;
  /** Characters in its source, as V8 reports it. */
  length?: number;
  /** SHA-256 (hex) of its UTF-8 source, as V8 reports it. */
  hash?: string;
  /** Set when V8 compiled it as an ES module (its top-level names are a module scope; it cannot hold a `with`). */
  isModule?: true;
  /** Set when it runs in a vm context of its own (V8's executionContextAuxData.isDefault is false). */
  inVmContext?: true;
}

/** One original file named in a script's source map. */
export interface OriginalSource {
  /** Position in the map's `sources`. */
  readonly index: number;
  /** The map's own spelling, which trace-mapping looks sources up by. */
  readonly source: string;
  /** Resolved against sourceRoot and the map's URL (a file: URL for files on disk). */
  readonly resolved: string;
  readonly segments: readonly string[];
  readonly basename: string;
}

/** A script as the index holds it. */
export class IndexedScript {
  private segmentsCache: readonly string[] | undefined;
  /** Its original files once its source map was read; undefined until then. */
  originals: readonly OriginalSource[] | undefined;
  /** Why its source map could not be read, once that was tried. */
  mapProblem: LocationProblem | undefined;
  /** Whether probes are barred from it, once asked (ScriptIndex.isOffLimits). */
  offLimits: boolean | undefined;
  /** Its `with` statements, once searched (ScriptIndex.withCheckOf). */
  withCheck: WithCheck | undefined;

  constructor(
    readonly record: ScriptRecord,
    readonly basename: string,
  ) {}

  /** Its path's segments, split on first use: most scripts are never compared. */
  get segments(): readonly string[] {
    return (this.segmentsCache ??= pathSegments(this.record.url));
  }
}

export interface ScriptIndexOptions {
  readonly settings?: Partial<LocationSettings>;
  /** How files are read; node:fs by default. */
  readonly files?: FileAccess;
  /** Scripts no probe may be placed in, by URL; the agent's own code by default (see ownCode.ts). */
  readonly offLimits?: (url: string) => boolean;
}

/**
 * The loaded scripts that are files, indexed for matching a developer's path.
 *
 * `add` runs for every script V8 parses (thousands in big applications), so
 * it does no I/O and splits nothing but the basename off the URL; it files the script under
 * the lower-cased stem of its basename (`handler` for handler.js and
 * handler.ts alike, so a probe on handler.ts finds handler.js as a candidate).
 * Source maps are read later, when a probe is resolved or a frame mapped
 * (the first probe reads those V8 reported outside node_modules); the
 * original files they name are then filed under their stems too, and the
 * parsed maps kept in an LRU of `maxSourceMaps`.
 */
export class ScriptIndex {
  readonly settings: LocationSettings;
  readonly files: FileAccess;
  private readonly offLimits: (url: string) => boolean;
  private readonly scripts = new Map<string, IndexedScript>();
  /** Scripts by URL; a URL can be loaded more than once (vm, module reloads), the newest is last. */
  private readonly idsByUrl: Buckets = new Map();
  private readonly scriptsByStem: Buckets = new Map();
  private readonly originalsByStem: Buckets = new Map();
  /** Scripts with a reported source map that has not been read yet. */
  private readonly unreadMaps = new Set<string>();
  /** Scripts whose `<script>.map` sibling was already looked for by the miss sweep. */
  private readonly siblingChecked = new Set<string>();
  /** Map URLs found in script files' last lines (null: none), so a file's tail is read once. */
  private readonly discoveredMapUrls = new Map<string, string | null>();
  private readonly maps: LruCache<string, TraceMap>;

  constructor(options: ScriptIndexOptions = {}) {
    this.settings = Object.freeze({ ...DEFAULT_LOCATION_SETTINGS, ...options.settings });
    this.files = options.files ?? nodeFileAccess;
    this.offLimits = options.offLimits ?? isOwnCode;
    this.maps = new LruCache(this.settings.maxSourceMaps);
  }

  /** Scripts indexed; url-less, node: and other non-file scripts are not. */
  get size(): number {
    return this.scripts.size;
  }

  /**
   * Indexes a parsed script. Scripts that are not files are ignored; a known
   * scriptId is replaced. A URL loaded again and again (a template compiled
   * per request under its file's name) keeps only its newest
   * `maxScriptsPerUrl` scripts, so the index does not grow with traffic: the
   * id of the script dropped for this one is returned.
   */
  add(record: ScriptRecord): string | undefined {
    if (!isFileScriptUrl(record.url)) return undefined;
    if (this.scripts.has(record.scriptId)) this.remove(record.scriptId);
    const basename = lastSegment(record.url);
    if (basename === undefined) return undefined;
    const dropped = this.oldestBeyondLimit(record.url);
    if (dropped !== undefined) this.remove(dropped);
    this.scripts.set(record.scriptId, new IndexedScript(record, basename));
    addTo(this.idsByUrl, record.url, record.scriptId);
    addTo(this.scriptsByStem, stemKey(basename), record.scriptId);
    // V8 reports the sourceMappingURL comment of every script it parses, so only these need their maps read in bulk.
    if (record.sourceMapURL && (this.settings.readNodeModulesSourceMaps || !isUnderNodeModules(record.url))) {
      this.unreadMaps.add(record.scriptId);
    }
    return dropped;
  }

  /** The oldest script with this URL when it already has maxScriptsPerUrl of them. */
  private oldestBeyondLimit(url: string): string | undefined {
    const held = this.idsByUrl.get(url);
    if (held === undefined) return undefined;
    const count = typeof held === 'string' ? 1 : held.size;
    if (count < this.settings.maxScriptsPerUrl) return undefined;
    return typeof held === 'string' ? held : (held.values().next().value as string);
  }

  /** Forgets a script (its context was collected or the inspector session reset). */
  remove(scriptId: string): void {
    const script = this.scripts.get(scriptId);
    if (!script) return;
    this.scripts.delete(scriptId);
    removeFrom(this.idsByUrl, script.record.url, scriptId);
    removeFrom(this.scriptsByStem, stemKey(script.basename), scriptId);
    for (const original of script.originals ?? []) removeFrom(this.originalsByStem, stemKey(original.basename), scriptId);
    this.unreadMaps.delete(scriptId);
    this.discoveredMapUrls.delete(scriptId);
    this.siblingChecked.delete(scriptId);
    this.maps.delete(scriptId);
  }

  /**
   * Forgets every script and cached source map, as when the Debugger domain is
   * disabled (enabling it again replays scriptParsed for all loaded scripts).
   */
  clear(): void {
    this.scripts.clear();
    this.idsByUrl.clear();
    this.scriptsByStem.clear();
    this.originalsByStem.clear();
    this.unreadMaps.clear();
    this.discoveredMapUrls.clear();
    this.siblingChecked.clear();
    this.maps.clear();
  }

  /** Whether the index holds this script (add takes files only, and drops old copies of a URL). */
  holds(scriptId: string): boolean {
    return this.scripts.has(scriptId);
  }

  /** A script by its V8 id, or by URL (the newest script with that URL). */
  get(scriptIdOrUrl: string): IndexedScript | undefined {
    const byId = this.scripts.get(scriptIdOrUrl);
    if (byId) return byId;
    const ids = this.idsByUrl.get(scriptIdOrUrl);
    const newest = typeof ids === 'string' ? ids : [...(ids ?? [])].at(-1);
    return newest === undefined ? undefined : this.scripts.get(newest);
  }

  /** True for a script no probe may be placed in (the agent's own code), asked once per script. */
  isOffLimits(script: IndexedScript): boolean {
    return (script.offLimits ??= this.offLimits(script.record.url));
  }

  /**
   * The file V8 loaded the script from, as it is on disk now, checked
   * against the hash V8 reported for the source it compiled. One read serves
   * both placement and the with check (withCheckOf takes it).
   */
  readLoadedFile(script: IndexedScript): LoadedFile {
    const path = toDisplayPath(toFileUrl(script.record.url));
    const read = this.files.read(path, this.settings.maxScriptBytes);
    if (!read.ok) return { kind: 'unreadable', path, message: read.message };
    const sha256 = sha256Hex(read.bytes);
    const running = script.record.hash;
    return { kind: 'read', path, text: read.bytes.toString('utf8'), sha256, asLoaded: !running || running === sha256 };
  }

  /**
   * Where the script's `with` statements are, searched once per script in
   * the file V8 loaded (`file` when the caller has just read it); unchecked
   * when the file cannot be read or changed on disk since V8 compiled it
   * (its lines are not the code that runs).
   */
  withCheckOf(script: IndexedScript, file?: LoadedFile): WithCheck {
    if (script.withCheck) return script.withCheck;
    // `with` is a syntax error in an ES module: nothing to read.
    if (script.record.isModule) return (script.withCheck = { kind: 'checked', bodies: [] });
    const loaded = file ?? this.readLoadedFile(script);
    let check: WithCheck;
    if (loaded.kind === 'unreadable') check = { kind: 'unchecked', reason: loaded.message };
    else if (!loaded.asLoaded) check = { kind: 'unchecked', reason: `${loaded.path} changed on disk after it was loaded` };
    else check = findWithBodies(loaded.text, this.settings.maxWithCheckChars);
    return (script.withCheck = check);
  }

  /** Every indexed script's record, as V8 reported it. */
  records(): ScriptRecord[] {
    return [...this.scripts.values()].map((s) => s.record);
  }

  /** Scripts whose own basename has this stem (any case, any extension). */
  scriptsWithStem(stem: string): IndexedScript[] {
    return this.lookup(this.scriptsByStem, stem);
  }

  /** Scripts whose source map names an original file with this stem. */
  scriptsWithOriginalStem(stem: string): IndexedScript[] {
    return this.lookup(this.originalsByStem, stem);
  }

  /**
   * Reads what is still unread before a lookup, once per script: the source
   * maps V8 reported for scripts outside node_modules, and for scripts
   * anywhere that are named like the developer's file, their map wherever it
   * is (reported, else the file's sourceMappingURL comment, else a `.map`
   * beside the file). A map with no comment beside a script named otherwise
   * (a bundle built with "external" maps) is therefore only found when a frame
   * in that script is mapped, or when a lookup found nothing at all: then
   * scripts outside node_modules are checked for a `.map` beside them, each
   * once, at most siblingMapChecksPerLookup per lookup (one file-existence
   * check each, on a miss only, never on the hit path).
   */
  prepareLookup(stem: string): void {
    for (const id of [...this.unreadMaps]) {
      const script = this.scripts.get(id);
      if (script) this.readOriginals(script);
    }
    this.unreadMaps.clear();
    for (const script of this.scriptsWithStem(stem)) {
      if (script.originals === undefined && script.mapProblem === undefined) this.readOriginals(script);
    }
    if (this.scriptsWithStem(stem).length === 0 && this.scriptsWithOriginalStem(stem).length === 0) this.sweepSiblingMaps();
  }

  private sweepSiblingMaps(): void {
    if (!this.settings.siblingSourceMaps) return;
    let budget = this.settings.siblingMapChecksPerLookup;
    for (const script of this.scripts.values()) {
      if (budget <= 0) return;
      const id = script.record.scriptId;
      if (script.originals !== undefined || script.record.sourceMapURL || this.siblingChecked.has(id)) continue;
      if (!this.settings.readNodeModulesSourceMaps && isUnderNodeModules(script.record.url)) continue;
      this.siblingChecked.add(id);
      budget--;
      if (this.files.isFile(`${toDisplayPath(toFileUrl(script.record.url))}.map`)) this.readOriginals(script);
    }
  }

  /** The script's parsed source map (from the LRU, or read again), none, or why it failed. */
  sourceMapOf(script: IndexedScript): SourceMapLoad {
    if (script.mapProblem) return { kind: 'failed', problem: script.mapProblem };
    const cached = this.maps.get(script.record.scriptId);
    if (cached) return { kind: 'loaded', map: cached };
    const scriptUrl = toFileUrl(script.record.url);
    const mapUrl = this.mapUrlOf(script, scriptUrl);
    if (mapUrl === undefined) return { kind: 'none' };
    const load = loadSourceMap(scriptUrl, mapUrl, this.files, this.settings);
    if (load.kind === 'failed') script.mapProblem = load.problem;
    if (load.kind === 'loaded') this.maps.set(script.record.scriptId, load.map);
    return load;
  }

  private mapUrlOf(script: IndexedScript, scriptUrl: string): string | undefined {
    if (script.record.sourceMapURL) return script.record.sourceMapURL;
    const id = script.record.scriptId;
    let found = this.discoveredMapUrls.get(id);
    if (found === undefined) {
      const scriptPath = toDisplayPath(scriptUrl);
      found = findSourceMapUrl(scriptPath, undefined, this.files, this.settings) ?? null;
      if (found === null && this.settings.siblingSourceMaps && this.files.isFile(`${scriptPath}.map`)) found = `${encodeURIComponent(script.basename)}.map`;
      this.discoveredMapUrls.set(id, found);
    }
    return found ?? undefined;
  }

  private readOriginals(script: IndexedScript): void {
    const load = this.sourceMapOf(script);
    if (load.kind !== 'loaded') {
      script.originals = [];
      return;
    }
    const { sources, resolvedSources } = load.map;
    const originals: OriginalSource[] = [];
    sources.forEach((source, index) => {
      const resolved = resolvedSources[index];
      if (!source || !resolved) return;
      const segments = pathSegments(resolved);
      const basename = segments[segments.length - 1];
      if (basename === undefined) return;
      originals.push({ index, source, resolved, segments, basename });
      addTo(this.originalsByStem, stemKey(basename), script.record.scriptId);
    });
    script.originals = originals;
  }

  private lookup(byStem: Buckets, stem: string): IndexedScript[] {
    const out: IndexedScript[] = [];
    const ids = byStem.get(stem.toLowerCase());
    for (const id of typeof ids === 'string' ? [ids] : (ids ?? [])) {
      const script = this.scripts.get(id);
      if (script) out.push(script);
    }
    return out;
  }
}

/**
 * Script ids filed under a key. Most keys hold one script, so a lone id is
 * stored as a string and a Set only made for the second: with hundreds of
 * thousands of scripts this halves the cost of `add`. Sets keep insertion order.
 */
type Buckets = Map<string, string | Set<string>>;

function stemKey(basename: string): string {
  return stemOf(basename).toLowerCase();
}

function isUnderNodeModules(url: string): boolean {
  return url.includes('/node_modules/') || url.includes('\\node_modules\\');
}

function addTo(buckets: Buckets, key: string, id: string): void {
  const held = buckets.get(key);
  if (held === undefined) buckets.set(key, id);
  else if (typeof held === 'string') {
    if (held !== id) buckets.set(key, new Set([held, id]));
  } else held.add(id);
}

function removeFrom(buckets: Buckets, key: string, id: string): void {
  const held = buckets.get(key);
  if (held === id) buckets.delete(key);
  else if (typeof held === 'object') {
    held.delete(id);
    if (held.size === 1) buckets.set(key, held.values().next().value as string);
  }
}
