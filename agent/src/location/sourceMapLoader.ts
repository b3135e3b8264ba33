import { fileURLToPath } from 'node:url';
import { AnyMap, type TraceMap } from '@jridgewell/trace-mapping';
import { LocationErrorCode, type LocationProblem } from './errors';
import { type FileAccess } from './fileAccess';
import { type LocationSettings } from './settings';

/** The outcome of looking for a script's source map: none, a parsed map, or why it failed. */
export type SourceMapLoad =
  | { readonly kind: 'none' }
  | { readonly kind: 'loaded'; readonly map: TraceMap }
  | { readonly kind: 'failed'; readonly problem: LocationProblem };

const COMMENT_LINE = /^[ \t]*\/\/[#@][ \t]+sourceMappingURL=([^\s'"`]+)[ \t]*$/;

/**
 * The source map URL of a script: the one V8 reported, else the
 * `//# sourceMappingURL=` comment among the script file's last lines.
 */
export function findSourceMapUrl(scriptPath: string, reported: string | undefined, files: FileAccess, settings: LocationSettings): string | undefined {
  if (reported) return reported;
  const tail = files.readTail(scriptPath, settings.sourceMapCommentTailBytes);
  if (!tail) return undefined;
  let text = tail.bytes.toString('utf8');
  // The last line began before the tail (an inline map is one long line): read back to its start, within the map limit.
  if (tail.bytes.length < tail.size && !text.trimEnd().includes('\n')) {
    const longer = files.readTail(scriptPath, Math.ceil((settings.maxSourceMapBytes * 4) / 3) + settings.sourceMapCommentTailBytes);
    if (!longer) return undefined;
    text = longer.bytes.toString('utf8');
  }
  const lines = text.split(/\r?\n/);
  // Only trailing lines count: the comment sits at the end, possibly followed by blank lines or other comments.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    const match = COMMENT_LINE.exec(line);
    if (match) return match[1];
    if (line.trim() !== '' && !line.trimStart().startsWith('//')) return undefined;
  }
  return undefined;
}

/**
 * Reads and parses a source map. `scriptUrl` is the script's file: URL;
 * a relative map URL and the map's sources resolve against it (for inline
 * maps) or against the map file (for map files), as browsers and V8 do.
 */
export function loadSourceMap(scriptUrl: string, sourceMapUrl: string, files: FileAccess, settings: LocationSettings): SourceMapLoad {
  if (sourceMapUrl.startsWith('data:')) {
    const decoded = decodeDataUrl(sourceMapUrl, settings.maxSourceMapBytes);
    if (decoded.kind === 'failed') return decoded;
    return parseSourceMap(decoded.text, scriptUrl, 'inline source map');
  }
  let mapUrl: URL;
  try {
    mapUrl = new URL(sourceMapUrl, scriptUrl);
  } catch {
    return failed(LocationErrorCode.SOURCEMAP_INVALID, `source map URL "${sourceMapUrl}" of ${scriptUrl} is not a URL`);
  }
  if (mapUrl.protocol !== 'file:') {
    return failed(LocationErrorCode.SOURCEMAP_UNREADABLE, `source map ${mapUrl.href} is not a file on this machine`);
  }
  let mapPath: string;
  try {
    mapPath = fileURLToPath(mapUrl);
  } catch {
    return failed(LocationErrorCode.SOURCEMAP_UNREADABLE, `source map ${mapUrl.href} is not a local file`);
  }
  const read = files.read(mapPath, settings.maxSourceMapBytes);
  if (!read.ok) {
    return read.reason === 'too-large'
      ? failed(LocationErrorCode.SOURCEMAP_TOO_LARGE, `source map ${mapPath} is ${read.size} bytes, more than maxSourceMapBytes (${settings.maxSourceMapBytes})`)
      : failed(LocationErrorCode.SOURCEMAP_UNREADABLE, `cannot read source map ${mapPath}`);
  }
  return parseSourceMap(read.bytes.toString('utf8'), mapUrl.href, mapPath);
}

