/**
 * Grant scope globs, matched the way the agent matches them
 * (agent/src/grants/scopeGlob.ts; the broker may not import the agent, so
 * the rule is mirrored here and both test the same cases; it belongs in
 * @keyhole/protocol). The broker's check only refuses early with a clear
 * message; the agent's check is the one that counts.
 *
 * A glob matches the whole path or a tail of it that starts at a segment
 * boundary: `src/**` covers `/home/dev/shop/src/a.ts` and `src/a.ts`, never
 * `mysrc/a.ts`. `*` and `?` stay inside one segment; `**` spans segments.
 */
import { posix } from 'node:path';

export function compileScopeGlob(glob: string): RegExp {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
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

/** Normalises a developer path; undefined when it climbs out with `..`. */
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
