/**
 * Runbooks: ops describe, per service, a capture a permitted non-engineer
 * may start from the web page: the problem in plain words, the probes it
 * sets, how long, and how to read the result. Starting one makes an
 * ordinary grant request that still needs approval.
 *
 * The file is validated by hand rather than with a schema library: the
 * shape is small, and every message names the exact field and says what
 * to write instead, which generic JSON-schema messages do not.
 */
import { PROBE_LIMITS } from '../probes/probeService';
import { GRANT_LIMITS } from '../grants/grantRequest';
import { authorize, isRole, type Role } from '../identity/roles';
import { SERVICE_NAME_PATTERN } from '../identity/principal';

export const RUNBOOK_FILE_VERSION = 1;

export const RUNBOOK_LIMITS = {
  maxRunbooks: 200,
  maxProbesPerRunbook: 20,
  maxTextLength: 2000,
  maxTitleLength: 120,
  /** A runbook window is 1 minute to 24 hours; the service policy may cap it further. */
  minDurationMinutes: 1,
  maxDurationMinutes: 24 * 60,
} as const;

export type RunbookProbeKind = 'SNAPSHOT' | 'LOGPOINT';

export interface RunbookProbe {
  readonly kind: RunbookProbeKind;
  /** What this probe shows, in plain words: the heading of its result table. */
  readonly label: string;
  readonly path: string;
  readonly line: number;
  /** LOGPOINT only: the message template, e.g. "order {order.id} x{quantity}". */
  readonly template: string;
}

export interface Runbook {
  readonly id: string;
  readonly service: string;
  readonly title: string;
  /** The problem this runbook looks into, for the person who starts it and the approver. */
  readonly problem: string;
  /** How to read the result. */
  readonly reading: string;
  /** Roles that may start it; each must be allowed to request grants. */
  readonly allowedRoles: readonly Role[];
  readonly selector: Readonly<Record<string, string>>;
  readonly durationMinutes: number;
  readonly probes: readonly RunbookProbe[];
  /**
   * Ops allow approvers to approve this runbook ahead of time for a named
   * starter (a standing pre-signed grant); a start inside that window uses it
   * instead of a new request. Absent: false.
   */
  readonly standingApprovals?: boolean;
}

export type RunbookValidation = { readonly ok: true; readonly runbooks: readonly Runbook[] } | { readonly ok: false; readonly problems: readonly string[] };

