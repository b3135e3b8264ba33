/**
 * Test support (not used by the agent at run time): a generated corpus of
 * objects with planted personal data and secrets of every kind the redactor
 * knows, at random depths, in keys, values, Maps, Sets, arrays, errors and
 * long strings, plus near-misses that must survive. checkCase serializes one
 * object with the real serializer, encodes it as a pb.Snapshot and searches
 * the encoded bytes for every planted value: those bytes are what would leave
 * the process. Used by corpus.test.ts and bench/masking-corpus-large.mjs.
 */
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { pb } from '@keyhole/protocol';
import { createSerializeContext, serializeValue } from '../capture/serializer';
import type { CaptureLimits } from '../capture/limits';
import { DEFAULT_CAPTURE_LIMITS } from '../capture/limits';
import type { Redactor } from './redactor';
import { luhnValid } from './validators';

/** A planted secret: how it is written, and the fragments that must not appear in the output. */
export interface Plant {
  readonly kind: string;
  readonly raw: string;
  readonly needles: readonly string[];
}

export type Placement = 'value' | 'key' | 'mapKey' | 'mapValue' | 'array' | 'set' | 'logLine' | 'longString' | 'error' | 'json';

export interface PlacedPlant {
  readonly plant: Plant;
  readonly placement: Placement;
  readonly path: readonly string[];
  /** Filler before the plant in logLine / longString placements. */
  readonly prefix: string;
  readonly suffix: string;
}

/** A value under a sensitive name: the whole value must disappear. */
export interface NamedPlant {
  readonly name: string;
  readonly value: unknown;
  readonly needles: readonly string[];
  readonly path: readonly string[];
  readonly inMap: boolean;
}

export interface NearMiss {
  readonly what: string;
  readonly raw: string;
  readonly path: readonly string[];
}

export interface CorpusCase {
  readonly root: Record<string, unknown>;
  readonly plants: readonly PlacedPlant[];
  readonly named: readonly NamedPlant[];
  readonly nearMisses: readonly NearMiss[];
  /** Text that is placed unmasked on purpose (keys, filler, near-misses): a needle found inside it cannot be judged. */
  readonly visible: readonly string[];
}

export interface CaseResult {
  /** Needles found in the encoded bytes: each is a leak. */
  readonly leaks: readonly string[];
  readonly plantsChecked: number;
  readonly needlesSkipped: number;
  readonly nearMissesPlaced: number;
  /** Near-misses that did not come out as written (masked by mistake). */
  readonly nearMissesMasked: readonly string[];
  /** True when some text was dropped by the masking time budget (near-misses are not judged then). */
  readonly dropped: boolean;
  readonly encodedBytes: number;
}

/** Limits deep and wide enough that every planted value is reached; the time budget must not cut a slow run on a busy machine. */
export const CORPUS_LIMITS: CaptureLimits = Object.freeze({
  ...DEFAULT_CAPTURE_LIMITS,
  maxDepth: 8,
  maxProperties: 64,
  maxBytes: 1024 * 1024,
  timeBudgetMs: 10_000,
});

const lower = 'abcdefghijklmnopqrstuvwxyz';
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const b64url = alnum + '-_';
const hex = '0123456789abcdef';

function chars(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: min, maxLength: max }).map((a) => a.map((i) => alphabet[i]).join(''));
}
const digits = (min: number, max = min): fc.Arbitrary<string> => chars('0123456789', min, max);

/** A random lower-case word that is not a sensitive name and holds no digits. */
export const neutralWord = chars(lower, 3, 9).filter((w) => !/^(pin|sid|pwd|otp|ssn|cvv|cvc|jwt|auth|token|secret|session|cookie|bearer|basic|iban|passwd|password|passcode)/.test(w));

function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

function group(s: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(s.slice(at, at + n));
    at += n;
  }
  if (at < s.length) out.push(s.slice(at));
  return out.join(sep);
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

const IBAN_COUNTRIES: ReadonlyArray<[string, number]> = [['DE', 22], ['GB', 22], ['FR', 27], ['NL', 18], ['ES', 24], ['IT', 27], ['NO', 15], ['CH', 21]];

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}

function ibanWithCheck(country: string, bban: string): string {
  const check = 98 - mod97(bban + country + '00');
  return country + String(check).padStart(2, '0') + bban;
}

const ibanParts = fc.tuple(fc.constantFrom(...IBAN_COUNTRIES), fc.boolean()).chain(([[country, length], spaced]) =>
  digits(length - 4).map((bban) => ({ country, bban, spaced })),
);

