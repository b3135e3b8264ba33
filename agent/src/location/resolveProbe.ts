import { LEAST_UPPER_BOUND, GREATEST_LOWER_BOUND, allGeneratedPositionsFor, type TraceMap } from '@jridgewell/trace-mapping';
import { findCodeLines } from './codeLines';
import { sha256Hex } from './contentHash';
import { LocationErrorCode, type LocationProblem } from './errors';
import { commonSuffixLength, pathSegments, stemOf, toDisplayPath, toFileUrl } from './paths';
import { type IndexedScript, type LoadedFile, type OriginalSource, type ScriptIndex } from './scriptIndex';
import { withBodyAt } from './withStatements';

/** A generated position (1-based line and column) in one loaded script. */
export interface ScriptPosition {
  readonly scriptId: string;
  readonly url: string;
  readonly line: number;
  readonly column: number;
}

export type Resolution =
  | {
      readonly ok: true;
      readonly scriptId: string;
      readonly url: string;
      /** Generated position, 1-based. */
      readonly line: number;
      readonly column: number;
      /** The targeted file as deployed: the original source's path (or URL), or the script's path for plain JS. */
      readonly originalPath: string;
      /**
       * sha256 hex of the deployed original source: the map's sourcesContent when present,
       * else the file on disk; '' when neither can be read (the note says so).
       */
      readonly deployedSha256: string;
      /** Set when the probe is not exactly where asked (moved to the next line with code) or a check was skipped. */
      readonly note?: string;
      /**
       * The same file loaded in other scripts as well (two bundles that include it,
       * or a file run twice); a probe belongs in each of them.
       */
      readonly alsoAt?: readonly ScriptPosition[];
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly candidates: string[] };

/** A loaded file that matches the developer's path: a script itself, or an original in its source map. */
interface Match {
  readonly script: IndexedScript;
  readonly original: OriginalSource | undefined;
  readonly key: string;
  readonly length: number;
}

type Placement =
  | {
      readonly ok: true;
      readonly position: ScriptPosition;
      readonly originalPath: string;
      readonly sha256: string;
      readonly note?: string;
      /** The script's file as placement read it, for the with check to reuse. */
      readonly file?: LoadedFile;
    }
  | { readonly ok: false; readonly problem: LocationProblem };

/**
 * Where a probe on the developer's `path:line[:column]` goes in the loaded
 * scripts. Lines and columns here are 1-based on both sides; V8's are 0-based
 * (see v8Positions.ts). Scripts match by the longest common path suffix, on
 * their own path or on an original path in their source map. Not found is a
 * normal answer (the file may load later; ask again when scripts are added),
 * with close candidates (same basename in any case, or same stem). Never throws.
 */
export function resolveProbeLocation(index: ScriptIndex, developerPath: string, line: number, column?: number): Resolution {
  try {
    return resolve(index, developerPath, line, column);
  } catch (e) {
    // A bug here must not reach the host; report it as data.
    return failure(LocationErrorCode.INTERNAL, `cannot locate ${developerPath}:${line}: ${(e as Error).message}`, []);
  }
}

function resolve(index: ScriptIndex, developerPath: string, line: number, column: number | undefined): Resolution {
  if (!Number.isInteger(line) || line < 1) return failure(LocationErrorCode.INVALID_REQUEST, `line must be a whole number from 1, got ${line}`, []);
  if (column !== undefined && (!Number.isInteger(column) || column < 1)) {
    return failure(LocationErrorCode.INVALID_REQUEST, `column must be a whole number from 1, got ${column}`, []);
  }
  const wanted = pathSegments(developerPath);
  const basename = wanted[wanted.length - 1];
  if (basename === undefined) return failure(LocationErrorCode.INVALID_REQUEST, `"${developerPath}" is not a file path`, []);
  const stem = stemOf(basename);
  index.prepareLookup(stem);

  const { matches, offLimits } = findMatches(index, wanted, basename, stem);
  if (matches.length === 0) {
    if (offLimits !== undefined) {
      return failure(
        LocationErrorCode.AGENT_CODE,
        `${developerPath} matches ${offLimits}, the Keyhole agent's own code, better than any file of the service; the agent never probes its own code (its variables hold values before they are masked), so the probe waits for a file of the service by that path`,
        [],
      );
    }
    return notFound(index, developerPath, basename, stem);
  }

  const targets = [...new Set(matches.map((m) => m.key))];
  if (targets.length > 1) {
    const candidates = distinct(matches.map(describe)).sort().slice(0, index.settings.maxCandidates);
    return failure(
      LocationErrorCode.AMBIGUOUS,
      `${developerPath} matches ${targets.length} loaded files equally well; give more of its path`,
      candidates,
    );
  }

  const placements = matches.map((m) => place(index, m, line, column));
  const placed = placements.filter((p): p is Extract<Placement, { ok: true }> => p.ok);
  if (placed.length === 0) {
    const problem = (placements[0] as Extract<Placement, { ok: false }>).problem;
    return failure(problem.code, problem.message, distinct(matches.map(describe)).slice(0, index.settings.maxCandidates));
  }
  return settle(index, placed);
}

