/**
 * The call stack as structured frames, taken without a pause through V8's
 * CallSite API (Error.captureStackTrace with a temporary
 * Error.prepareStackTrace), for the pause-free capture.
 */
import { pathToFileURL } from 'node:url';

export interface StackEntry {
  readonly functionName: string;
  /** The script's url as the Debugger reports it (file:// for files on disk). */
  readonly url: string;
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

export interface TakenStack {
  readonly entries: StackEntry[];
  /** True when frames beyond maxFrames were left out. */
  readonly more: boolean;
  /** Set when the stack could not be taken (a frozen Error, a throwing hook). */
  readonly error?: string;
}

interface CallSiteLike {
  getFunctionName(): string | null;
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

const captureStackTrace = Error.captureStackTrace;
const asStructured = (_: Error, sites: CallSiteLike[]): CallSiteLike[] => sites;
/** Frames of the breakpoint condition itself sit above the host's; more than this and something else is wrong. */
const MAX_CONDITION_FRAMES = 4;

/**
 * The frames below `above` (which is left out with everything it called),
 * skipping the condition's own url-less eval frames. The host's
 * Error.prepareStackTrace and Error.stackTraceLimit are restored before this
 * returns.
 */
export function takeStack(above: (...args: never[]) => unknown, maxFrames: number): TakenStack {
  const taken = hostSites(above, maxFrames + 1);
  if (!Array.isArray(taken)) return { entries: [], more: false, error: taken.error };
  return { entries: taken.slice(0, maxFrames).map(entryOf), more: taken.length > maxFrames };
}

/**
 * Whether more than `maxFrames` of the host's frames are below `above`:
 * counted through CallSites, none of them formatted, so the cost grows with
 * `maxFrames`, not with the stack. False when the stack cannot be read.
 */
export function stackDeeperThan(above: (...args: never[]) => unknown, maxFrames: number): boolean {
  const taken = hostSites(above, maxFrames + 1);
  return Array.isArray(taken) && taken.length > maxFrames;
}

/** At most `limit` of the host's CallSites below `above`, or why they could not be read. */
function hostSites(above: (...args: never[]) => unknown, limit: number): CallSiteLike[] | { error: string } {
  const E = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const hostPrepare = E.prepareStackTrace;
  const hostLimit = E.stackTraceLimit;
  let sites: CallSiteLike[];
  try {
    E.prepareStackTrace = asStructured;
    E.stackTraceLimit = limit + MAX_CONDITION_FRAMES;
    const holder: { stack?: unknown } = {};
    captureStackTrace(holder, above);
    const stack = holder.stack; // formatted now, while our hook is in place
    sites = Array.isArray(stack) ? (stack as CallSiteLike[]) : [];
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    try {
      E.prepareStackTrace = hostPrepare;
      E.stackTraceLimit = hostLimit;
    } catch {
      // A frozen Error: nothing was changed.
    }
  }
  let first = 0;
  while (first < sites.length && first < MAX_CONDITION_FRAMES && !sites[first]!.getFileName()) first++;
  return sites.slice(first, first + limit);
}

/** File names whose url is remembered: pathToFileURL costs microseconds per frame, and stacks repeat. Default 256. */
export const MAX_CACHED_FILE_URLS = 256;
const fileUrls = new Map<string, string>();

function urlOf(file: string): string {
  if (!file.startsWith('/')) return file;
  let url = fileUrls.get(file);
  if (url === undefined) {
    url = pathToFileURL(file).href;
    if (fileUrls.size >= MAX_CACHED_FILE_URLS) fileUrls.clear();
    fileUrls.set(file, url);
  }
  return url;
}

function entryOf(site: CallSiteLike): StackEntry {
  const file = site.getFileName() ?? '';
  return {
    functionName: site.getFunctionName() || '(anonymous)',
    url: urlOf(file),
    line: site.getLineNumber() ?? 0,
    column: site.getColumnNumber() ?? 0,
  };
}
