import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './capture/limits';
import { DEFAULT_LOCATION_SETTINGS, type LocationSettings } from './location/settings';

/** Per-probe token buckets and the global budget that keep capture cheap for the host. */
export interface RateSettings {
  /** Snapshot tokens refilled per second, per probe. Default 1. */
  readonly snapshotsPerSecond: number;
  /** Snapshot bucket size, per probe. Default 5. */
  readonly snapshotBurst: number;
  /** Logpoint tokens refilled per second, per probe. Default 100. */
  readonly logpointsPerSecond: number;
  /** Logpoint bucket size, per probe. Default 100. */
  readonly logpointBurst: number;
  /**
   * Tokens a snapshot probe that ran out waits for before it is re-armed
   * (capped at the burst). Every arm/disarm cycle makes V8 deoptimize the
   * probed function and optimize it again (about 20 M instructions of
   * compiler work, several ms of CPU: bench/rate-limited-instructions.mjs),
   * so on a line hit all the time, fewer armings that each take several
   * snapshots cost less than one arming per token, at the same average
   * rate. Default 5 (the burst: a hot line is armed once per 5 s at the
   * default rate, for 5 snapshots).
   */
  readonly snapshotRearmTokens: number;
  /** The same for logpoints, whose tokens refill every 10 ms at the default rate. Default 50. */
  readonly logpointRearmTokens: number;
  /** Hits after which a probe completes when neither probe nor grant says. Default 1000. */
  readonly defaultMaxHits: number;
  /**
   * Main-thread time captures may block per rolling second, summed over all
   * probes. Above it every probe is disarmed until the window refills. Default 10 ms (1%).
   */
  readonly blockedMsPerSecond: number;
  /**
   * Condition evaluations, over all probes, after which what one evaluation
   * costs is measured again and charged from then on. V8 keeps every
   * compiled condition until its next full GC, and passes get slower as
   * they pile up (2-3x measured), so a cost measured once at arming would
   * let the budget be overspent. Each measurement is charged to the budget.
   * Default 1000.
   */
  readonly conditionCostRecheckPasses: number;
  /**
   * Condition evaluations, over all probes, allowed between two full
   * garbage collections of the host. V8 keeps every compiled condition until
   * the next full GC, and with thousands waiting some passes stall the whole
   * thread (measured with a bare session: 108 ms at 10,922 of them, 355 ms
   * at 21,844, 2.4 s with a 20 MB live heap; bench/condition-stalls.mjs).
   * Past this count every probe is disarmed until the host's next full GC,
   * and says so. Default 5000.
   */
  readonly maxPassesBetweenGcs: number;
}

export interface TransportSettings {
  /** Frames held while the broker is unreachable; older frames are dropped and counted. Default 512. */
  readonly queueMaxFrames: number;
  /** Bytes held in the queue at most. Default 8 MiB. */
  readonly queueMaxBytes: number;
  /** First reconnect delay. Default 500 ms. */
  readonly reconnectMinMs: number;
  /** Longest reconnect delay (jittered exponential backoff). Default 30 s. */
  readonly reconnectMaxMs: number;
  /** Heartbeat interval unless the broker asks for another. Default 10 s. */
  readonly heartbeatMs: number;
  /**
   * How often the agent removes probes whose grant or expiry ended and checks
   * whether another debugger attached (it then stands down). Default 1 s.
   */
  readonly sweepMs: number;
  /**
   * How long the agent keeps probes armed without a broker connection. It
   * could miss a revocation, so past this every probe is removed. Default 30 s.
   */
  readonly brokerLossGraceMs: number;
  /** Largest frame accepted from the broker. Default 1 MiB. */
  readonly maxFrameBytes: number;
}

