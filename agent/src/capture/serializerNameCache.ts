/**
 * Property and variable names that the redactor left unchanged, remembered
 * across captures. Names repeat from one snapshot to the next (`req`, `id`,
 * `headers` …), and masking each of them again is a large share of a
 * capture's cost. Names are identifiers, not secrets, but their content can
 * be personal data (an object keyed by email addresses), so only names whose
 * masking changed nothing are kept here; a name that masking changed is
 * cached for its capture only (SerializeContext.nameCache). The redactor's
 * verdict is a function of its policy, so each redactor has its own cache,
 * which goes when the redactor goes (a WeakMap keyed by it).
 */
import type { Redactor } from '../redact/redactor';
import { weakMapGet, weakMapSet } from './intrinsics';

/** Names remembered per redactor; when full, the cache starts afresh. Default 4096. */
export const CLEAN_NAME_CACHE_ENTRIES = 4096;
/** Longer names are not remembered across captures (they are rare and would bloat the cache). Default 64. */
export const CLEAN_NAME_MAX_LENGTH = 64;

/** A property name after masking. */
export interface MaskedName {
  readonly text: string;
  readonly masked: readonly string[];
  /** The sensitive kind the name denotes (redactor.sensitiveName), if any. */
  readonly sensitive: string | undefined;
}

export interface CleanNameCache {
  /** Null prototype, so a name such as `__proto__` or `constructor` is an ordinary key. */
  entries: Record<string, MaskedName>;
  size: number;
}

const byRedactor = new WeakMap<Redactor, CleanNameCache>();

function emptyEntries(): Record<string, MaskedName> {
  return Object.create(null) as Record<string, MaskedName>;
}

/** The cache of names `redactor` left unchanged, made on first use. */
export function cleanNamesOf(redactor: Redactor): CleanNameCache {
  let cache = weakMapGet(byRedactor, redactor);
  if (cache === undefined) {
    cache = { entries: emptyEntries(), size: 0 };
    weakMapSet(byRedactor, redactor, cache);
  }
  return cache;
}

/** The remembered result for `name`, if masking it changed nothing before. */
export function cleanName(cache: CleanNameCache, name: string): MaskedName | undefined {
  return name.length <= CLEAN_NAME_MAX_LENGTH ? cache.entries[name] : undefined;
}

/**
 * Remembers `entry` for `name` when masking left the name as it was (same
 * text, nothing masked) and the sensitivity verdict was a real one (not a
 * failure). Anything else is not remembered; returns whether it was.
 */
export function rememberIfClean(cache: CleanNameCache, name: string, entry: MaskedName, verdictFailed: boolean): boolean {
  if (verdictFailed || entry.masked.length !== 0 || entry.text !== name || name.length > CLEAN_NAME_MAX_LENGTH) return false;
  if (cache.size >= CLEAN_NAME_CACHE_ENTRIES) {
    cache.entries = emptyEntries();
    cache.size = 0;
  }
  if (cache.entries[name] === undefined) cache.size++;
  cache.entries[name] = entry;
  return true;
}
