// Small statistics for side-by-side benchmark tables: the median of per-round
// ratios, with the spread (min..max) printed beside it so noise stays visible.
/** The median; with an even count, the mean of the two middle values (peer.mjs's median takes the upper one). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const min = (xs) => Math.min(...xs);
export const max = (xs) => Math.max(...xs);

/** "0.998 (0.991..1.004)": median with its range, at `digits` decimals. */
export function spread(xs, digits = 3) {
  if (!xs.length) return '-';
  return `${median(xs).toFixed(digits)} (${min(xs).toFixed(digits)}..${max(xs).toFixed(digits)})`;
}

/** Per-round ratios a[i] / b[i], skipping rounds where either side is missing. */
export function pairedRatios(a, b) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] > 0 && b[i] > 0) out.push(a[i] / b[i]);
  return out;
}

/** Human figure: 3 significant digits without exponent noise. */
export function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toString();
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Markdown table from a header row and rows of cells. */
export function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** "PASS"/"MISS by x" against a floor goal for a ratio where higher is better. */
export function verdict(ratio, goal) {
  return ratio >= goal ? 'meets' : `misses by ${((goal - ratio) * 100).toFixed(1)} pts`;
}
