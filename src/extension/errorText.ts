// One readable line for any failure the extension shows: the KH_/broker code,
// what happened and, when the broker gave one, what to do next. No vscode.

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; hint?: unknown };
    const code = typeof e.code === 'string' && e.code ? `${e.code}: ` : '';
    const hint = typeof e.hint === 'string' && e.hint ? ` (${e.hint})` : '';
    return `${code}${e.message}${hint}`;
  }
  return String(err);
}
