/**
 * A service's capture policy: whether capture is enabled at all, how many
 * approvals a grant needs, the longest window an approval may open, how long
 * snapshots are kept, masking the agent adds to its own defaults, and who may
 * ask. Every bound is a named setting below.
 */
import { brokerError, BrokerErrorCode } from '../errors';
import { isRole, type Role } from '../identity/roles';
import { type ServicePolicy } from '../store/records';
import { USER_ID_PATTERN } from '../identity/principal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const POLICY_LIMITS = {
  /** A grant needs between 1 and this many distinct approvals. */
  maxApprovalsRequired: 10,
  /** The longest window a service may allow: 24 h. */
  maxWindowMsCeiling: DAY,
  /** The shortest window a service may allow: 1 min. */
  maxWindowMsFloor: MINUTE,
  /** Snapshots live between 1 minute and 30 days. */
  snapshotTtlMsFloor: MINUTE,
  snapshotTtlMsCeiling: 30 * DAY,
  /** Masking additions: at most this many entries, each at most this long. */
  maxMaskingEntries: 100,
  maxMaskingEntryLength: 200,
} as const;

export const DEFAULT_POLICY: ServicePolicy = {
  enabled: true,
  approvalsRequired: 1,
  maxWindowMs: HOUR,
  snapshotTtlMs: DAY,
  masking: { names: [], valuePatterns: [] },
  requesters: { roles: ['developer'], users: [] },
};

export interface PolicyInput {
  enabled?: unknown;
  approvalsRequired?: unknown;
  maxWindowMs?: unknown;
  snapshotTtlMs?: unknown;
  masking?: { names?: unknown; valuePatterns?: unknown };
  requesters?: { roles?: unknown; users?: unknown };
}

const bad = (message: string, hint: string) => brokerError(BrokerErrorCode.BadRequest, message, hint);

function integerIn(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`, `set ${name} inside that range`);
  }
  return v;
}

function stringList(name: string, v: unknown, check: (s: string) => string | undefined): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw bad(`${name} must be a list of strings`, `pass ${name} as a JSON array of strings`);
  const list = [...new Set(v as string[])];
  if (list.length > POLICY_LIMITS.maxMaskingEntries) throw bad(`${name} has ${list.length} entries, the limit is ${POLICY_LIMITS.maxMaskingEntries}`, 'merge entries');
  for (const s of list) {
    const problem = s.length === 0 || s.length > POLICY_LIMITS.maxMaskingEntryLength ? `must be 1-${POLICY_LIMITS.maxMaskingEntryLength} characters` : check(s);
    if (problem) throw bad(`${name} entry ${JSON.stringify(s)} ${problem}`, `fix or remove that entry of ${name}`);
  }
  return list;
}

function regexProblem(s: string): string | undefined {
  try {
    new RegExp(s, 'u');
    return undefined;
  } catch (err) {
    return `is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Applies `input` over `base`, validating every field it sets. */
export function resolvePolicy(input: PolicyInput, base: ServicePolicy = DEFAULT_POLICY): ServicePolicy {
  if (typeof input !== 'object' || input === null) throw bad('the policy must be an object', 'pass the policy as a JSON object');
  const enabled = input.enabled === undefined ? base.enabled : input.enabled;
  if (typeof enabled !== 'boolean') throw bad('enabled must be true or false', 'set enabled to true or false');
  const approvalsRequired = input.approvalsRequired === undefined ? base.approvalsRequired : integerIn('approvalsRequired', input.approvalsRequired, 1, POLICY_LIMITS.maxApprovalsRequired);
  const maxWindowMs =
    input.maxWindowMs === undefined ? base.maxWindowMs : integerIn('maxWindowMs', input.maxWindowMs, POLICY_LIMITS.maxWindowMsFloor, POLICY_LIMITS.maxWindowMsCeiling);
  const snapshotTtlMs =
    input.snapshotTtlMs === undefined
      ? base.snapshotTtlMs
      : integerIn('snapshotTtlMs', input.snapshotTtlMs, POLICY_LIMITS.snapshotTtlMsFloor, POLICY_LIMITS.snapshotTtlMsCeiling);
  const m = input.masking ?? {};
  const masking = {
    names: m.names === undefined ? base.masking.names : stringList('masking.names', m.names, () => undefined),
    valuePatterns: m.valuePatterns === undefined ? base.masking.valuePatterns : stringList('masking.valuePatterns', m.valuePatterns, regexProblem),
  };
  const q = input.requesters ?? {};
  const requesters = {
    roles: q.roles === undefined ? base.requesters.roles : (stringList('requesters.roles', q.roles, (s) => (isRole(s) ? undefined : 'is not a role')) as Role[]),
    users: q.users === undefined ? base.requesters.users : stringList('requesters.users', q.users, (s) => (USER_ID_PATTERN.test(s) ? undefined : 'is not a user id')),
  };
  return { enabled, approvalsRequired, maxWindowMs, snapshotTtlMs, masking, requesters };
}

/** True when the policy lets this user request grants. */
export function mayRequest(policy: ServicePolicy, user: { id: string; roles: readonly Role[] }): boolean {
  return policy.requesters.users.includes(user.id) || user.roles.some((r) => policy.requesters.roles.includes(r));
}
