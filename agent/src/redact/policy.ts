/**
 * What ops configure about masking, per service, in the agent's own
 * configuration (never from the IDE): extra sensitive names, extra value
 * patterns, names to exempt, and whether masked text may reveal the length.
 * The broker can only add to it (mergeAdditions); nothing it sends removes
 * masking.
 */
import { readFileSync } from 'node:fs';
import type { pb } from '@keyhole/protocol';
import { checkPatternSafety } from './patternSafety';
import { normaliseName } from './names';

export interface MaskingPattern {
  /** Reported as `[MASKED:<kind>]`: lower-case letters, digits and `_`, starting with a letter. */
  readonly kind: string;
  /** A JavaScript regex source in the restricted syntax of patternSafety.ts. */
  readonly pattern: string;
}

export interface MaskingPolicy {
  /** Names masked in addition to DEFAULT_SENSITIVE_NAMES, in any spelling. Default none. */
  readonly extraNames: readonly string[];
  /** Value patterns masked in addition to the built-in detectors. Default none. */
  readonly extraPatterns: readonly MaskingPattern[];
  /** Whole names never masked by name (compared after normalisation); value detectors still apply. Default none. */
  readonly exemptNames: readonly string[];
  /**
   * Masked text says how long the original was (`[MASKED:email len=17]`).
   * Default false: a length narrows guesses (a 4-digit PIN, a short password).
   */
  readonly revealLength: boolean;
  /**
   * Time one masking pass over a text may take, checked between detectors.
   * Past it the pass is tried once more (a GC pause may have stretched it)
   * and then the text is dropped, not sent. Default 2 ms.
   */
  readonly timeBudgetMs: number;
  /** UTF-16 units scanned per text; the rest is replaced by `[MASKED:unscanned]`. Default 8192. */
  readonly maxScanLength: number;
}

export const DEFAULT_MASKING_POLICY: MaskingPolicy = Object.freeze({
  extraNames: Object.freeze([]),
  extraPatterns: Object.freeze([]),
  exemptNames: Object.freeze([]),
  revealLength: false,
  timeBudgetMs: 2,
  maxScanLength: 8192,
});

/** Environment variable naming the JSON file with the service's masking policy. */
export const MASKING_FILE_ENV = 'KEYHOLE_MASKING_FILE';

/** Kind given to value patterns the broker sends (they carry no kind of their own). */
export const BROKER_PATTERN_KIND = 'custom';

export const MaskingPolicyErrorCode = {
  /** The policy file could not be read or is not JSON. */
  UNREADABLE: 'KH_MASKING_POLICY_UNREADABLE',
  /** The policy has a field of the wrong type, an unknown field, or a refused pattern. */
  INVALID: 'KH_MASKING_POLICY_INVALID',
} as const;

export type PolicyResult =
  | { readonly ok: true; readonly policy: MaskingPolicy }
  | { readonly ok: false; readonly code: (typeof MaskingPolicyErrorCode)[keyof typeof MaskingPolicyErrorCode]; readonly problems: readonly string[] };

const KIND_SYNTAX = /^[a-z][a-z0-9_]{0,31}$/;
const POLICY_FIELDS = ['extraNames', 'extraPatterns', 'exemptNames', 'revealLength', 'timeBudgetMs', 'maxScanLength'];

function checkNames(field: string, names: unknown, problems: string[]): string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names)) {
    problems.push(`${field} must be a list of names`);
    return [];
  }
  const out: string[] = [];
  names.forEach((n: unknown, i) => {
    if (typeof n !== 'string' || normaliseName(n).length === 0) problems.push(`${field}[${i}] must be a name with letters or digits, got ${JSON.stringify(n)}`);
    else out.push(n);
  });
  return out;
}

