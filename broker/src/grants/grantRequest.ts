/**
 * What a developer may ask for, checked before anything is stored. Every
 * bound is a named setting in GRANT_LIMITS.
 */
import { MAX_GRANT_SCOPE_GLOBS, type GrantRequestJson } from '@keyhole/protocol';
import { brokerError, BrokerErrorCode } from '../errors';
import { type GrantKind } from '../store/records';

export const GRANT_LIMITS = {
  /** The window when the request names no duration: 30 minutes. */
  defaultDurationMs: 30 * 60_000,
  maxScopeGlobs: MAX_GRANT_SCOPE_GLOBS,
  maxGlobLength: 512,
  maxSelectorLabels: 16,
  maxLabelKeyLength: 63,
  maxLabelValueLength: 256,
  maxReasonLength: 2000,
  maxTicketLength: 200,
  /** Per-probe hit limit a grant may set; 0 leaves it to the agent default. */
  maxHitsPerProbe: 10_000,
} as const;

/** The body of POST /v1/grants before it is checked: the fields of GrantRequestJson (@keyhole/protocol), each of any type. */
export type GrantRequestInput = { [K in keyof GrantRequestJson]?: unknown };

export interface GrantRequest {
  readonly service: string;
  readonly selector: Record<string, string>;
  readonly scopeGlobs: string[];
  readonly kinds: GrantKind[];
  readonly durationMs: number;
  readonly reason: string;
  readonly ticket: string;
  readonly maxHitsPerProbe: number;
}

const bad = (message: string, hint: string) => brokerError(BrokerErrorCode.BadRequest, message, hint);
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function text(name: string, v: unknown, max: number, required: boolean): string {
  if (v === undefined && !required) return '';
  if (typeof v !== 'string' || (required && v.trim() === '') || v.length > max) {
    throw bad(`${name} must be ${required ? 'a non-empty' : 'a'} string of at most ${max} characters`, `give the grant a ${name}`);
  }
  return v;
}

export function parseGrantRequest(input: GrantRequestInput): GrantRequest {
  if (typeof input !== 'object' || input === null) throw bad('the grant request must be an object', 'send a JSON object');
  const service = text('service', input.service, 63, true);

  const selectorIn = input.selector ?? {};
  if (typeof selectorIn !== 'object' || selectorIn === null || Array.isArray(selectorIn)) {
    throw bad('selector must be an object of label = value', 'for example {"region": "eu-1"}');
  }
  const selector: Record<string, string> = {};
  const entries = Object.entries(selectorIn as Record<string, unknown>);
  if (entries.length > GRANT_LIMITS.maxSelectorLabels) throw bad(`selector has ${entries.length} labels, the limit is ${GRANT_LIMITS.maxSelectorLabels}`, 'select with fewer labels');
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k) || k.length > GRANT_LIMITS.maxLabelKeyLength) throw bad(`selector label ${JSON.stringify(k)} is not a valid label name`, 'use letters, digits, ".", "_", "/" or "-"');
    if (typeof v !== 'string' || v.length > GRANT_LIMITS.maxLabelValueLength) throw bad(`selector label ${k} must have a string value`, 'quote label values');
    selector[k] = v;
  }

  const globs = input.scopeGlobs;
  if (!Array.isArray(globs) || globs.length === 0 || globs.length > GRANT_LIMITS.maxScopeGlobs) {
    throw bad(`scopeGlobs must list 1 to ${GRANT_LIMITS.maxScopeGlobs} file globs`, 'name the files the probes may use, e.g. "src/orders/**"');
  }
  for (const g of globs) {
    if (typeof g !== 'string' || g.trim() === '' || g.length > GRANT_LIMITS.maxGlobLength || g.includes('\0')) {
      throw bad(`scope glob ${JSON.stringify(g)} is not valid`, `use non-empty globs of at most ${GRANT_LIMITS.maxGlobLength} characters`);
    }
  }

  const kindsIn = input.kinds ?? ['SNAPSHOT'];
  if (!Array.isArray(kindsIn) || kindsIn.length === 0 || kindsIn.some((k) => k !== 'SNAPSHOT' && k !== 'LOGPOINT')) {
    throw bad('kinds must list SNAPSHOT and/or LOGPOINT', 'for example ["SNAPSHOT"]');
  }

  const durationMs = input.durationMs === undefined ? GRANT_LIMITS.defaultDurationMs : input.durationMs;
  if (typeof durationMs !== 'number' || !Number.isInteger(durationMs) || durationMs <= 0) {
    throw bad('durationMs must be a positive whole number of milliseconds', 'leave it out for the 30-minute default');
  }

  const maxHits = input.maxHitsPerProbe ?? 0;
  if (typeof maxHits !== 'number' || !Number.isInteger(maxHits) || maxHits < 0 || maxHits > GRANT_LIMITS.maxHitsPerProbe) {
    throw bad(`maxHitsPerProbe must be 0 to ${GRANT_LIMITS.maxHitsPerProbe}`, 'leave it out for the agent default');
  }

  return {
    service,
    selector,
    scopeGlobs: [...new Set(globs as string[])],
    kinds: [...new Set(kindsIn as GrantKind[])],
    durationMs,
    reason: text('reason', input.reason, GRANT_LIMITS.maxReasonLength, true),
    ticket: text('ticket', input.ticket, GRANT_LIMITS.maxTicketLength, false),
    maxHitsPerProbe: maxHits,
  };
}
