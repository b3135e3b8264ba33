import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Path normalisation for suffix matching. Paths arrive in many spellings:
 * V8 script URLs (`file:///srv/app/dist/a.js`), plain absolute paths, the
 * developer's workspace path (`src\orders\handler.ts` on Windows), and source
 * map sources (`webpack://app/./src/a.ts?1234`, percent-encoded URLs). All of
 * them become a list of path segments compared from the end, so the
 * developer's `/home/dev/shop/src/a.ts` matches the deployed
 * `/srv/app/src/a.ts` on `src/a.ts`.
 */

const URL_WITH_AUTHORITY = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const WINDOWS_ABSOLUTE = /^[a-zA-Z]:[\\/]/;
const DRIVE_SEGMENT = /^[a-zA-Z]:$/;

/** The segments of a path or URL, with `.`, `..`, empty segments, query and fragment removed. */
export function pathSegments(input: string): string[] {
  let text = input.trim();
  let isUrl = false;
  const scheme = URL_WITH_AUTHORITY.exec(text);
  if (scheme) {
    isUrl = true;
    text = text.slice(scheme[0].length);
    const cut = text.search(/[?#]/);
    if (cut >= 0) text = text.slice(0, cut);
  }
  const out: string[] = [];
  for (const raw of text.replace(/\\/g, '/').split('/')) {
    let segment = raw;
    if (isUrl && segment.includes('%')) segment = safeDecode(segment);
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
      continue;
    }
    // Drive letters differ in case between tools (c: vs C:); the rest of a path is compared exactly.
    out.push(DRIVE_SEGMENT.test(segment) ? segment.toLowerCase() : segment);
  }
  return out;
}

/**
 * The last segment of `pathSegments(input)`, without splitting the whole path
 * when the input needs no normalising (the common case for V8 script URLs).
 */
export function lastSegment(input: string): string | undefined {
  const slash = input.lastIndexOf('/');
  const name = input.slice(slash + 1);
  if (slash >= 0 && name !== '' && name !== '.' && name !== '..' && !/[%\\:]/.test(name) && !/[?#]|^\s|\s$/.test(input)) return name;
  const segments = pathSegments(input);
  return segments[segments.length - 1];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a literal % that is not an escape
  }
}

/** How many segments, counted from the end, two paths share. */
export function commonSuffixLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** `handler.ts` -> `handler`, `a.test.js` -> `a.test`, `Makefile` -> `Makefile`. */
export function stemOf(basename: string): string {
  const dot = basename.lastIndexOf('.');
  return dot > 0 ? basename.slice(0, dot) : basename;
}

/**
 * Whether a script URL from V8 names a file this agent can match and read.
 * Node internals (`node:internal/...`, `node:fs`), eval'd code (empty URL,
 * `evalmachine.<anonymous>`), data: and http: URLs are not files.
 */
export function isFileScriptUrl(url: string): boolean {
  if (url.startsWith('file://')) return true;
  if (url.startsWith('/') || url.startsWith('\\\\')) return true;
  return WINDOWS_ABSOLUTE.test(url);
}

/** The file: URL of a script URL V8 reported either as a URL or as a plain absolute path. */
export function toFileUrl(scriptUrl: string): string {
  return scriptUrl.startsWith('file://') ? scriptUrl : pathToFileURL(scriptUrl).href;
}

/** A file: URL as a path of this machine; anything else (webpack://...) unchanged. */
export function toDisplayPath(urlOrPath: string): string {
  if (!urlOrPath.startsWith('file:')) return urlOrPath;
  try {
    return fileURLToPath(urlOrPath);
  } catch {
    return '/' + pathSegments(urlOrPath).join('/');
  }
}
