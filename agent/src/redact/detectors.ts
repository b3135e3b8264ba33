/**
 * Masking by value: the built-in detectors, in priority order (when two
 * spans overlap, the merged span is reported under the earlier detector's
 * kind). Each has a cheap prefilter that rules most text out without running
 * its regex, and a validator wherever the format has one (Luhn, mod 97, SSN
 * issuing rules, octet ranges, Node's IPv6 parser, a JWT header that decodes
 * to JSON with "alg", Basic credentials that decode to user:password).
 *
 * Every regex here is linear in the text: a lookbehind pins where a match may
 * start (at most once per token run), repetition is bounded or over a
 * character class that the following literal cannot belong to, and no
 * quantified group contains another quantifier or an ambiguous alternation.
 */
import { type SpanSink, addSpan } from './spans';
import { codeAt, isAlnumAt, isDigitAt, isLetterCode, scanRegex } from './scan';
import { basicCredentialValid, cardNumberValid, ibanLength, ibanValid, ipv4Valid, ipv6Valid, jwtHeaderValid, ssnValid } from './validators';
import { exec, indexOf, slice, toLower } from './textIntrinsics';

/** Facts computed once per text and shared by the prefilters. */
export interface TextFacts {
  readonly digits: number;
}

/** Fewest digits any digit-based detector needs (IPv4 and IBAN: 4; SSN 9, phone 8, card 13). */
export const MIN_DIGITS_FOR_NUMBERS = 4;

/**
 * Could any built-in detector (or a sensitive key inside text) find
 * something? Text with fewer than MIN_DIGITS_FOR_NUMBERS digits and without
 * '@', '%40', ':', '=', a PEM header or one of the key prefixes cannot hold
 * anything they mask, and most captured strings (names, words, enum values)
 * are like that; one regex run rules them out. Bearer/Basic case classes
 * are spelled out: the i flag would double the cost of the common path.
 */
const ANY_NON_NUMERIC_CANDIDATE = /[@:=]|%40|eyJ|[Bb](?:[Ee][Aa][Rr][Ee][Rr]|[Aa][Ss][Ii][Cc])|-----BEGIN|A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|ROA|PKA|SCA|Iza)|gh[pousr]_|github_pat_|[rs]k_(?:live|test)_|xox[baprs]-/;

export function mayHoldAnything(text: string, digits: number): boolean {
  return digits >= MIN_DIGITS_FOR_NUMBERS || exec(ANY_NON_NUMERIC_CANDIDATE, text) !== null;
}

const BEARER_WORD = /bearer/i;
const BASIC_WORD = /basic/i;

export interface ValueDetector {
  /** The kind masked text reports: `[MASKED:<kind>]`. */
  readonly kind: string;
  /** One line for docs: what is detected and how it is validated. */
  readonly description: string;
  /** Cheap test: false means `find` would find nothing. */
  mayMatch(text: string, facts: TextFacts): boolean;
  find(text: string, sink: SpanSink, priority: number): void;
}

function regexDetector(
  kind: string,
  description: string,
  mayMatch: (text: string, facts: TextFacts) => boolean,
  re: RegExp,
  accept: (m: RegExpExecArray, text: string) => { start: number; end: number } | undefined = (m) => ({ start: m.index, end: m.index + m[0].length }),
): ValueDetector {
  return {
    kind,
    description,
    mayMatch,
    find(text, sink, priority) {
      scanRegex(re, text, (m) => {
        const span = accept(m, text);
        if (span === undefined) return -1;
        addSpan(sink, span.start, span.end, kind, priority);
        return span.end;
      });
    },
  };
}

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/** PEM private keys, from the BEGIN line through END, or to the end of the text when END is not in it (a cut window). */
const privateKey: ValueDetector = {
  kind: 'private_key',
  description: 'PEM private key blocks (-----BEGIN … PRIVATE KEY-----), through END or to the end of the text',
  mayMatch: (text) => indexOf(text, '-----BEGIN') >= 0,
  find(text, sink, priority) {
    scanRegex(PEM_BEGIN, text, (m) => {
      PEM_END.lastIndex = m.index + m[0].length;
      const end = exec(PEM_END, text);
      const stop = end === null ? text.length : end.index + end[0].length;
      addSpan(sink, m.index, stop, 'private_key', priority);
      return stop;
    });
  },
};