const RUNBOOK_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Checks a parsed runbook file; lists every problem found, each naming its field. */
export function validateRunbookFile(input: unknown): RunbookValidation {
  const problems: string[] = [];
  const say = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (!isObject(input)) return { ok: false, problems: ['the file must hold a JSON object {"version": 1, "runbooks": [...]}'] };
  if (input['version'] !== RUNBOOK_FILE_VERSION) say('version', `must be ${RUNBOOK_FILE_VERSION}`);
  const list = input['runbooks'];
  if (!Array.isArray(list)) {
    say('runbooks', 'must be a list');
    return { ok: false, problems };
  }
  if (list.length > RUNBOOK_LIMITS.maxRunbooks) say('runbooks', `has ${list.length} entries, the limit is ${RUNBOOK_LIMITS.maxRunbooks}`);
  const seen = new Set<string>();
  const runbooks: Runbook[] = [];
  list.forEach((raw: unknown, i) => {
    const at = `runbooks[${i}]`;
    const before = problems.length;
    if (!isObject(raw)) {
      say(at, 'must be an object');
      return;
    }
    const id = text(raw, 'id', at, say, 63);
    if (id && !RUNBOOK_ID.test(id)) say(`${at}.id`, 'use lower-case letters, digits and "-", e.g. "orders-failed-checkout"');
    if (id && seen.has(id)) say(`${at}.id`, `"${id}" is used twice; ids must be unique`);
    seen.add(id);
    const service = text(raw, 'service', at, say, 63);
    if (service && !SERVICE_NAME_PATTERN.test(service)) say(`${at}.service`, `"${service}" is not a service name`);
    const title = text(raw, 'title', at, say, RUNBOOK_LIMITS.maxTitleLength);
    const problem = text(raw, 'problem', at, say, RUNBOOK_LIMITS.maxTextLength);
    const reading = text(raw, 'reading', at, say, RUNBOOK_LIMITS.maxTextLength);
    const allowedRoles = roles(raw['allowedRoles'], `${at}.allowedRoles`, say);
    const selector = labels(raw['selector'], `${at}.selector`, say);
    const durationMinutes = raw['durationMinutes'];
    if (!isWhole(durationMinutes, RUNBOOK_LIMITS.minDurationMinutes, RUNBOOK_LIMITS.maxDurationMinutes)) {
      say(`${at}.durationMinutes`, `must be a whole number of minutes from ${RUNBOOK_LIMITS.minDurationMinutes} to ${RUNBOOK_LIMITS.maxDurationMinutes}`);
    }
    const probes = probeList(raw['probes'], `${at}.probes`, say);
    const standing = raw['standingApprovals'];
    if (standing !== undefined && typeof standing !== 'boolean') say(`${at}.standingApprovals`, 'must be true or false');
    if (problems.length === before) {
      runbooks.push({ id, service, title, problem, reading, allowedRoles, selector, durationMinutes: durationMinutes as number, probes, ...(standing === true ? { standingApprovals: true } : {}) });
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, runbooks };
}

type Say = (where: string, what: string) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWhole(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function text(o: Record<string, unknown>, name: string, at: string, say: Say, max: number, required = true): string {
  const v = o[name];
  if (v === undefined && !required) return '';
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
    say(`${at}.${name}`, `must be a non-empty string of at most ${max} characters`);
    return '';
  }
  return v;
}

function roles(v: unknown, at: string, say: Say): Role[] {
  if (!Array.isArray(v) || v.length === 0) {
    say(at, 'must list at least one role, e.g. ["developer"]');
    return [];
  }
  const out: Role[] = [];
  for (const r of v) {
    if (!isRole(r)) say(at, `${JSON.stringify(r)} is not a role (developer, approver, ops, admin)`);
    else if (!authorize([r], 'grant.request')) say(at, `${r} may not request grants, so it cannot start a runbook; use a role that may (developer)`);
    else out.push(r);
  }
  return [...new Set(out)];
}

function labels(v: unknown, at: string, say: Say): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v)) {
    say(at, 'must be an object of label = value, e.g. {"region": "eu"}');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string' || value.length > GRANT_LIMITS.maxLabelValueLength) say(`${at}.${k}`, 'must be a string');
    else out[k] = value;
  }
  return out;
}

function probeList(v: unknown, at: string, say: Say): RunbookProbe[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > RUNBOOK_LIMITS.maxProbesPerRunbook) {
    say(at, `must list 1 to ${RUNBOOK_LIMITS.maxProbesPerRunbook} probes`);
    return [];
  }
  const out: RunbookProbe[] = [];
  v.forEach((raw: unknown, i) => {
    const pat = `${at}[${i}]`;
    if (!isObject(raw)) {
      say(pat, 'must be an object {"kind", "label", "path", "line", "template"}');
      return;
    }
    const kind = raw['kind'];
    if (kind !== 'SNAPSHOT' && kind !== 'LOGPOINT') say(`${pat}.kind`, 'must be "SNAPSHOT" or "LOGPOINT"');
    const label = text(raw, 'label', pat, say, RUNBOOK_LIMITS.maxTitleLength);
    const path = text(raw, 'path', pat, say, PROBE_LIMITS.maxPathLength);
    if (path.includes('*')) say(`${pat}.path`, 'must name one file, not a glob');
    const line = raw['line'];
    if (!isWhole(line, 1, PROBE_LIMITS.maxLine)) say(`${pat}.line`, `must be a line number from 1 to ${PROBE_LIMITS.maxLine}`);
    const template = text(raw, 'template', pat, say, PROBE_LIMITS.maxLogTemplateLength, kind === 'LOGPOINT');
    if (kind === 'SNAPSHOT' && raw['template'] !== undefined) say(`${pat}.template`, 'only a LOGPOINT has a template; remove it or make the probe a LOGPOINT');
    if ((kind === 'SNAPSHOT' || kind === 'LOGPOINT') && isWhole(line, 1, PROBE_LIMITS.maxLine)) out.push({ kind, label, path, line, template });
  });
  return out;
}