/**
 * The answer from the places a probe fits: the first in the main context,
 * the others in `alsoAt`. Refused when one is inside a `with` body; waiting
 * when the file runs only in vm contexts of its own. There the breakpoint
 * condition cannot reach the agent (a context has its own globals), and
 * making it reachable would add a global to the service's sandbox object.
 */
function settle(index: ScriptIndex, placed: ReadonlyArray<Extract<Placement, { ok: true }>>): Resolution {
  const main = placed.filter((p) => !index.get(p.position.scriptId)?.record.inVmContext);
  const first = main[0];
  if (!first) {
    return failure(
      LocationErrorCode.VM_CONTEXT,
      `${placed[0]!.originalPath} runs only in a vm context of its own (vm.createContext, vm.runInNewContext), which Keyhole does not probe; the probe waits for it to load in the main context`,
      [],
    );
  }
  const notes: string[] = [];
  if (main.length < placed.length) notes.push(`${first.originalPath} is also loaded in a vm context of its own, where it is not probed`);
  for (const p of main) {
    const check = withCheckAt(index, p.position, p.file);
    if (check.refusal) return failure(LocationErrorCode.IN_WITH, check.refusal, []);
    if (check.note) notes.push(check.note);
  }
  const note = [first.note, ...distinct(notes)].filter((n): n is string => n !== undefined).join('; ');
  const others = main.slice(1).map((p) => p.position);
  return {
    ok: true,
    ...first.position,
    originalPath: first.originalPath,
    deployedSha256: first.sha256,
    ...(note ? { note } : {}),
    ...(others.length > 0 ? { alsoAt: others } : {}),
  };
}

/** A refusal when a placed position is inside a `with` body, a note when that could not be checked. */
function withCheckAt(index: ScriptIndex, position: ScriptPosition, file: LoadedFile | undefined): { refusal?: string; note?: string } {
  const script = index.get(position.scriptId);
  if (!script) return {};
  const check = index.withCheckOf(script, file);
  const path = toDisplayPath(toFileUrl(position.url));
  if (check.kind === 'unchecked') return { note: `line ${position.line} of ${path} was not checked for a with statement: ${check.reason}` };
  const body = withBodyAt(check.bodies, position.line);
  if (!body) return {};
  const lines = body.startLine === body.endLine ? `line ${body.startLine}` : `lines ${body.startLine}-${body.endLine}`;
  return {
    refusal: `line ${position.line} of ${path} is inside a with statement (${lines}), where every name a condition reads is looked up on the with object, running its getters and Proxy traps on each pass; Keyhole never probes there: put the probe before or after the with statement`,
  };
}

/**
 * The matches with the longest common suffix (at least the basename, compared
 * exactly). The agent's own scripts are never matches: a service file named
 * like one of them (config.js, index.js) is found as if they were not loaded.
 * But when one of them matches the developer's path better than any service
 * file does, the developer meant it: no match, and `offLimits` names it.
 */
function findMatches(index: ScriptIndex, wanted: readonly string[], basename: string, stem: string): { matches: Match[]; offLimits: string | undefined } {
  let best = 0;
  let matches: Match[] = [];
  let bestOffLimits = 0;
  let offLimits: string | undefined;
  const consider = (script: IndexedScript, original: OriginalSource | undefined, segments: readonly string[]): void => {
    if (segments[segments.length - 1] !== basename) return;
    const length = commonSuffixLength(wanted, segments);
    if (index.isOffLimits(script)) {
      if (length > bestOffLimits) {
        bestOffLimits = length;
        offLimits = original ? toDisplayPath(original.resolved) : toDisplayPath(toFileUrl(script.record.url));
      }
      return;
    }
    if (length < best) return;
    if (length > best) {
      best = length;
      matches = [];
    }
    const key = segments.join('/');
    // A source listed twice in one map, or a map that names its own script, is one place.
    if (matches.some((m) => m.script === script && m.key === key)) return;
    matches.push({ script, original, key, length });
  };
  for (const script of index.scriptsWithStem(stem)) consider(script, undefined, script.segments);
  for (const script of index.scriptsWithOriginalStem(stem)) {
    for (const original of script.originals ?? []) consider(script, original, original.segments);
  }
  return bestOffLimits > best ? { matches: [], offLimits } : { matches, offLimits };
}

