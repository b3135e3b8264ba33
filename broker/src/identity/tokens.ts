/**
 * Bearer tokens: 32 random bytes, base64url, behind a prefix that says what
 * the token is (so a leaked one is recognisable in logs and by secret
 * scanners). The broker keeps only the sha256 of a token.
 *
 * Why sha256 and not a slow password hash: a token carries 256 bits of
 * entropy, so nobody can search for a preimage however fast the hash is.
 * Slow hashes (scrypt, argon2) protect low-entropy passwords; here they would
 * only cost CPU on every request. A plain digest also lets the broker look a
 * token up by its hash directly, with no comparison over the secret itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type TokenKind } from '../store/records';

export const TOKEN_PREFIX: Readonly<Record<TokenKind, string>> = { user: 'kh_', agent: 'kha_' };
export const TOKEN_RANDOM_BYTES = 32;
/** Characters of the random part used as the token's public id. */
const TOKEN_ID_CHARS = 12;

export interface NewToken {
  /** The secret, shown once and never stored. */
  readonly token: string;
  /** Public id, e.g. `kh_AbCdEfGhIjKl`: safe to list, log and revoke by. */
  readonly id: string;
  readonly hash: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(kind: TokenKind): NewToken {
  const prefix = TOKEN_PREFIX[kind];
  const random = randomBytes(TOKEN_RANDOM_BYTES).toString('base64url');
  const token = prefix + random;
  return { token, id: prefix + random.slice(0, TOKEN_ID_CHARS), hash: hashToken(token) };
}

/** The public id of a presented token if it has our shape, for audit rows about failed logins. */
export function tokenIdOf(token: string): string | undefined {
  for (const prefix of Object.values(TOKEN_PREFIX)) {
    const rest = token.startsWith(prefix) ? token.slice(prefix.length) : '';
    if (/^[A-Za-z0-9_-]{43}$/.test(rest)) return prefix + rest.slice(0, TOKEN_ID_CHARS);
  }
  return undefined;
}
