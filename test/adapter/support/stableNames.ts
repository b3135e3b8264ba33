// Replaces the volatile parts of a transcript (ids, times, ports, hashes) by
// stable, numbered names, so that two runs of one scenario print the same text.

/** Characters of a base64url id; ids may start or end with '-' or '_', where \b does not hold. */
const ID_CHARS = 'A-Za-z0-9_-';
const idPattern = (prefix: string) => new RegExp(`(?<![${ID_CHARS}])${prefix}_[${ID_CHARS}]{12}(?![${ID_CHARS}])`, 'g');

export class StableNames {
  private readonly names = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** literals: strings to replace first, e.g. [tempDir, '<tmp>']. */
  constructor(private readonly literals: readonly (readonly [string, string])[] = []) {}

  normalise(text: string): string {
    let t = text;
    for (const [lit, name] of this.literals) t = t.split(lit).join(name);
    const stable = (kind: string, raw: string) => {
      const key = `${kind}:${raw}`;
      let n = this.names.get(key);
      if (!n) {
        const c = (this.counters.get(kind) ?? 0) + 1;
        this.counters.set(kind, c);
        n = `<${kind}-${c}>`;
        this.names.set(key, n);
      }
      return n;
    };
    t = t.replace(idPattern('g'), (m) => stable('grant', m));
    t = t.replace(idPattern('p'), (m) => stable('probe', m));
    t = t.replace(/\b[0-9a-f]{16}\b/g, (m) => stable('snapshot', m));
    t = t.replace(/\b[0-9a-f]{32}\b/g, (m) => stable('trace', m));
    t = t.replace(/\b[0-9a-f]{12}…/g, () => '<sha256>…');
    t = t.replace(/stream closed \(\d+[^)]*\)/g, 'stream closed (<close code>)');
    t = t.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
    t = t.replace(/\d\d:\d\d:\d\d\.\d\d\d/g, '<time>');
    t = t.replace(/"capturedAtMs": \d+(\.\d+)?/g, '"capturedAtMs": <ms>');
    return t;
  }
}
