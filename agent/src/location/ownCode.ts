import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The agent never probes its own code, nor the wire contract it encodes
 * with: their variables hold what a snapshot is made of before it is masked
 * (a value masked because of its name, `password`, is a plain string inside
 * the serializer), and the agent's token and trust keys. A grant whose glob
 * happens to cover them (`**`) must not open that door, and a probe there
 * would also capture from inside a capture.
 */
const OWN_ROOTS: readonly string[] = ownRoots();

function ownRoots(): string[] {
  // This file is <agent package>/dist/location/ownCode.js.
  const roots = [resolve(__dirname, '..', '..')];
  try {
    roots.push(dirname(require.resolve('@keyhole/protocol/package.json')));
  } catch {
    // Not resolvable from here (a bundled agent): its code is inside the agent's own file then.
  }
  return roots.map((root) => {
    try {
      return realpathSync(root);
    } catch {
      return root;
    }
  });
}

/** True when a loaded script (a file:// URL or an absolute path, as V8 reports it) is the agent's or the protocol's. */
export function isOwnCode(scriptUrl: string): boolean {
  let path: string;
  try {
    path = scriptUrl.startsWith('file:') ? fileURLToPath(scriptUrl) : scriptUrl;
  } catch {
    return false;
  }
  if (!isAbsolute(path)) return false;
  return OWN_ROOTS.some((root) => path === root || path.startsWith(join(root, sep)));
}
