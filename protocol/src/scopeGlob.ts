import { posix } from 'node:path';

/**
 * One rule for both sides: the broker refuses out-of-scope probes early with
 * a clear message, and the agent's check (the one that counts) uses the same
 * code, so they can never disagree.
 *
 * Grant scopes are globs over the developer's paths: `src/orders/**`,
 * `src/*.ts`, `**\/handler.ts`. A glob matches when it matches the whole
 * path or a tail of it that starts at a segment boundary, so `src/**` covers
 * `/home/dev/shop/src/a.ts` and `src/a.ts` alike, but never `mysrc/a.ts`.
 * `*` and `?` stay inside one segment; `**` spans segments.
 */
/**
 * File globs one grant may name at most. The broker refuses more; the
 * extension's keyhole.grants.maxFilesPerRequest setting cannot exceed it.
 */
export const MAX_GRANT_SCOPE_GLOBS = 32;

export function compileScopeGlob(glob: string): RegExp {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re}$`);
}

/** Normalises a developer path; refuses traversal that would escape a scope. */
export function normaliseProbePath(path: string): string | undefined {
  const p = posix.normalize(path.replace(/\\/g, '/'));
  if (p.split('/').includes('..')) return undefined;
  return p;
}

export function inScope(path: string, globs: readonly string[]): boolean {
  const p = normaliseProbePath(path);
  if (p === undefined) return false;
  return globs.some((g) => compileScopeGlob(g).test(p));
}
