/**
 * Masking by name inside text: `key=value` (query strings, cookies, form
 * bodies, log fields), `"key": "value"` (JSON, also JSON escaped inside a
 * string) and `Key: value` (HTTP headers). When the key is sensitive the
 * value is masked under the key's kind; the key itself stays readable.
 *
 * Values end at `&`, `;`, `,`, whitespace, quotes or closing brackets, except:
 * a quoted value ends at its closing quote (or the end of the text when the
 * quote never closes: a cut window), and the value of a header-like key
 * (authorization, cookie, …) after `:` runs to the end of the line, because
 * header values contain spaces.
 */
import { type SpanSink, addSpan } from './spans';
import { codeAt, isLetterCode } from './scan';
import { indexOf, slice } from './textIntrinsics';

/** Longest key looked at, in characters. */
export const MAX_KEY_LENGTH = 64;

/** Kinds whose `Key: value` form is a header whose value runs to the end of the line. */
const HEADER_KINDS: Readonly<Record<string, true>> = Object.assign(Object.create(null) as Record<string, true>, {
  authorization: true, proxy_authorization: true, cookie: true, set_cookie: true,
});

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function keyChar(c: number): boolean {
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

function endsValue(c: number): boolean {
  // & ; , space tab CR LF " ' } ] ) #
  return c === 38 || c === 59 || c === 44 || c === 32 || c === 9 || c === 13 || c === 10 || c === 34 || c === 39 || c === 125 || c === 93 || c === 41 || c === 35;
}

export function mayHoldNamedValues(text: string): boolean {
  return indexOf(text, '=') >= 0 || indexOf(text, ':') >= 0;
}

/** The next '=' or ':' at or after `from`, or -1. */
function nextSeparator(text: string, from: number): number {
  const eq = indexOf(text, '=', from);
  const colon = indexOf(text, ':', from);
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return eq < colon ? eq : colon;
}

/** Finds sensitive `key=value` / `"key": value` / `Key: value` pairs and masks their values. */
/** The sensitive kind of a key, or undefined (the redactor's cached sensitiveName). */
export type KindOfName = (name: string) => string | undefined;

export function findNamedValues(text: string, kindOf: KindOfName, sink: SpanSink, priority: number): void {
  for (let sep = nextSeparator(text, 0); sep >= 0; sep = nextSeparator(text, sep + 1)) {
    const c = codeAt(text, sep);
    // Don't read "https://": a scheme is not a key.
    if (c === 58 && codeAt(text, sep + 1) === 47 && codeAt(text, sep + 2) === 47) continue;
    const key = keyBefore(text, sep, c === 58);
    if (key === undefined) continue;
    const kind = kindOf(key);
    if (kind === undefined) continue;
    const end = maskValueAfter(text, sep + 1, c === 58 && HEADER_KINDS[kind] === true, kind, sink, priority);
    if (end > sep) sep = end - 1;
  }
}

/** The key that ends right before the separator at `sep`, skipping a closing quote (and its backslash) and, for ':', spaces. */
function keyBefore(text: string, sep: number, colon: boolean): string | undefined {
  let end = sep;
  if (colon) while (end > 0 && codeAt(text, end - 1) === 32) end--;
  const q = codeAt(text, end - 1);
  if (q === 34 || q === 39) {
    end--;
    if (codeAt(text, end - 1) === 92) end--;
  }
  let start = end;
  while (start > 0 && end - start < MAX_KEY_LENGTH && keyChar(codeAt(text, start - 1))) start--;
  // No key, or a number (line:column, a time): nothing to look up.
  if (start === end || isDigitCode(codeAt(text, start))) return undefined;
  return slice(text, start, end);
}

/** Masks the value starting at `from`; returns where it ends. */
function maskValueAfter(text: string, from: number, toEndOfLine: boolean, kind: string, sink: SpanSink, priority: number): number {
  let start = from;
  while (start < text.length && codeAt(text, start) === 32) start++;
  let c = codeAt(text, start);
  if (c === 92 && codeAt(text, start + 1) === 34) {
    // \"value\" inside a JSON document that is itself a JSON string.
    const close = findEscapedQuote(text, start + 2);
    addSpan(sink, start + 2, close, kind, priority);
    return close;
  }
  if (c === 34 || c === 39) {
    const close = findQuote(text, start + 1, c);
    addSpan(sink, start + 1, close, kind, priority);
    return close;
  }
  let end = start;
  if (toEndOfLine) {
    while (end < text.length && (c = codeAt(text, end)) !== 10 && c !== 13) end++;
  } else {
    while (end < text.length && !endsValue(codeAt(text, end))) end++;
  }
  addSpan(sink, start, end, kind, priority);
  return end;
}

function findQuote(text: string, from: number, quote: number): number {
  for (let i = from; i < text.length; i++) {
    const c = codeAt(text, i);
    if (c === 92) i++;
    else if (c === quote) return i;
  }
  return text.length;
}

function findEscapedQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (codeAt(text, i) === 92 && codeAt(text, i + 1) === 34) return i;
    if (codeAt(text, i) === 92) i++;
  }
  return text.length;
}
