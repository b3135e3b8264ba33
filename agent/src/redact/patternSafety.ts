/**
 * Ops' extra value patterns run inside production processes, and a JavaScript
 * regex cannot be interrupted once it runs. So instead of hoping for the
 * time budget, patterns are restricted to a syntax whose work is bounded:
 *
 * - no unbounded repetition (`*`, `+`, `{n,}`): write `{1,64}` instead. With
 *   every repetition bounded, one match attempt reads at most a fixed number
 *   of characters, so a scan is linear in the text;
 * - the product of all repetition ranges (max − min + 1; `?` counts 2) is at
 *   most MAX_BACKTRACK_PRODUCT, which bounds how many ways one attempt can
 *   backtrack;
 * - no repetition (beyond an optional `?`) of a group that itself repeats or
 *   alternates (nested quantifiers, ambiguous alternation under a quantifier);
 * - no backreferences and no lookaround (they are what makes regex matching
 *   non-regular);
 * - unknown escapes and bare `{` `}` are refused instead of guessed at;
 * - a pattern that matches the empty string is refused (it would mask nothing
 *   and spin).
 *
 * Why not the `re2` package: it is a native addon built with node-gyp at
 * install (no prebuilt binary can be downloaded here: about three minutes of
 * compilation on a 2-core machine and 23 packages including node-gyp), and
 * the agent loads into production processes, where a native addon is a real
 * operational cost. `safe-regex2` only measures star height, which would
 * still admit `\d+\d+\d+x` (polynomial backtracking) and any unbounded scan.
 */

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 256;
/** Largest repetition bound, `{n,m}` with m at most this. */
export const MAX_REPEAT = 256;
/** Largest product of repetition ranges in one pattern. */
export const MAX_BACKTRACK_PRODUCT = 1024;

interface GroupState {
  hasQuantifier: boolean;
  hasAlternation: boolean;
  empty: boolean;
}

class PatternError extends Error {}

/** A problem with the pattern in words ops can act on, or undefined when it is accepted. */
export function checkPatternSafety(pattern: string): string | undefined {
  if (pattern.length === 0) return 'the pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new PatternChecker(pattern).check();
  } catch (e) {
    if (e instanceof PatternError) return e.message;
    throw e;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  if (re.test('')) return 'the pattern matches the empty string';
  return undefined;
}

const ESCAPES_OUTSIDE = 'dDwWsSbBtnrfv';
const ESCAPES_INSIDE = 'dDwWsStnrfvb';

class PatternChecker {
  private i = 0;
  private product = 1;

  constructor(private readonly p: string) {}

  check(): void {
    this.alternation();
    if (this.i < this.p.length) throw new PatternError(`unbalanced ")" at position ${this.i}`);
  }

  private fail(what: string): never {
    throw new PatternError(`${what} at position ${this.i} is not allowed`);
  }

  /** alternatives separated by |, up to ) or the end */
  private alternation(): GroupState {
    const state: GroupState = { hasQuantifier: false, hasAlternation: false, empty: true };
    for (;;) {
      this.sequence(state);
      if (this.p[this.i] !== '|') return state;
      state.hasAlternation = true;
      this.i++;
    }
  }

  private sequence(state: GroupState): void {
    while (this.i < this.p.length) {
      const c = this.p[this.i]!;
      if (c === '|' || c === ')') return;
      const atom = this.atom();
      state.empty = false;
      if (atom.quantifiable && this.quantifier(atom.inner)) state.hasQuantifier = true;
      if (atom.inner?.hasQuantifier) state.hasQuantifier = true;
      if (atom.inner?.hasAlternation) state.hasAlternation = true;
    }
  }

  private atom(): { quantifiable: boolean; inner?: GroupState } {
    const c = this.p[this.i]!;
    if (c === '(') return { quantifiable: true, inner: this.group() };
    if (c === '[') {
      this.charClass();
      return { quantifiable: true };
    }
    if (c === '\\') {
      const quantifiable = this.escape(ESCAPES_OUTSIDE);
      return { quantifiable };
    }
    if (c === '^' || c === '$') {
      this.i++;
      return { quantifiable: false };
    }
    if (c === '*' || c === '+' || c === '?') this.fail(`a quantifier "${c}" with nothing to repeat`);
    if (c === '{' || c === '}') this.fail(`a bare "${c}" (escape it as \\${c})`);
    if (c === ']') this.fail('a bare "]" (escape it as \\])');
    this.i++;
    return { quantifiable: true };
  }

