/**
 * Sensitivity by name: variable names, property keys, Map keys, query-string
 * and header keys.
 *
 * Matching is token-based. A name is split into lower-case word parts (on
 * `_`, `-`, `.`, spaces and other punctuation, on camelCase and acronym
 * boundaries, and between letters and digits), and it is sensitive when a
 * contiguous run of its parts, joined, equals a sensitive entry joined. So
 * `pin` matches `pin`, `userPin`, `PIN_CODE`, but not `spinner`, `pinned` or
 * `shipping` (one part each, none of them `pin`); `apiKey`, `API_KEY`,
 * `x-api-key` and `apikey` all match `api_key`.
 *
 * Descriptors: when the name's last part says it describes the secret rather
 * than holds it (`sessionCount`, `tokenLength`, `passwordExpiresAt`), and the
 * matched run does not include that last part, the name is not sensitive.
 * Values under such names are still scanned by value like any other text, so
 * a token stored in `tokenType` is still caught by its shape.
 */
import { append, charCodeAt, slice, toLower } from './textIntrinsics';

/**
 * The default sensitive names, in any spelling: they are normalised before
 * use. The kind reported for a match is the entry's parts joined by `_`.
 */
export const DEFAULT_SENSITIVE_NAMES: readonly string[] = Object.freeze([
  'password', 'passwd', 'pwd', 'passphrase', 'passcode',
  'secret', 'client_secret', 'secret_key',
  'token', 'access_token', 'refresh_token', 'id_token', 'auth_token', 'csrf_token', 'xsrf_token',
  'api_key', 'apikey',
  'auth', 'authorization', 'proxy_authorization', 'credential', 'credentials',
  'cookie', 'set_cookie', 'session', 'session_id', 'sid', 'jsessionid', 'phpsessid',
  'ssn', 'social_security_number',
  'credit_card', 'card_number', 'cc_number', 'cvv', 'cvv2', 'cvc', 'pin',
  'private_key', 'jwt', 'bearer', 'otp', 'iban',
]);

/**
 * Last parts that mark a name as describing a secret rather than holding it.
 * Exported for docs and tests.
 */
export const DESCRIPTOR_PARTS: readonly string[] = Object.freeze([
  'count', 'length', 'len', 'size', 'total', 'min', 'max', 'limit', 'timeout', 'ttl',
  'enabled', 'disabled', 'required', 'type', 'kind', 'expires', 'expiry', 'expired', 'expiration', 'at', 'status',
]);

/** Characters of a name considered; a longer name is judged on its start. */
export const MAX_NAME_LENGTH = 256;

/** Parts considered per name; longer names are judged on their first parts. */
export const MAX_NAME_PARTS = 16;

const enum CharClass { Other, Lower, Upper, Digit }

function classOf(c: number): CharClass {
  if (c >= 97 && c <= 122) return CharClass.Lower;
  if (c >= 65 && c <= 90) return CharClass.Upper;
  if (c >= 48 && c <= 57) return CharClass.Digit;
  return CharClass.Other;
}

/**
 * Splits a name into lower-case word parts: `userAPIKey_v2` -> user, api, key, v, 2.
 * Characters other than ASCII letters and digits separate parts.
 */
export function normaliseName(name: string): string[] {
  const parts: string[] = [];
  let start = -1;
  const n = name.length;
  for (let i = 0; i <= n; i++) {
    const cls = i < n ? classOf(charCodeAt(name, i)) : CharClass.Other;
    if (start >= 0) {
      const prev = classOf(charCodeAt(name, i - 1));
      const next = i + 1 < n ? classOf(charCodeAt(name, i + 1)) : CharClass.Other;
      const boundary =
        cls === CharClass.Other ||
        (cls === CharClass.Upper && (prev === CharClass.Lower || prev === CharClass.Digit)) ||
        // The last capital of an acronym starts the next word: APIKey -> API, Key.
        (cls === CharClass.Upper && prev === CharClass.Upper && next === CharClass.Lower) ||
        (cls === CharClass.Digit) !== (prev === CharClass.Digit);
      if (boundary) {
        append(parts, toLower(sliceName(name, start, i)));
        start = -1;
        if (parts.length >= MAX_NAME_PARTS) return parts;
      }
    }
    if (start < 0 && cls !== CharClass.Other) start = i;
  }
  return parts;
}

function sliceName(name: string, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += name[i];
  return s;
}

function joined(parts: readonly string[]): string {
  let s = '';
  for (let i = 0; i < parts.length; i++) s += parts[i];
  return s;
}

/** Looks names up against a set of sensitive entries. */
export class NameMatcher {
  /** Joined parts of an entry -> its kind. Null prototype: lookups never reach Object.prototype. */
  private readonly entries: Record<string, string> = Object.create(null) as Record<string, string>;
  private readonly exempt: Record<string, true> = Object.create(null) as Record<string, true>;
  private readonly descriptors: Record<string, true> = Object.create(null) as Record<string, true>;

  /**
   * @param names sensitive entries (defaults plus ops' extra names)
   * @param exemptNames whole names that are never sensitive by name, compared
   *   after normalisation (`sessionCount` exempts `session_count` too)
   */
  constructor(names: readonly string[], exemptNames: readonly string[] = []) {
    for (const name of names) {
      const parts = normaliseName(name);
      const key = joined(parts);
      if (key && this.entries[key] === undefined) this.entries[key] = parts.join('_');
    }
    for (const name of exemptNames) {
      const key = joined(normaliseName(name));
      if (key) this.exempt[key] = true;
    }
    for (const d of DESCRIPTOR_PARTS) this.descriptors[d] = true;
  }

  /** The kind a name denotes (the longest matching entry), or undefined. */
  kindOf(name: string): string | undefined {
    const parts = normaliseName(name.length > MAX_NAME_LENGTH ? slice(name, 0, MAX_NAME_LENGTH) : name);
    const n = parts.length;
    if (n === 0) return undefined;
    if (this.exempt[joined(parts)]) return undefined;
    const lastIsDescriptor = n > 1 && this.descriptors[parts[n - 1]!] === true;
    let best: string | undefined;
    let bestLength = 0;
    for (let i = 0; i < n; i++) {
      let run = '';
      for (let j = i; j < n; j++) {
        run += parts[j];
        const kind = this.entries[run];
        if (kind === undefined) continue;
        if (lastIsDescriptor && j < n - 1) continue;
        if (run.length > bestLength) {
          best = kind;
          bestLength = run.length;
        }
      }
    }
    return best;
  }
}