const plant = (kind: string, raw: string, needles: readonly string[] = [raw]): Plant => ({ kind, raw, needles });

/** One planted value of each kind the redactor masks by value. */
export const plantArbitraries: Readonly<Record<string, fc.Arbitrary<Plant>>> = {
  email: fc.tuple(chars(lower + '0123456789', 6, 12), chars(lower, 4, 10), fc.constantFrom('com', 'org', 'io', 'de', 'co.uk'), fc.boolean()).map(([local, domain, tld, encoded]) => {
    const raw = `${local}${encoded ? '%40' : '@'}${domain}.${tld}`;
    return plant('email', raw, [raw, `${local}${encoded ? '%40' : '@'}`]);
  }),
  card: fc.tuple(fc.constantFrom('4', '51', '55', '2221', '6011', '34', '37'), fc.constantFrom('', ' ', '-'), digits(17)).map(([iin, sep, rest]) => {
    const amex = iin === '34' || iin === '37';
    const n = withLuhn((iin + rest).slice(0, amex ? 14 : 15));
    const raw = sep === '' ? n : group(n, amex ? [4, 6, 5] : [4, 4, 4, 4], sep);
    return plant('card', raw, [raw, n.slice(0, 12)]);
  }),
  iban: ibanParts.map(({ country, bban, spaced }) => {
    const iban = ibanWithCheck(country, bban);
    const raw = spaced ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
    return plant('iban', raw, [raw, iban]);
  }),
  jwt: fc.tuple(chars(alnum, 8, 16), chars(b64url, 43, 43), fc.constantFrom('HS256', 'RS256', 'ES256')).map(([sub, sig, alg]) => {
    const payload = base64url(JSON.stringify({ sub, iat: 1732291200 }));
    const raw = `${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${payload}.${sig}`;
    return plant('jwt', raw, [payload, sig]);
  }),
  bearer: chars(alnum, 20, 40).map((t) => t + '9Z').map((t) => plant('bearer', `Bearer ${t}`, [t])),
  basic: fc.tuple(chars(lower, 4, 10), chars(alnum, 8, 16)).map(([u, p]) => {
    const enc = Buffer.from(`${u}:${p}`).toString('base64');
    return plant('basic', `Basic ${enc}`, [enc]);
  }),
  aws_key: fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 16)).map(([p, r]) => plant('aws_key', p + r)),
  github_token: fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghs_'), chars(alnum, 36, 36)).map(([p, r]) => plant('github_token', p + r)),
  stripe_key: fc.tuple(fc.constantFrom('sk_live_', 'rk_live_'), chars(alnum, 24, 32)).map(([p, r]) => plant('stripe_key', p + r)),
  slack_token: fc.tuple(fc.constantFrom('b', 'p', 'a'), digits(12), chars(alnum, 24, 24)).map(([t, d, r]) => plant('slack_token', `xox${t}-${d}-${r}`)),
  google_api_key: chars(b64url, 35, 35).map((r) => plant('google_api_key', `AIza${r}`)),
  private_key: fc.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''), fc.array(chars(alnum + '+/', 64, 64), { minLength: 2, maxLength: 6 }), fc.boolean()).map(([label, lines, withEnd]) => {
    const raw = `-----BEGIN ${label}PRIVATE KEY-----\n${lines.join('\n')}${withEnd ? `\n-----END ${label}PRIVATE KEY-----` : ''}`;
    return plant('private_key', raw, lines);
  }),
  ssn: fc.tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 })).map(([a, g, s]) =>
    plant('ssn', `${String(a).padStart(3, '0')}-${String(g).padStart(2, '0')}-${String(s).padStart(4, '0')}`),
  ),
  phone: fc.oneof(
    fc.tuple(fc.constantFrom('1', '44', '49', '33', '353'), digits(9, 10), fc.constantFrom(' ', '-', '')).map(([cc, rest, sep]) => plant('phone', `+${cc}${sep}${group(rest, [3, 3], sep)}`)),
    fc.tuple(fc.integer({ min: 2, max: 9 }), digits(9), fc.constantFrom('paren', '-', '.')).map(([first, rest, style]) => {
      const n = `${first}${rest}`;
      return plant('phone', style === 'paren' ? `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}` : group(n, [3, 3], style));
    }),
  ),
  ipv4: fc.tuple(fc.integer({ min: 11, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map((o) => plant('ipv4', o.join('.'))),
  ipv6: fc.tuple(fc.array(chars(hex, 1, 4), { minLength: 8, maxLength: 8 }), fc.boolean()).map(([groups, compress]) => {
    const raw = compress ? `2001:db8:${groups[0]}:${groups[1]}::${groups[2]}:${groups[3]}` : groups.join(':');
    if (!isIPv6(raw)) throw new Error(`generator made an invalid IPv6 ${raw}`);
    return plant('ipv6', raw);
  }),
  password_in_url: fc.tuple(chars(lower, 3, 8), chars(alnum, 10, 16)).map(([u, p]) => plant('password', `postgres://${u}:${p}@db.internal:5432/app`, [p])),
  token_in_query: chars(alnum, 12, 20).map((t) => plant('token', `https://api.example.com/v1/items?token=${t}&page=2`, [t])),
  password_in_json: chars(alnum, 10, 16).map((p) => plant('password', `{"user":"bob","password":"${p}"}`, [p])),
};

/** Names under which the whole value must disappear, in several spellings. */
const SENSITIVE_SPELLINGS = [
  'password', 'userPassword', 'API_KEY', 'x-api-key', 'apiKey', 'accessToken', 'refresh_token', 'Authorization', 'Set-Cookie', 'cookie',
  'sessionId', 'ssn', 'creditCard', 'card_number', 'cvv', 'pin', 'pin_code', 'userPin', 'privateKey', 'client_secret', 'secret', 'passwd', 'token',
];

const secretValue: fc.Arbitrary<{ value: unknown; needles: string[] }> = fc.oneof(
  chars(alnum, 12, 24).map((s) => ({ value: s, needles: [s] })),
  fc.integer({ min: 100_000_000, max: 2_000_000_000 }).map((n) => ({ value: n, needles: [String(n)] })),
  chars(alnum, 12, 24).map((s) => ({ value: { inner: s, list: [s + 'Q'] }, needles: [s] })),
  chars(alnum, 12, 24).map((s) => ({ value: [s], needles: [s] })),
  chars(alnum, 12, 24).map((s) => ({ value: new Map([['k', s]]), needles: [s] })),
);

const path = fc.array(neutralWord, { minLength: 0, maxLength: 5 });
const filler = (max: number): fc.Arbitrary<string> => fc.array(neutralWord, { minLength: 0, maxLength: max }).map((w) => w.join(' '));

const anyPlant = fc.oneof(...Object.values(plantArbitraries));

const placedPlant: fc.Arbitrary<PlacedPlant> = fc.record({
  plant: anyPlant,
  placement: fc.constantFrom<Placement>('value', 'key', 'mapKey', 'mapValue', 'array', 'set', 'logLine', 'longString', 'error', 'json'),
  path,
  prefix: fc.oneof(filler(4), filler(120)),
  suffix: filler(6),
});

const namedPlant: fc.Arbitrary<NamedPlant> = fc.record({ name: fc.constantFrom(...SENSITIVE_SPELLINGS), secret: secretValue, path, inMap: fc.boolean() }).map(({ name, secret, path: p, inMap }) => ({
  name,
  value: secret.value,
  needles: secret.needles,
  path: p,
  inMap,
}));

/** Values that look close to personal data but are not: they must come out as written. */
export const nearMissArbitraries: Readonly<Record<string, fc.Arbitrary<string>>> = {
  luhn_failing_card: digits(15).map((body) => {
    const good = withLuhn('4' + body.slice(1));
    return good.slice(0, 15) + String((Number(good[15]) + 1) % 10);
  }),
  bad_iban: ibanParts.map(({ country, bban }) => {
    const good = ibanWithCheck(country, bban);
    return country + String((Number(good.slice(2, 4)) + 1) % 100).padStart(2, '0') + bban;
  }).filter((s) => s.slice(2, 4) !== '00' && s.slice(2, 4) !== '01'),
  ssn_bad_area: fc.tuple(fc.constantFrom('000', '666', '900', '999'), digits(2), digits(4)).map(([a, g, s]) => `${a}-${g}-${s}`),
  bad_ipv4: fc.tuple(fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((o) => o.join('.')),
  order_id: digits(10, 12).map((d) => '1' + d),
  ms_timestamp: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map(String),
  uuid: fc.uuid(),
  sha1: chars(hex, 40, 40),
  version: fc.tuple(fc.nat(20), fc.nat(40), fc.nat(99)).map((v) => `v${v.join('.')}`),
  iso_time: fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
};

const nearMiss: fc.Arbitrary<NearMiss> = fc
  .tuple(fc.constantFrom(...Object.keys(nearMissArbitraries)), path)
  .chain(([what, p]) => nearMissArbitraries[what]!.map((raw) => ({ what, raw, path: p })));

/** Walks (creating plain objects) to the container at `path`. */
function containerAt(root: Record<string, unknown>, p: readonly string[]): Record<string, unknown> {
  let at = root;
  for (const key of p) {
    const next = at[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next) && !(next instanceof Map) && !(next instanceof Set) && !(next instanceof Error)) at = next as Record<string, unknown>;
    else {
      const fresh: Record<string, unknown> = {};
      at[key] = fresh;
      at = fresh;
    }
  }
  return at;
}

let slot = 0;
/** A fresh key, so that placements never overwrite each other (path words have no digits, so they never collide with it). */
function slotKey(): string {
  return `s${slot++}`;
}

function place(root: Record<string, unknown>, p: PlacedPlant): void {
  const at = containerAt(root, p.path);
  const raw = p.plant.raw;
  const line = `${p.prefix} ${raw} ${p.suffix}`;
  switch (p.placement) {
    case 'value': at[slotKey()] = raw; break;
    case 'key': at[raw] = 1; break;
    case 'mapKey': at[slotKey()] = new Map([[raw, 'x']]); break;
    case 'mapValue': at[slotKey()] = new Map([['note', raw]]); break;
    case 'array': at[slotKey()] = ['a', raw, 'b']; break;
    case 'set': at[slotKey()] = new Set([raw]); break;
    case 'logLine': at[slotKey()] = `INFO ${line}`; break;
    case 'longString': at[slotKey()] = `${p.prefix} ${p.prefix} ${p.prefix} ${raw} ${p.suffix}`; break;
    case 'error': at[slotKey()] = new Error(`failed for ${raw} while ${p.suffix}`); break;
    case 'json': at[slotKey()] = JSON.stringify({ note: line }); break;
  }
}

/** One generated object with 1-12 plants, 0-4 values under sensitive names and 0-4 near-misses. */
export const corpusCaseArbitrary: fc.Arbitrary<CorpusCase> = fc
  .record({
    plants: fc.array(placedPlant, { minLength: 1, maxLength: 12 }),
    named: fc.array(namedPlant, { minLength: 0, maxLength: 4 }),
    nearMisses: fc.array(nearMiss, { minLength: 0, maxLength: 4 }),
  })
  .map(({ plants, named, nearMisses }) => {
    const root: Record<string, unknown> = {};
    const visible: string[] = [];
    for (const p of plants) {
      place(root, p);
      visible.push(...p.path, p.prefix, p.suffix);
    }
    for (const n of named) {
      const at = containerAt(root, n.path);
      if (n.inMap) at[slotKey()] = new Map([[n.name, n.value]]);
      else at[n.name] = n.value;
      visible.push(...n.path);
    }
    for (const m of nearMisses) {
      containerAt(root, m.path)[slotKey()] = m.raw;
      visible.push(...m.path, m.raw);
    }
    return { root, plants, named, nearMisses, visible };
  });

/** Serializes one case with the real serializer, encodes it as a snapshot, and searches the bytes. */
export function checkCase(c: CorpusCase, redactor: Redactor, limits: CaptureLimits = CORPUS_LIMITS): CaseResult {
  const ctx = createSerializeContext(limits, redactor);
  const value = serializeValue(c.root, ctx);
  const snapshot: pb.Snapshot.$Properties = {
    id: 'corpus',
    frames: [{ functionName: 'handler', scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'request', value }] }], localsCaptured: true }],
    errors: ctx.errors,
    maskedKinds: [...ctx.maskedKinds],
  };
  const bytes = pb.Snapshot.encode(snapshot).finish();
  const encoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const leaks: string[] = [];
  let plantsChecked = 0;
  let needlesSkipped = 0;
  const check = (needles: readonly string[]): void => {
    plantsChecked++;
    for (const needle of needles) {
      if (c.visible.some((v) => v.includes(needle))) {
        needlesSkipped++;
        continue;
      }
      if (encoded.indexOf(needle) >= 0) leaks.push(needle);
    }
  };
  for (const p of c.plants) check(p.plant.needles);
  for (const n of c.named) check(n.needles);
  const dropped = ctx.maskedKinds.has('dropped');
  const nearMissesMasked = dropped ? [] : c.nearMisses.filter((m) => encoded.indexOf(m.raw) < 0).map((m) => `${m.what}: ${m.raw}`);
  return { leaks, plantsChecked, needlesSkipped, nearMissesPlaced: dropped ? 0 : c.nearMisses.length, nearMissesMasked, dropped, encodedBytes: encoded.length };
}