export interface ResolvedAgentConfig {
  readonly enabled: boolean;
  /** ws:// or wss:// URL of the broker's agent endpoint. */
  readonly brokerUrl: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Path of the trust file ops gave this service (approver keys, K). */
  readonly trustFile: string;
  readonly agentToken: string;
  readonly instanceId: string;
  readonly capture: CaptureLimits;
  readonly rate: RateSettings;
  readonly transport: TransportSettings;
  /** Finding scripts by path and reading their source maps (location/settings.ts). */
  readonly location: LocationSettings;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What `start(options)` accepts: any subset, merged over environment and defaults. */
export type AgentOptions = DeepPartial<ResolvedAgentConfig>;

export const DEFAULT_RATE: RateSettings = Object.freeze({
  snapshotsPerSecond: 1,
  snapshotBurst: 5,
  logpointsPerSecond: 100,
  logpointBurst: 100,
  snapshotRearmTokens: 5,
  logpointRearmTokens: 50,
  defaultMaxHits: 1000,
  blockedMsPerSecond: 10,
  conditionCostRecheckPasses: 1000,
  maxPassesBetweenGcs: 5000,
});

export const DEFAULT_TRANSPORT: TransportSettings = Object.freeze({
  queueMaxFrames: 512,
  queueMaxBytes: 8 * 1024 * 1024,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  heartbeatMs: 10_000,
  sweepMs: 1000,
  brokerLossGraceMs: 30_000,
  maxFrameBytes: 1024 * 1024,
});

export type ConfigResult = { readonly ok: true; readonly config: ResolvedAgentConfig } | { readonly ok: false; readonly problems: readonly string[] };

/** Reads the KEYHOLE_* environment variables into options. Unset variables are left out. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): { options: AgentOptions; problems: string[] } {
  const options: { -readonly [K in keyof AgentOptions]: AgentOptions[K] } = {};
  const problems: string[] = [];
  const enabled = env['KEYHOLE_ENABLED'];
  if (enabled !== undefined) {
    const v = enabled.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) options.enabled = true;
    else if (['0', 'false', 'no', 'off', ''].includes(v)) options.enabled = false;
    else problems.push(`KEYHOLE_ENABLED must be true or false, got "${enabled}"`);
  }
  if (env['KEYHOLE_BROKER'] !== undefined) options.brokerUrl = env['KEYHOLE_BROKER'];
  if (env['KEYHOLE_SERVICE'] !== undefined) options.service = env['KEYHOLE_SERVICE'];
  if (env['KEYHOLE_TRUST_FILE'] !== undefined) options.trustFile = env['KEYHOLE_TRUST_FILE'];
  if (env['KEYHOLE_AGENT_TOKEN'] !== undefined) options.agentToken = env['KEYHOLE_AGENT_TOKEN'];
  if (env['KEYHOLE_INSTANCE_ID'] !== undefined) options.instanceId = env['KEYHOLE_INSTANCE_ID'];
  const settings = env['KEYHOLE_SETTINGS'];
  if (settings !== undefined && settings.trim()) {
    const parsed = parseSettings(settings);
    if (typeof parsed === 'string') problems.push(parsed);
    else Object.assign(options, parsed);
  }
  const labels = env['KEYHOLE_LABELS'];
  if (labels !== undefined) {
    const parsed = parseLabels(labels);
    if (typeof parsed === 'string') problems.push(parsed);
    else options.labels = parsed;
  }
  return { options, problems };
}

const SETTING_GROUPS = { capture: DEFAULT_CAPTURE_LIMITS, rate: DEFAULT_RATE, transport: DEFAULT_TRANSPORT, location: DEFAULT_LOCATION_SETTINGS } as const;

/**
 * KEYHOLE_SETTINGS: JSON with any of the groups `capture`, `rate`,
 * `transport`, `location`, e.g. {"capture":{"maxDepth":2}} — for hosts configured only
 * through the environment. Unknown groups or keys are refused by name, so a
 * typo cannot silently leave a limit at its default.
 */
export function parseSettings(text: string): Pick<AgentOptions, 'capture' | 'rate' | 'transport' | 'location'> | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `KEYHOLE_SETTINGS is not JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'KEYHOLE_SETTINGS must be a JSON object such as {"capture":{"maxDepth":2}}';
  const out: Record<string, Record<string, number | boolean>> = {};
  for (const [group, values] of Object.entries(raw as Record<string, unknown>)) {
    const defaults = (SETTING_GROUPS as Record<string, object>)[group];
    if (!defaults) return `KEYHOLE_SETTINGS: unknown group "${group}" (known: ${Object.keys(SETTING_GROUPS).join(', ')})`;
    if (values === null || typeof values !== 'object' || Array.isArray(values)) return `KEYHOLE_SETTINGS.${group} must be an object`;
    const group_: Record<string, number | boolean> = {};
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      if (!(key in defaults)) return `KEYHOLE_SETTINGS.${group}: unknown setting "${key}" (known: ${Object.keys(defaults).join(', ')})`;
      // Each setting takes the type of its default: a number, or true/false for the few switches.
      const kind = typeof (defaults as Record<string, unknown>)[key] === 'boolean' ? 'boolean' : 'number';
      if (typeof value !== kind) return `KEYHOLE_SETTINGS.${group}.${key} must be a ${kind}`;
      group_[key] = value as number | boolean;
    }
    out[group] = group_;
  }
  return out;
}

/** "region=eu,tier=web" -> { region: 'eu', tier: 'web' }, or a problem text. */
export function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (!key || !/^[A-Za-z0-9_.\-/]{1,63}$/.test(key)) return `KEYHOLE_LABELS: "${item}" is not key=value (keys: letters, digits, _ . - /)`;
    labels[key] = item.slice(eq + 1).trim();
  }
  return labels;
}

function positive(problems: string[], name: string, v: number, integer = true): void {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) problems.push(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(v)}`);
}