/** Not found, with what is loaded under a similar name; a broken source map of such a script is the likelier cause. */
function notFound(index: ScriptIndex, developerPath: string, basename: string, stem: string): Resolution {
  const lowerBasename = basename.toLowerCase();
  const lowerStem = stem.toLowerCase();
  const close: Array<{ path: string; rank: number }> = [];
  let mapProblem: LocationProblem | undefined;
  for (const script of index.scriptsWithStem(stem)) {
    if (index.isOffLimits(script)) continue;
    close.push({ path: toDisplayPath(toFileUrl(script.record.url)), rank: rankName(script.basename, lowerBasename) });
    mapProblem ??= script.mapProblem;
  }
  for (const script of index.scriptsWithOriginalStem(stem)) {
    if (index.isOffLimits(script)) continue;
    for (const original of script.originals ?? []) {
      if (stemOf(original.basename).toLowerCase() === lowerStem) close.push({ path: toDisplayPath(original.resolved), rank: rankName(original.basename, lowerBasename) });
    }
  }
  const candidates = distinct(close.sort((a, b) => a.rank - b.rank || a.path.localeCompare(b.path)).map((c) => c.path)).slice(0, index.settings.maxCandidates);
  if (mapProblem) {
    return failure(mapProblem.code, `${developerPath} is not among the loaded scripts, and the source map of a script named like it failed: ${mapProblem.message}`, candidates);
  }
  return failure(
    LocationErrorCode.NOT_FOUND,
    `no loaded script is, or was compiled from, ${developerPath}; the probe waits for it to load`,
    candidates,
  );
}

/** Same basename in another case ranks before same stem with another extension. */
function rankName(name: string, lowerBasename: string): number {
  return name.toLowerCase() === lowerBasename ? 0 : 1;
}

function place(index: ScriptIndex, match: Match, line: number, column: number | undefined): Placement {
  return match.original ? placeInOriginal(index, match.script, match.original, line, column) : placeInScript(index, match.script, line, column);
}

/** A plain script: the developer's line is the generated line; only check it holds code. */
function placeInScript(index: ScriptIndex, script: IndexedScript, line: number, column: number | undefined): Placement {
  const { scriptId, url } = script.record;
  const file = index.readLoadedFile(script);
  const path = file.path;
  const at = (l: number, c: number, sha256: string, note?: string): Placement => placed({ scriptId, url, line: l, column: c }, path, sha256, note, file);
  if (file.kind === 'unreadable') return at(line, column ?? 1, '', `${file.message}: the line was not checked for code and no content hash was taken`);
  // V8's hash is the SHA-256 of the source it compiled. A file that no longer matches it changed on
  // disk after it was loaded (an in-place deploy): its lines are not the code that runs, and the
  // hash to report, for the IDE to compare the workspace with, is V8's.
  if (!file.asLoaded) {
    return at(line, column ?? 1, script.record.hash ?? '', `${path} changed on disk after it was loaded: the line was not checked for code, and the content hash is of the code that runs`);
  }
  const code = findCodeLines(file.text);
  if (!code) return at(line, column ?? 1, file.sha256, `${path} did not tokenize: the line was not checked for code`);
  if (line > code.lineCount) return noCode(`${path} has ${code.lineCount} lines; there is no line ${line}`);
  for (let candidate = line; candidate <= Math.min(line + index.settings.nextCodeLineWindow, code.lineCount); candidate++) {
    const first = code.firstColumn.get(candidate);
    if (first === undefined) continue;
    if (candidate === line) return at(line, column ?? first, file.sha256);
    return at(candidate, first, file.sha256, movedNote(line, candidate));
  }
  return noCode(noCodeMessage(path, line, index.settings.nextCodeLineWindow));
}

