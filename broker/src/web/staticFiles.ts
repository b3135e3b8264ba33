/**
 * The page's files, served from broker/src/web/static (resolved from the
 * compiled file, so `dist/web/*.js` finds `src/web/static`; tsc does not
 * copy assets and the package ships `src/web/static`). Only the files that
 * are there when the broker starts are served, read once into memory: no
 * path from the request ever reaches the file system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export const STATIC_DIR = join(__dirname, '..', '..', 'src', 'web', 'static');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export interface StaticFile {
  readonly type: string;
  readonly bytes: Buffer;
}

/** File name to contents, for every .html, .css and .js file in `dir`. */
export function loadStaticFiles(dir: string = STATIC_DIR): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name)) files.set(name, { type, bytes: readFileSync(join(dir, name)) });
  }
  return files;
}
