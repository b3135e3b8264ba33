import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SENSITIVE_NAMES, DESCRIPTOR_PARTS, NameMatcher, normaliseName } from './names';

const defaults = new NameMatcher(DEFAULT_SENSITIVE_NAMES);

test('normaliseName splits on punctuation, camelCase, acronyms and digits', () => {
  assert.deepEqual(normaliseName('userAPIKey_v2'), ['user', 'api', 'key', 'v', '2']);
  assert.deepEqual(normaliseName('Set-Cookie'), ['set', 'cookie']);
  assert.deepEqual(normaliseName('x.api.key'), ['x', 'api', 'key']);
  assert.deepEqual(normaliseName('PIN_CODE'), ['pin', 'code']);
  assert.deepEqual(normaliseName('__proto__'), ['proto']);
  assert.deepEqual(normaliseName('---'), []);
});

test('pin matches pin, userPin, pin_code but not spinner, pinned, shipping', () => {
  for (const name of ['pin', 'userPin', 'pin_code', 'PIN', 'card-pin']) assert.equal(defaults.kindOf(name), 'pin', name);
  for (const name of ['spinner', 'pinned', 'shipping', 'pinyin', 'opinion']) assert.equal(defaults.kindOf(name), undefined, name);
});

test('spellings of one entry all match it', () => {
  for (const name of ['apiKey', 'API_KEY', 'x-api-key', 'apikey', 'ApiKey']) assert.equal(defaults.kindOf(name), 'api_key', name);
  for (const name of ['password', 'userPassword', 'PASSWORD_HASH', 'db.password']) assert.equal(defaults.kindOf(name), 'password', name);
  assert.equal(defaults.kindOf('accessToken'), 'access_token');
  assert.equal(defaults.kindOf('accesstoken'), 'access_token');
  assert.equal(defaults.kindOf('Set-Cookie'), 'set_cookie');
  assert.equal(defaults.kindOf('headers.authorization'), 'authorization');
  assert.equal(defaults.kindOf('creditCardNumber'), 'credit_card');
});

test('words that merely contain an entry are not sensitive', () => {
  for (const name of ['tokenizer', 'authorName', 'secretary', 'sessions2go', 'passwordless'.slice(0, 4), 'cookies', 'sidebar', 'oauth']) {
    assert.equal(defaults.kindOf(name), undefined, name);
  }
});

test('a descriptor as the last part means the name describes the secret, not holds it', () => {
  assert.equal(defaults.kindOf('sessionCount'), undefined);
  assert.equal(defaults.kindOf('tokenLength'), undefined);
  assert.equal(defaults.kindOf('passwordExpiresAt'), undefined);
  assert.equal(defaults.kindOf('session'), 'session');
  assert.equal(defaults.kindOf('sessionId'), 'session_id');
  assert.equal(defaults.kindOf('sessionData'), 'session');
});

test('extra names add, exempt names remove whole names only', () => {
  const m = new NameMatcher([...DEFAULT_SENSITIVE_NAMES, 'customer_ref'], ['sessionData']);
  assert.equal(m.kindOf('customerRef'), 'customer_ref');
  assert.equal(m.kindOf('session_data'), undefined);
  assert.equal(m.kindOf('sessionId'), 'session_id');
});

test('names with no letters or digits, and very long names, are handled', () => {
  assert.equal(defaults.kindOf(''), undefined);
  assert.equal(defaults.kindOf('$$'), undefined);
  assert.equal(defaults.kindOf('password' + 'x'.repeat(100_000)), undefined);
  assert.equal(defaults.kindOf('my_password_' + 'x'.repeat(100_000)), 'password');
});

test('property: a sensitive entry framed by other words stays sensitive in any case or separator', () => {
  // Other words: not sensitive themselves, and not a descriptor (the one documented exception).
  const words = fc.stringMatching(/^[a-z]{1,8}$/).filter((w) => defaults.kindOf(w) === undefined && !DESCRIPTOR_PARTS.includes(w));
  fc.assert(
    fc.property(words, words, fc.constantFrom('_', '-', '.', ''), (before, after, sep) => {
      const name = sep === '' ? `${before}Password${after[0]!.toUpperCase()}${after.slice(1)}` : `${before}${sep}PASSWORD${sep}${after}`;
      assert.equal(defaults.kindOf(name), 'password', name);
    }),
    { numRuns: 500 },
  );
});
