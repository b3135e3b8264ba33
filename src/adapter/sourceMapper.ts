// Paths between the developer's workspace and the deployed service. With a
// remoteRoot the mapping is a prefix swap; without one, probes carry the
// workspace-relative path (the agent matches loaded scripts by suffix) and
// captured paths are matched back by their longest suffix that exists in
// the workspace.
import * as path from 'node:path';
import { type IFileAccessor } from './snapshotSource';

const toPosix = (p: string) => p.split(path.sep).join('/');

export class SourceMapper {
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    private readonly localRoot: string,
    private readonly remoteRoot: string,
    private readonly files: IFileAccessor,
  ) {}

  /** The path a probe on this workspace file carries. */
  toProbePath(localPath: string): string {
    const rel = path.relative(this.localRoot, localPath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return toPosix(localPath);
    if (this.remoteRoot) return path.posix.join(this.remoteRoot, toPosix(rel));
    return toPosix(rel);
  }

  /** The workspace file a captured path refers to, or undefined when none is found. */
  toLocal(remote: string): string | undefined {
    if (this.cache.has(remote)) return this.cache.get(remote);
    const found = this.find(remote);
    this.cache.set(remote, found);
    return found;
  }

  private find(remote: string): string | undefined {
    let p = remote;
    if (p.startsWith('file://')) {
      try {
        p = decodeURIComponent(new URL(p).pathname);
      } catch {
        return undefined;
      }
    }
    if (/^[a-z]+:/i.test(p) && !/^[a-z]:[\\/]/i.test(p)) return undefined; // node:internal, webpack:// ...
    if (this.remoteRoot && (p === this.remoteRoot || p.startsWith(this.remoteRoot.replace(/\/+$/, '') + '/'))) {
      const local = path.join(this.localRoot, p.slice(this.remoteRoot.replace(/\/+$/, '').length));
      return this.files.isFile(local) ? local : undefined;
    }
    if (path.isAbsolute(p) && p.startsWith(this.localRoot + path.sep) && this.files.isFile(p)) return p;
    const parts = p.split(/[\\/]+/).filter((s) => s !== '');
    for (let i = 0; i < parts.length; i++) {
      const candidate = path.join(this.localRoot, ...parts.slice(i));
      if (this.files.isFile(candidate)) return candidate;
    }
    return undefined;
  }
}