function checkPatterns(field: string, patterns: unknown, problems: string[]): MaskingPattern[] {
  if (patterns === undefined) return [];
  if (!Array.isArray(patterns)) {
    problems.push(`${field} must be a list of {kind, pattern}`);
    return [];
  }
  const out: MaskingPattern[] = [];
  patterns.forEach((p: unknown, i) => {
    const { kind, pattern } = (typeof p === 'object' && p !== null ? p : {}) as { kind?: unknown; pattern?: unknown };
    if (typeof kind !== 'string' || !KIND_SYNTAX.test(kind)) {
      problems.push(`${field}[${i}].kind must be lower-case letters, digits or _ (starting with a letter, at most 32), got ${JSON.stringify(kind)}`);
      return;
    }
    if (typeof pattern !== 'string') {
      problems.push(`${field}[${i}].pattern must be a string`);
      return;
    }
    const problem = checkPatternSafety(pattern);
    if (problem !== undefined) problems.push(`${field}[${i}] (${kind}) pattern ${JSON.stringify(pattern)} is refused: ${problem}`);
    else out.push({ kind, pattern });
  });
  return out;
}

function positiveNumber(field: string, v: unknown, fallback: number, integer: boolean, problems: string[]): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    problems.push(`${field} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
    return fallback;
  }
  return v;
}

/**
 * Checks a policy (from a file, from code) field by field and fills in
 * defaults. Every problem is listed, so ops can fix a file in one go.
 */
export function resolveMaskingPolicy(input: unknown): PolicyResult {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, code: MaskingPolicyErrorCode.INVALID, problems: ['the masking policy must be a JSON object'] };
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!POLICY_FIELDS.includes(key)) problems.push(`unknown field "${key}" (known: ${POLICY_FIELDS.join(', ')})`);
  const revealLength = o['revealLength'] ?? false;
  if (typeof revealLength !== 'boolean') problems.push('revealLength must be true or false');
  const policy: MaskingPolicy = Object.freeze({
    extraNames: Object.freeze(checkNames('extraNames', o['extraNames'], problems)),
    extraPatterns: Object.freeze(checkPatterns('extraPatterns', o['extraPatterns'], problems)),
    exemptNames: Object.freeze(checkNames('exemptNames', o['exemptNames'], problems)),
    revealLength: revealLength === true,
    timeBudgetMs: positiveNumber('timeBudgetMs', o['timeBudgetMs'], DEFAULT_MASKING_POLICY.timeBudgetMs, false, problems),
    maxScanLength: positiveNumber('maxScanLength', o['maxScanLength'], DEFAULT_MASKING_POLICY.maxScanLength, true, problems),
  });
  return problems.length ? { ok: false, code: MaskingPolicyErrorCode.INVALID, problems } : { ok: true, policy };
}

/**
 * The policy named by KEYHOLE_MASKING_FILE, or the defaults when it is unset.
 * Called once at start; a problem here should keep the agent from capturing.
 */
export function loadMaskingPolicyFromEnv(env: NodeJS.ProcessEnv): PolicyResult {
  const file = env[MASKING_FILE_ENV];
  if (file === undefined || file === '') return { ok: true, policy: DEFAULT_MASKING_POLICY };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, code: MaskingPolicyErrorCode.UNREADABLE, problems: [`${MASKING_FILE_ENV}: cannot read ${file} as JSON: ${(e as Error).message}`] };
  }
  const result = resolveMaskingPolicy(parsed);
  return result.ok ? result : { ...result, problems: result.problems.map((p) => `${MASKING_FILE_ENV} (${file}): ${p}`) };
}

/**
 * Adds what the broker sent (pb.MaskingAdditions) to the policy. It can only
 * add names and patterns, never exempt or reveal. A refused pattern refuses
 * the whole addition: applying the rest would silently mask less than the
 * service's policy asks for.
 */
export function mergeAdditions(policy: MaskingPolicy, additions: pb.MaskingAdditions.$Properties | null | undefined): PolicyResult {
  if (!additions) return { ok: true, policy };
  const problems: string[] = [];
  const names = checkNames('broker masking names', additions.names ?? [], problems);
  const patterns = checkPatterns('broker masking patterns', (additions.valuePatterns ?? []).map((pattern) => ({ kind: BROKER_PATTERN_KIND, pattern })), problems);
  if (problems.length) return { ok: false, code: MaskingPolicyErrorCode.INVALID, problems };
  return {
    ok: true,
    policy: Object.freeze({
      ...policy,
      extraNames: Object.freeze([...policy.extraNames, ...names]),
      extraPatterns: Object.freeze([...policy.extraPatterns, ...patterns]),
    }),
  };
}