/** An original file in the script's source map: map its line to the first generated position. */
function placeInOriginal(index: ScriptIndex, script: IndexedScript, original: OriginalSource, line: number, column: number | undefined): Placement {
  const load = index.sourceMapOf(script);
  if (load.kind === 'failed') return { ok: false, problem: load.problem };
  if (load.kind === 'none') return noCode(`the source map of ${script.record.url} is no longer readable`);
  const map = load.map;
  const path = toDisplayPath(original.resolved);
  const hash = originalHash(index, map, original);
  const window = index.settings.nextCodeLineWindow;
  const file = index.readLoadedFile(script);
  const generatedText = file.kind === 'read' ? file.text.split(/\r?\n/) : undefined;
  for (let candidate = line; candidate <= line + window; candidate++) {
    const generated = firstGeneratedPosition(map, original.source, candidate, candidate === line ? column : undefined);
    if (!generated) continue;
    const lineText = generatedText?.[generated.line - 1];
    // tsc maps comment lines too; a comment is no place for a probe.
    if (startsWithComment(lineText?.slice(generated.column))) continue;
    // esbuild maps a line's indentation; the probe belongs on the statement after it.
    const column0 = lineText === undefined ? generated.column : skipIndentation(lineText, generated.column);
    const position = { scriptId: script.record.scriptId, url: script.record.url, line: generated.line, column: column0 + 1 };
    const notes = [candidate === line ? undefined : movedNote(line, candidate), hash.note].filter((n): n is string => n !== undefined);
    return placed(position, path, hash.sha256, notes.length > 0 ? notes.join('; ') : undefined, file);
  }
  return noCode(noCodeMessage(path, line, window));
}

/**
 * The earliest generated position of the first mapped column at or after the
 * requested one (column 0 for a whole line) on an original line; for a column
 * past the last mapping on the line, the last mapping before it.
 * Positions are trace-mapping's: 1-based lines, 0-based columns.
 */
function firstGeneratedPosition(map: TraceMap, source: string, line: number, column: number | undefined): { line: number; column: number } | undefined {
  const needle = { source, line, column: column === undefined ? 0 : column - 1 };
  let positions = allGeneratedPositionsFor(map, { ...needle, bias: LEAST_UPPER_BOUND });
  if (positions.length === 0 && column !== undefined) positions = allGeneratedPositionsFor(map, { ...needle, bias: GREATEST_LOWER_BOUND });
  let best: { line: number; column: number } | undefined;
  for (const p of positions) {
    if (p.line === null || p.column === null) continue;
    if (!best || p.line < best.line || (p.line === best.line && p.column < best.column)) best = { line: p.line, column: p.column };
  }
  return best;
}

function skipIndentation(text: string, column0: number): number {
  let at = column0;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at < text.length ? at : column0;
}

function startsWithComment(text: string | undefined): boolean {
  return text !== undefined && (text.startsWith('//') || text.startsWith('/*'));
}

/** The hash of the original as deployed: its sourcesContent, else its file on disk. */
function originalHash(index: ScriptIndex, map: TraceMap, original: OriginalSource): { sha256: string; note?: string } {
  const content = map.sourcesContent?.[original.index];
  if (typeof content === 'string') return { sha256: sha256Hex(content) };
  if (original.resolved.startsWith('file:')) {
    const read = index.files.read(toDisplayPath(original.resolved), index.settings.maxScriptBytes);
    if (read.ok) return { sha256: sha256Hex(read.bytes) };
    return { sha256: '', note: `the deployed original is not readable (${read.message}), so no content hash was taken` };
  }
  return { sha256: '', note: `the source map has no content for ${original.resolved} and it is not a local file, so no content hash was taken` };
}

function placed(position: ScriptPosition, originalPath: string, sha256: string, note?: string, file?: LoadedFile): Placement {
  return { ok: true, position, originalPath, sha256, ...(note === undefined ? {} : { note }), ...(file ? { file } : {}) };
}

function noCode(message: string): Placement {
  return { ok: false, problem: { code: LocationErrorCode.NO_CODE_ON_LINE, message } };
}

function movedNote(asked: number, actual: number): string {
  return `line ${asked} has no code; the probe is on line ${actual}, the next line with code`;
}

function noCodeMessage(path: string, line: number, window: number): string {
  return window > 0 ? `${path} has no code on line ${line} nor on the ${window} lines after it` : `${path} has no code on line ${line}`;
}

function describe(match: Match): string {
  return match.original ? toDisplayPath(match.original.resolved) : toDisplayPath(toFileUrl(match.script.record.url));
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function failure(code: string, message: string, candidates: string[]): Resolution {
  return { ok: false, code, message, candidates };
}