/**
 * data: URLs as tools write them: `data:application/json;base64,...`,
 * with `;charset=utf-8` (or webpack's old `;charset:utf-8`), or percent-encoded JSON without `;base64`.
 */
function decodeDataUrl(url: string, maxBytes: number): { kind: 'text'; text: string } | { kind: 'failed'; problem: LocationProblem } {
  const comma = url.indexOf(',');
  if (comma < 0) return failed(LocationErrorCode.SOURCEMAP_INVALID, 'inline source map data: URL has no comma');
  const params = url.slice('data:'.length, comma).split(';').map((p) => p.trim().toLowerCase());
  const payload = url.slice(comma + 1);
  const isBase64 = params.includes('base64');
  const approxBytes = isBase64 ? Math.floor((payload.length * 3) / 4) : payload.length;
  if (approxBytes > maxBytes) {
    return failed(LocationErrorCode.SOURCEMAP_TOO_LARGE, `inline source map is about ${approxBytes} bytes, more than maxSourceMapBytes (${maxBytes})`);
  }
  if (isBase64) {
    if (!/^[A-Za-z0-9+/=_-]*$/.test(payload.trim())) return failed(LocationErrorCode.SOURCEMAP_INVALID, 'inline source map is not valid base64');
    return { kind: 'text', text: Buffer.from(payload, 'base64').toString('utf8') };
  }
  try {
    return { kind: 'text', text: decodeURIComponent(payload) };
  } catch {
    return failed(LocationErrorCode.SOURCEMAP_INVALID, 'inline source map has a malformed percent-encoding');
  }
}

/** Parses and checks a source map; `mapUrl` is what its sources are relative to. */
export function parseSourceMap(text: string, mapUrl: string, where: string): SourceMapLoad {
  let json: unknown;
  try {
    // The spec allows a `)]}'` first line that keeps the JSON from being run as script.
    json = JSON.parse(text.startsWith(")]}'") ? text.slice(text.indexOf('\n') + 1) : text);
  } catch (e) {
    return failed(LocationErrorCode.SOURCEMAP_INVALID, `${where} is not JSON: ${(e as Error).message}`);
  }
  const shapeProblem = checkShape(json);
  if (shapeProblem) return failed(LocationErrorCode.SOURCEMAP_INVALID, `${where} is not a version 3 source map: ${shapeProblem}`);
  try {
    // AnyMap also flattens index maps (`sections`); plain maps become a TraceMap with lazily decoded mappings.
    return { kind: 'loaded', map: new AnyMap(json as ConstructorParameters<typeof AnyMap>[0], mapUrl) };
  } catch (e) {
    return failed(LocationErrorCode.SOURCEMAP_INVALID, `${where} cannot be read: ${(e as Error).message}`);
  }
}

/** What trace-mapping would accept silently but decode into nonsense. */
function checkShape(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return 'not an object';
  const map = json as Record<string, unknown>;
  if (map['version'] !== 3) return `version is ${JSON.stringify(map['version'])}`;
  if (Array.isArray(map['sections'])) {
    for (const section of map['sections'] as unknown[]) {
      const inner = (section as Record<string, unknown> | null)?.['map'];
      const problem = checkShape(inner);
      if (problem) return `section: ${problem}`;
    }
    return undefined;
  }
  const sources = map['sources'];
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' || s === null)) return '"sources" is not a list of strings';
  const mappings = map['mappings'];
  if (typeof mappings !== 'string') return '"mappings" is not a string';
  if (!/^[A-Za-z0-9+/,;]*$/.test(mappings)) return '"mappings" holds characters that are not base64 VLQ';
  const content = map['sourcesContent'];
  if (content !== undefined && content !== null && !Array.isArray(content)) return '"sourcesContent" is not a list';
  return undefined;
}

function failed(code: LocationErrorCode, message: string): { kind: 'failed'; problem: LocationProblem } {
  return { kind: 'failed', problem: { code, message } };
}