/**
 * Merges options over the environment over defaults (explicit options win:
 * the environment never silently overrides what code asked for), then
 * validates. Disabled agents need nothing else.
 */
export function resolveConfig(options: AgentOptions, env: NodeJS.ProcessEnv): ConfigResult {
  const fromEnv = optionsFromEnv(env);
  const problems = [...fromEnv.problems];
  const o = fromEnv.options;
  const pick = <K extends keyof AgentOptions>(k: K): AgentOptions[K] => (options[k] !== undefined ? options[k] : o[k]);
  const enabled = pick('enabled') ?? (pick('brokerUrl') !== undefined);
  const config: ResolvedAgentConfig = {
    enabled,
    brokerUrl: pick('brokerUrl') ?? '',
    service: pick('service') ?? '',
    labels: Object.freeze({ ...(pick('labels') as Record<string, string> | undefined) }),
    trustFile: pick('trustFile') ?? '',
    agentToken: pick('agentToken') ?? '',
    instanceId: pick('instanceId') ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    capture: Object.freeze({ ...DEFAULT_CAPTURE_LIMITS, ...(o.capture as Partial<CaptureLimits> | undefined), ...(options.capture as Partial<CaptureLimits> | undefined) }),
    rate: Object.freeze({ ...DEFAULT_RATE, ...(o.rate as Partial<RateSettings> | undefined), ...(options.rate as Partial<RateSettings> | undefined) }),
    transport: Object.freeze({ ...DEFAULT_TRANSPORT, ...(o.transport as Partial<TransportSettings> | undefined), ...(options.transport as Partial<TransportSettings> | undefined) }),
    location: Object.freeze({ ...DEFAULT_LOCATION_SETTINGS, ...(o.location as Partial<LocationSettings> | undefined), ...(options.location as Partial<LocationSettings> | undefined) }),
  };
  if (!config.enabled) return problems.length ? { ok: false, problems } : { ok: true, config };
  if (!/^wss?:\/\/[^\s]+$/.test(config.brokerUrl)) problems.push(`KEYHOLE_BROKER must be a ws:// or wss:// URL, got "${config.brokerUrl}"`);
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(config.service)) problems.push(`KEYHOLE_SERVICE must name the service (letters, digits, . _ -), got "${config.service}"`);
  if (!config.trustFile) problems.push('KEYHOLE_TRUST_FILE must point at the trust file ops built for this service (keyhole trust build)');
  for (const [k, v] of Object.entries(config.capture)) positive(problems, `capture.${k}`, v, !['timeBudgetMs', 'maxPauseMs'].includes(k));
  for (const [k, v] of Object.entries(config.rate)) positive(problems, `rate.${k}`, v, !['snapshotsPerSecond', 'logpointsPerSecond', 'blockedMsPerSecond'].includes(k));
  for (const [k, v] of Object.entries(config.transport)) positive(problems, `transport.${k}`, v);
  for (const [k, v] of Object.entries(config.location)) {
    if (typeof v === 'boolean') continue;
    // A window of 0 turns the next-code-line search off; every other location limit is a count or a size.
    if (k === 'nextCodeLineWindow' && v === 0) continue;
    positive(problems, `location.${k}`, v);
  }
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
