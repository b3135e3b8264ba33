/** Small scanning helpers shared by the detectors. */
import { charCodeAt, exec } from './textIntrinsics';

export function isDigitAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = charCodeAt(text, i);
  return c >= 48 && c <= 57;
}

export function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** ASCII letter or digit at i; false outside the text. */
export function isAlnumAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = charCodeAt(text, i);
  return isLetterCode(c) || (c >= 48 && c <= 57);
}

export function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? charCodeAt(text, i) : -1;
}

/** Digits in the text; several detectors need at least a few before they look. */
export function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = charCodeAt(text, i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Runs a global regex over the text and hands each match to `accept`, which
 * returns the end of the span it masked or -1 to reject. After a rejection
 * the scan resumes one character after the match start, so a valid candidate
 * that overlaps a rejected one is still found; the built-in regexes bound how
 * far each attempt reads, which keeps this linear.
 */
export function scanRegex(re: RegExp, text: string, accept: (m: RegExpExecArray) => number): void {
  re.lastIndex = 0;
  for (;;) {
    const m = exec(re, text);
    if (m === null) return;
    const end = accept(m);
    re.lastIndex = end > m.index ? end : m.index + 1;
    if (re.lastIndex >= text.length) return;
  }
}