  private group(): GroupState {
    this.i++; // (
    if (this.p[this.i] === '?') {
      const next = this.p[this.i + 1];
      if (next === ':') this.i += 2;
      else if (next === '<' && /[A-Za-z_]/.test(this.p[this.i + 2] ?? '')) {
        const close = this.p.indexOf('>', this.i);
        if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.p.slice(this.i + 2, close))) this.fail('a malformed group name');
        this.i = close + 1;
      } else this.fail('lookaround (?=, (?!, (?<=, (?<! or another (? group');
    }
    const inner = this.alternation();
    if (this.p[this.i] !== ')') this.fail('an unclosed "("');
    this.i++;
    return inner;
  }

  private charClass(): void {
    this.i++; // [
    if (this.p[this.i] === '^') this.i++;
    if (this.p[this.i] === ']') this.fail('an empty character class');
    while (this.i < this.p.length && this.p[this.i] !== ']') {
      if (this.p[this.i] === '\\') this.escape(ESCAPES_INSIDE);
      else this.i++;
    }
    if (this.p[this.i] !== ']') this.fail('an unclosed "["');
    this.i++;
  }

  /** Reads an escape; returns whether it can be repeated (\b and \B cannot). */
  private escape(allowedLetters: string): boolean {
    const c = this.p[this.i + 1];
    if (c === undefined) this.fail('a trailing backslash');
    if (c >= '1' && c <= '9') this.fail('a backreference');
    if (c === 'k') this.fail('a named backreference');
    if (c === '0') {
      if (/[0-9]/.test(this.p[this.i + 2] ?? '')) this.fail('an octal escape');
      this.i += 2;
      return true;
    }
    if (c === 'x') {
      if (!/^[0-9A-Fa-f]{2}$/.test(this.p.slice(this.i + 2, this.i + 4))) this.fail('a malformed \\x escape');
      this.i += 4;
      return true;
    }
    if (c === 'u') {
      if (!/^[0-9A-Fa-f]{4}$/.test(this.p.slice(this.i + 2, this.i + 6))) this.fail('a malformed \\u escape (use \\uXXXX)');
      this.i += 6;
      return true;
    }
    if (/[A-Za-z]/.test(c)) {
      if (!allowedLetters.includes(c)) this.fail(`the escape \\${c}`);
      this.i += 2;
      return c !== 'b' && c !== 'B';
    }
    this.i += 2; // escaped punctuation is a literal
    return true;
  }

  /** Reads a quantifier if one follows; returns whether there was one. */
  private quantifier(inner: GroupState | undefined): boolean {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    if (c === '?') {
      min = 0;
      max = 1;
      this.i++;
    } else if (c === '*' || c === '+') {
      this.fail(`the unbounded quantifier "${c}" (use a bounded one such as {1,64})`);
    } else if (c === '{') {
      const m = /^\{(\d{1,4})(?:(,)(\d{0,4}))?\}/.exec(this.p.slice(this.i));
      if (m === null) this.fail('a malformed {n,m} quantifier (escape a literal { as \\{)');
      if (m[2] !== undefined && m[3] === '') this.fail(`the unbounded quantifier "${m[0]}" (give a maximum, such as {${m[1]},64})`);
      min = Number(m[1]);
      max = m[3] !== undefined ? Number(m[3]) : min;
      if (max < min) this.fail(`the quantifier "${m[0]}" whose maximum is below its minimum`);
      if (max > MAX_REPEAT) this.fail(`the quantifier "${m[0]}" (at most {…,${MAX_REPEAT}})`);
      this.i += m[0].length;
    } else {
      return false;
    }
    if (this.p[this.i] === '?') this.i++; // lazy
    // A group that can occur at most once cannot backtrack into itself: `(?:-\d{2})?` is fine.
    if (inner !== undefined && max > 1) {
      if (inner.hasQuantifier) this.fail('a quantifier on a group that contains a quantifier (nested repetition)');
      if (inner.hasAlternation) this.fail('a quantifier on a group that contains | (ambiguous alternation)');
    }
    if (inner?.empty) this.fail('a quantifier on an empty group');
    const q = this.p[this.i];
    if (q === '?' || q === '*' || q === '+' || q === '{') this.fail('a quantifier on a quantifier');
    this.product *= max - min + 1;
    if (this.product > MAX_BACKTRACK_PRODUCT) this.fail(`more repetition than the budget allows (the product of quantifier ranges exceeds ${MAX_BACKTRACK_PRODUCT})`);
    return true;
  }
}
