import { LruCache } from './lruCache';
import { isFileScriptUrl } from './paths';

/**
 * The URL of each script a captured stack frame may be in, by V8 script id,
 * for the scripts the script index does not hold: V8 leaves CallFrame.url
 * empty, so a frame's path comes from scriptParsed. Scripts parsed while the
 * debugger is on are reported one by one for as long as a probe is
 * installed, so nothing here may grow with traffic:
 *  - no URL (`eval`, `new Function`, one per call in a template engine):
 *    nothing to remember, a frame there has no path either way;
 *  - files: the script index holds them (those it drops, addDropped, go
 *    with the rest);
 *  - Node's own modules (`node:…`): at most as many as Node has;
 *  - the rest (a `vm` script per request is `evalmachine.<anonymous>`):
 *    the most recent `maxOtherScripts`, and a frame in an older one shows
 *    no path.
 */
export class FrameScriptUrls {
  private readonly builtins = new Map<string, string>();
  private readonly others: LruCache<string, string>;

  constructor(maxOtherScripts: number) {
    this.others = new LruCache(maxOtherScripts);
  }

  add(scriptId: string, url: string): void {
    if (!url || isFileScriptUrl(url)) return;
    if (url.startsWith('node:')) this.builtins.set(scriptId, url);
    else this.others.set(scriptId, url);
  }

  /** A file script the script index no longer holds (ScriptIndex.add dropped it): kept like the rest. */
  addDropped(scriptId: string, url: string): void {
    this.others.set(scriptId, url);
  }

  get(scriptId: string): string | undefined {
    return this.builtins.get(scriptId) ?? this.others.get(scriptId);
  }

  /** Entries held, for tests. */
  get size(): number {
    return this.builtins.size + this.others.size;
  }

  clear(): void {
    this.builtins.clear();
    this.others.clear();
  }
}