// Header (validated), payload and signature; a window cut inside the payload still masks what it holds.
const JWT = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{4,})={0,2}\.[A-Za-z0-9_-]*={0,2}(?:\.[A-Za-z0-9_-]*)?/g;
const jwt = regexDetector('jwt', 'JSON Web Tokens: base64url header that decodes to JSON with "alg", then payload and signature', (text) => indexOf(text, 'eyJ') >= 0, JWT, (m) =>
  jwtHeaderValid(m[1]!) ? { start: m.index, end: m.index + m[0].length } : undefined,
);

// RFC 6750 token68 credentials of 8+ characters; all-lowercase words ("Bearer authentication") are prose.
const BEARER = /(?<![A-Za-z0-9])bearer[ \t]+([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const bearer = regexDetector('bearer', '`Bearer <token>` credentials (8+ token characters, not a lower-case word)', (text) => exec(BEARER_WORD, text) !== null, BEARER, (m) =>
  isLowerCaseWord(m[1]!) ? undefined : { start: m.index, end: m.index + m[0].length },
);

function isLowerCaseWord(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = codeAt(s, i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

const BASIC = /(?<![A-Za-z0-9])basic[ \t]+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi;
const basic = regexDetector('basic', '`Basic <base64>` credentials that decode to printable user:password', (text) => exec(BASIC_WORD, text) !== null, BASIC, (m) =>
  basicCredentialValid(m[1]!) ? { start: m.index, end: m.index + m[0].length } : undefined,
);

const AWS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}/g;
const awsKey = regexDetector('aws_key', 'AWS access key ids (AKIA/ASIA/… + 16 characters)', (text) => text.length >= 20 && indexOf(text, 'A') >= 0, AWS_KEY);

// GitHub's tokens carry a CRC32 of their random part, but GitHub does not
// specify its encoding; masking every token of the documented shape errs on
// the safe side, and the prefixes are distinctive enough to make false
// positives rare.
const GITHUB = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g;
const githubToken = regexDetector('github_token', 'GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)', (text) => indexOf(text, 'gh') >= 0 || indexOf(text, 'github_pat_') >= 0, GITHUB);

const STRIPE = /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g;
const stripeKey = regexDetector('stripe_key', 'Stripe secret and restricted keys (sk_live_, rk_live_, and their _test_ forms)', (text) => indexOf(text, 'k_live_') >= 0 || indexOf(text, 'k_test_') >= 0, STRIPE);

const SLACK = /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/g;
const slackToken = regexDetector('slack_token', 'Slack tokens (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-)', (text) => indexOf(text, 'xox') >= 0, SLACK);

const GOOGLE = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g;
const googleApiKey = regexDetector('google_api_key', 'Google API keys (AIza + 35 characters)', (text) => indexOf(text, 'AIza') >= 0, GOOGLE);

// scheme://user:password@host: the password part only.
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:@/?#]{1,128}:([^\s@/?#]{1,256})@/g;
const urlPassword = regexDetector('password', 'passwords in URLs (scheme://user:password@host)', (text) => indexOf(text, '://') >= 0 && indexOf(text, '@') >= 0, URL_PASSWORD, (m) => {
  const end = m.index + m[0].length - 1;
  return { start: end - m[1]!.length, end };
});

const EMAIL_LOCAL_MAX = 64;
const EMAIL_DOMAIN_MAX = 253;

function emailLocalChar(c: number): boolean {
  // The practical set (letters, digits, . _ % + -): RFC 5322's rarer specials would let "user=bob@x.io" swallow "user=".
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function domainChar(c: number): boolean {
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** The end of a valid domain starting at `from`, or -1: labels of 1-63 letters, digits, hyphens (not at their ends), a TLD of 2+ letters or an xn-- label. */
function domainEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && end - from < EMAIL_DOMAIN_MAX && domainChar(codeAt(text, end))) end++;
  // Trailing dots and hyphens belong to the sentence, not the domain.
  while (end > from && (codeAt(text, end - 1) === 46 || codeAt(text, end - 1) === 45)) end--;
  const domain = slice(text, from, end);
  let labels = 0;
  let labelStart = 0;
  for (let i = 0; i <= domain.length; i++) {
    if (i < domain.length && codeAt(domain, i) !== 46) continue;
    const len = i - labelStart;
    if (len < 1 || len > 63) return -1;
    if (codeAt(domain, labelStart) === 45 || codeAt(domain, i - 1) === 45) return -1;
    labels++;
    if (i === domain.length) {
      const tld = slice(domain, labelStart, i);
      let letters = true;
      for (let k = 0; k < tld.length; k++) if (!isLetterCode(codeAt(tld, k))) letters = false;
      if (!(letters && tld.length >= 2) && !(tld.length > 4 && toLower(slice(tld, 0, 4)) === 'xn--')) return -1;
    }
    labelStart = i + 1;
  }
  return labels >= 2 ? end : -1;
}

/** Email addresses, also URL-encoded (`%40`), found from each @ outwards. */
const email: ValueDetector = {
  kind: 'email',
  description: 'email addresses (also with %40), local part of letters, digits, . _ % + -, and a domain with a real TLD',
  mayMatch: (text) => indexOf(text, '@') >= 0 || indexOf(text, '%40') >= 0,
  find(text, sink, priority) {
    let next = 0;
    let nextAt = indexOf(text, '@');
    let nextEncoded = indexOf(text, '%40');
    while (nextAt >= 0 || nextEncoded >= 0) {
      let at: number;
      let sepLength: number;
      if (nextEncoded < 0 || (nextAt >= 0 && nextAt < nextEncoded)) {
        at = nextAt;
        sepLength = 1;
        nextAt = indexOf(text, '@', at + 1);
      } else {
        at = nextEncoded;
        sepLength = 3;
        nextEncoded = indexOf(text, '%40', at + 1);
      }
      let start = at;
      while (start > next && at - start < EMAIL_LOCAL_MAX && emailLocalChar(codeAt(text, start - 1))) start--;
      // A local part neither starts with a dot nor holds two in a row.
      for (let i = at - 1; i > start; i--) {
        if (codeAt(text, i) === 46 && codeAt(text, i - 1) === 46) {
          start = i + 1;
          break;
        }
      }
      while (start < at && codeAt(text, start) === 46) start++;
      if (start === at || codeAt(text, at - 1) === 46) continue;
      const end = domainEnd(text, at + sepLength);
      if (end < 0) continue;
      addSpan(sink, start, end, 'email', priority);
      next = end;
      if (nextAt >= 0 && nextAt < end) nextAt = indexOf(text, '@', end);
      if (nextEncoded >= 0 && nextEncoded < end) nextEncoded = indexOf(text, '%40', end);
    }
  },
};

/**
 * Card numbers: runs of digit groups joined by single spaces or dashes; any
 * contiguous groups with 13-19 digits that pass cardNumberValid are masked.
 * A run next to letters, or after a decimal point, is an id or a fraction.
 */
// Candidate runs (digit groups joined by single spaces or dashes) are found by
// the regex engine; only runs long enough to hold a card are split in JS. A
// run never starts right after "<digit> ": that is the middle of a grouped
// IBAN or account number ("DE12 3704 0044 …"), whose 4-digit groups would
// otherwise be read as a card.
const CARD_RUN = /(?<![0-9A-Za-z.,]|\d[ -])\d+(?:[ -]\d+)*/g;
const CARD_MIN_DIGITS = 13;

const card: ValueDetector = {
  kind: 'card',
  description: 'payment card numbers: 13-19 digits, unbroken or grouped as cards are written (4-4-4-4, 4-6-5), Luhn-valid, first digit 2-6',
  mayMatch: (_t, f) => f.digits >= CARD_MIN_DIGITS,
  find(text, sink, priority) {
    const groupStart: number[] = [];
    const groupEnd: number[] = [];
    scanRegex(CARD_RUN, text, (m) => {
      const end = m.index + m[0].length;
      // A run glued to letters is an id; too short a run holds no card.
      if (m[0].length < CARD_MIN_DIGITS || isAlnumAt(text, end)) return end;
      groupStart.length = 0;
      groupEnd.length = 0;
      let j = m.index;
      while (j < end) {
        const s = j;
        while (j < end && isDigitAt(text, j)) j++;
        groupStart[groupStart.length] = s;
        groupEnd[groupEnd.length] = j;
        j++;
      }
      findCardInGroups(text, groupStart, groupEnd, sink, priority);
      return end;
    });
  },
};

function findCardInGroups(text: string, starts: readonly number[], ends: readonly number[], sink: SpanSink, priority: number): void {
  for (let a = 0; a < starts.length; a++) {
    let digits = '';
    for (let b = a; b < starts.length; b++) {
      digits += slice(text, starts[b]!, ends[b]!);
      if (digits.length > 19) break;
      if (digits.length >= 13 && cardGrouping(starts, ends, a, b) && cardNumberValid(digits)) {
        addSpan(sink, starts[a]!, ends[b]!, 'card', priority);
        a = b;
        break;
      }
    }
  }
}

/**
 * How cards are written: one unbroken run, groups of four with a shorter
 * last group (4-4-4-4, 4-4-4-4-3), or 4-6-5 / 4-6-4 (Amex, Diners). Two
 * numbers that merely sit next to each other ("420144 6604399") are not a card.
 */
function cardGrouping(starts: readonly number[], ends: readonly number[], a: number, b: number): boolean {
  if (a === b) return true;
  const len = (g: number): number => ends[g]! - starts[g]!;
  if (b - a === 2 && len(a) === 4 && len(a + 1) === 6 && (len(b) === 5 || len(b) === 4)) return true;
  for (let g = a; g < b; g++) if (len(g) !== 4) return false;
  return len(b) >= 1 && len(b) <= 4;
}

// Country code, check digits, then up to 30 alphanumerics in groups of any spacing; the country's length decides where it ends.
const IBAN = /(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?: ?[A-Za-z0-9]){11,30}/g;
const iban = regexDetector('iban', 'IBANs: known country, its length, ISO 7064 mod 97 (spaces allowed)', (_t, f) => f.digits >= MIN_DIGITS_FOR_NUMBERS, IBAN, (m, text) => {
  const length = ibanLength(m[1]!);
  if (length === undefined) return undefined;
  let compact = '';
  let end = m.index;
  const limit = m.index + m[0].length;
  while (end < limit && compact.length < length) {
    const c = codeAt(text, end);
    if (c !== 32) compact += text[end];
    end++;
  }
  return compact.length === length && !gluedToDigits(text, end) && ibanValid(compact) ? { start: m.index, end } : undefined;
});

/**
 * Whether the letters and digits that continue right after `end` hold a
 * digit: then the candidate is the start of a longer token (a hex hash that
 * begins "de74…"), not an IBAN. Letters alone ("…3000EUR") do not clear it.
 */
function gluedToDigits(text: string, end: number): boolean {
  for (let i = end; i < text.length && i < end + 64 && isAlnumAt(text, i); i++) if (isDigitAt(text, i)) return true;
  return false;
}

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const ssn = regexDetector('ssn', 'US SSNs as ddd-dd-dddd or ddd dd dddd, never-issued areas (000, 666, 9xx), group 00 and serial 0000 excluded', (_t, f) => f.digits >= 9, SSN, (m) =>
  ssnValid(m[1]!, m[3]!, m[4]!) ? { start: m.index, end: m.index + m[0].length } : undefined,
);

const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g;
const ipv4 = regexDetector('ipv4', 'IPv4 addresses with octets 0-255', (text, f) => f.digits >= MIN_DIGITS_FOR_NUMBERS && indexOf(text, '.') >= 0, IPV4, (m) =>
  ipv4Valid([m[1]!, m[2]!, m[3]!, m[4]!]) ? { start: m.index, end: m.index + m[0].length } : undefined,
);

/** Shortest IPv6 text masked: `::1` and `a::b` are too common as other things to be worth it. */
const IPV6_MIN_LENGTH = 6;

function ipv6Char(c: number): boolean {
  return (c >= 48 && c <= 58) /* 0-9 : */ || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}

/**
 * IPv6 addresses: from each ':' the run of hex digits, colons and dots
 * around it is read once; only runs that compress zeros ('::') or hold six
 * or more colons (all groups, or six and an IPv4 tail) go to Node's parser,
 * so "file.js:3:11" and "12:30:45" cost a glance.
 */
const ipv6: ValueDetector = {
  kind: 'ipv6',
  description: "IPv6 addresses ('::' or all groups), validated by Node's parser",
  mayMatch: (text) => {
    const first = indexOf(text, ':');
    return first >= 0 && indexOf(text, ':', first + 1) >= 0;
  },
  find(text, sink, priority) {
    let colon = indexOf(text, ':');
    while (colon >= 0) {
      let start = colon;
      while (start > 0 && ipv6Char(codeAt(text, start - 1))) start--;
      let end = colon + 1;
      let colons = 1;
      let compressed = false;
      while (end < text.length && ipv6Char(codeAt(text, end))) {
        if (codeAt(text, end) === 58) {
          colons++;
          if (codeAt(text, end - 1) === 58) compressed = true;
        }
        end++;
      }
      if (codeAt(text, colon - 1) === 58) compressed = true;
      // Glued to a longer token on either side, it is not an address; a leading ':' is a label's ("ip:2001:db8::1").
      const leftOk = codeAt(text, start) === 58 || !isAlnumAt(text, start - 1);
      if ((compressed || colons >= 6) && leftOk && !isAlnumAt(text, end)) ipv6Candidate(text, start, end, sink, priority);
      colon = indexOf(text, ':', end);
    }
  },
};

function ipv6Candidate(text: string, start: number, end: number, sink: SpanSink, priority: number): void {
  // Sentence punctuation and a label's colon ("ip:2001:db8::1", "addr: fe80::1.") are not part of the address.
  while (end > start && (codeAt(text, end - 1) === 46 || (codeAt(text, end - 1) === 58 && codeAt(text, end - 2) !== 58))) end--;
  if (codeAt(text, start) === 58 && codeAt(text, start + 1) !== 58) start++;
  if (end - start >= IPV6_MIN_LENGTH && ipv6Valid(slice(text, start, end))) addSpan(sink, start, end, 'ipv6', priority);
}

/**
 * Phone numbers, conservatively: `+` and 8-15 digits (E.164, separators
 * allowed), or 10-11 digits written as a national number: with a
 * parenthesised area code ("(555) 123-4567"), North American groups
 * ("555-123-4567", "1 555 123 4567") or a trunk 0 ("020 7946 0958",
 * "06 12 34 56 78"). Plain digit runs (ids, amounts), lists of numbers and
 * dates are not phone numbers here, nor is a group followed by ':' (a time).
 */
// Candidate starts: '+' or '(' before a digit, or a digit, not glued to a longer token.
const PHONE_RUN = /(?<![0-9A-Za-z.+])[+(]?\d[\d .()-]*/g;
const PHONE_MIN_LENGTH = 10;

const phone: ValueDetector = {
  kind: 'phone',
  description: 'phone numbers: E.164 (+ and 8-15 digits) or national formats with separators or parentheses (10-11 digits)',
  mayMatch: (_t, f) => f.digits >= 8,
  find(text, sink, priority) {
    scanRegex(PHONE_RUN, text, (m) => {
      if (m[0].length < PHONE_MIN_LENGTH && codeAt(text, m.index) !== 43) return m.index + m[0].length;
      return phoneAt(text, m.index, sink, priority);
    });
  },
};

const PHONE_MAX_SEPARATORS = 2;

/** Reads one phone candidate at `start`, masks it when it qualifies, and returns where scanning resumes. */
function phoneAt(text: string, start: number, sink: SpanSink, priority: number): number {
  const groups: number[] = [];
  let j = start;
  const plus = codeAt(text, j) === 43;
  if (plus) j++;
  let digits = 0;
  let current = 0;
  let separators = 0;
  let open = false;
  let paren = false;
  let dot = false;
  let lastDigitEnd = j;
  let firstDigit = -1;
  for (; j < text.length; j++) {
    const c = codeAt(text, j);
    if (c >= 48 && c <= 57) {
      if (firstDigit < 0) firstDigit = c - 48;
      current++;
      digits++;
      separators = 0;
      lastDigitEnd = j + 1;
      continue;
    }
    if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41) break;
    if (++separators > PHONE_MAX_SEPARATORS) break;
    if (current > 0) groups[groups.length] = current;
    current = 0;
    if (c === 46 && isDigitAt(text, j + 1)) dot = true;
    if (c === 40) {
      if (open || groups.length > 1) break;
      open = true;
    } else if (c === 41) {
      if (!open) break;
      open = false;
      paren = true;
    }
  }
  if (current > 0) groups[groups.length] = current;
  const resume = lastDigitEnd > start ? lastDigitEnd : start + 1;
  // Trailing separators are not part of the number; an unclosed parenthesis means it is not one.
  if (open) return resume;
  const after = codeAt(text, lastDigitEnd);
  if (isAlnumAt(text, lastDigitEnd) || after === 58 || after === 47) return resume;
  if (!phoneShapeValid(plus, digits, groups, paren, dot, firstDigit)) return resume;
  addSpan(sink, start, lastDigitEnd, 'phone', priority);
  return resume;
}

function phoneShapeValid(plus: boolean, digits: number, groups: readonly number[], paren: boolean, dot: boolean, firstDigit: number): boolean {
  if (plus) return digits >= 8 && digits <= 15 && firstDigit !== 0 && (!dot || groups.length >= 3);
  if (digits < 10 || digits > 11) return false;
  for (let g = 0; g < groups.length; g++) {
    const len = groups[g]!;
    if (len > 4 || (g > 0 && len < 2)) return false;
  }
  // A parenthesised area code: (555) 123-4567, (020) 7946 0958.
  if (paren) return true;
  // North American: 555-123-4567, 1 555 123 4567.
  const n = groups.length;
  if (n >= 3 && groups[n - 1] === 4 && groups[n - 2] === 3 && groups[n - 3] === 3 && (n === 3 || (n === 4 && groups[0] === 1))) return true;
  // National numbers with a trunk 0: 020 7946 0958, 06 12 34 56 78, 030 1234 5678.
  return firstDigit === 0 && n >= 3 && groups[0]! >= 2;
}

/** The built-in value detectors in priority order. Exported for docs and tests. */
export const VALUE_DETECTORS: readonly ValueDetector[] = Object.freeze([
  privateKey, jwt, bearer, basic, awsKey, githubToken, stripeKey, slackToken, googleApiKey, urlPassword,
  email, card, iban, ssn, ipv4, ipv6, phone,
]);

/**
 * Priority of masking by name inside text (query strings, headers, JSON):
 * after the secret shapes (so `Authorization: Bearer …` reports `bearer`),
 * before personal data. Detector i has priority i; this sits between
 * urlPassword (9) and email (10).
 */
export const NAME_IN_TEXT_PRIORITY = 9.5;
