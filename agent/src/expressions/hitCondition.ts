export type HitConditionResult =
  | { readonly ok: true; test(hitCount: number): boolean }
  | { readonly ok: false; readonly code: 'KH_HIT_CONDITION'; readonly message: string };

/** `[operator] count`, the forms VS Code's JavaScript debugger accepts; no operator means `==`. */
const HIT_CONDITION = /^(==?=?|>=?|<=?|%)?\s*(\d+)$/;

/**
 * Parses a DAP `hitCondition` into a predicate on the 1-based hit count:
 * `5` or `== 5` (the fifth hit only), `> 5`, `>= 5`, `< 5`, `<= 5`, and
 * `% 3` (every third hit: 3, 6, 9 …).
 */
export function parseHitCondition(text: string): HitConditionResult {
  const trimmed = text.trim();
  const match = HIT_CONDITION.exec(trimmed);
  const refused = (why: string): HitConditionResult => ({
    ok: false,
    code: 'KH_HIT_CONDITION',
    message: `hit condition ${JSON.stringify(text)} ${why}`,
  });
  if (match === null) return refused('is not understood; write a count with an optional operator: "5", "== 5", ">= 5", "> 5", "< 5", "<= 5" or "% 3"');
  const operator = match[1] ?? '==';
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count)) return refused('has a count that is too large');
  switch (operator) {
    case '=':
    case '==':
    case '===':
      return { ok: true, test: (hits) => hits === count };
    case '>':
      return { ok: true, test: (hits) => hits > count };
    case '>=':
      return { ok: true, test: (hits) => hits >= count };
    case '<':
      return { ok: true, test: (hits) => hits < count };
    case '<=':
      return { ok: true, test: (hits) => hits <= count };
    default:
      if (count === 0) return refused('cannot take every 0th hit');
      return { ok: true, test: (hits) => hits % count === 0 };
  }
}
