// The one typed source of the `keyhole` debug configuration: the interface,
// its documented defaults, and the checks applied to what launch.json says.
// The extension's package.json schema is to be tested against
// LAUNCH_ARG_DESCRIPTIONS (one entry per key of KeyholeLaunchArgs).

/** What a `"type": "keyhole"` attach configuration may say. */
export interface KeyholeLaunchArgs {
  /** http(s):// URL of the Keyhole broker. Required. */
  readonly broker: string;
  /** The service to attach to, as registered on the broker. Required. */
  readonly service: string;
  /** Instance labels: only grants whose selector agrees with these are used. Default {}. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Name of the environment variable holding your broker token. Default "KEYHOLE_TOKEN". */
  readonly tokenEnv?: string;
  /** A file holding your broker token (wins over tokenEnv). The token itself never goes in launch.json. */
  readonly tokenFile?: string;
  /** The workspace folder the deployed code was built from. Default: the adapter's working directory. */
  readonly localRoot?: string;
  /** The deployed root matching localRoot. Default: none (paths are matched by suffix). */
  readonly remoteRoot?: string;
  /** How many snapshots keyhole/snapshots lists. Default 50. */
  readonly snapshotHistoryLimit?: number;
  /**
   * How many frames, from the breakpoint's own, each snapshot captures with
   * their variables (1 to LAUNCH_LIMITS.maxFramesWithLocals). Default: unset,
   * meaning the agent's setting (`capture.maxFramesWithLocals`, 5 unless ops
   * changed it), which also caps a larger value. 1 never pauses the service.
   * Logpoints ignore it.
   */
  readonly framesWithLocals?: number;
}

export const LAUNCH_DEFAULTS = {
  labels: {} as Readonly<Record<string, string>>,
  tokenEnv: 'KEYHOLE_TOKEN',
  remoteRoot: '',
  snapshotHistoryLimit: 50,
} as const;

/** Limits on what a configuration may ask for. */
export const LAUNCH_LIMITS = {
  maxSnapshotHistory: 1000,
  /** The broker's limit too (PROBE_LIMITS.maxFramesWithLocals); the agent holds a value to its own setting anyway. */
  maxFramesWithLocals: 64,
} as const;

export const LAUNCH_ARG_DESCRIPTIONS: Readonly<Record<keyof KeyholeLaunchArgs, string>> = {
  broker: 'http(s):// URL of the Keyhole broker.',
  service: 'The service to attach to, as registered on the broker.',
  labels: 'Instance labels; only grants whose selector agrees with them are used.',
  tokenEnv: `Environment variable holding your broker token (default ${LAUNCH_DEFAULTS.tokenEnv}).`,
  tokenFile: 'A file holding your broker token; never put the token itself in launch.json.',
  localRoot: 'The workspace folder the deployed code was built from.',
  remoteRoot: 'The deployed root matching localRoot; without it, paths are matched by suffix.',
  snapshotHistoryLimit: `How many snapshots the history lists (default ${LAUNCH_DEFAULTS.snapshotHistoryLimit}).`,
  framesWithLocals:
    "How many frames a snapshot captures with their variables (default: the agent's setting, 5 unless ops changed it): 1 captures only the line's own frame and never pauses the service; more also captures callers' variables at the cost of a short pause.",
};

export type TokenSource = { readonly kind: 'env'; readonly name: string } | { readonly kind: 'file'; readonly path: string };

export interface ResolvedLaunchArgs {
  readonly broker: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly token: TokenSource;
  readonly localRoot: string;
  readonly remoteRoot: string;
  readonly snapshotHistoryLimit: number;
  /** undefined: the agent's setting. */
  readonly framesWithLocals: number | undefined;
}

export type Resolved = { readonly ok: true; readonly args: ResolvedLaunchArgs } | { readonly ok: false; readonly problems: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOKEN_SHAPED_KEYS = ['token', 'apiToken', 'password'];

/** Checks a configuration and fills in defaults; every problem is listed, not just the first. */
export function resolveLaunchArgs(raw: unknown, cwd: string): Resolved {
  const problems: string[] = [];
  const a = isRecord(raw) ? raw : {};
  const str = (k: string): string | undefined => {
    const v = a[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`"${k}" must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  const broker = str('broker');
  if (broker === undefined && a['broker'] === undefined) problems.push('"broker" is required (the broker URL, e.g. http://127.0.0.1:7070)');
  else if (broker !== undefined && !/^https?:\/\/[^\s]+$/.test(broker)) problems.push(`"broker" must be an http:// or https:// URL, got "${broker}"`);
  const service = str('service');
  if (a['service'] === undefined) problems.push('"service" is required');
  for (const k of TOKEN_SHAPED_KEYS) {
    if (a[k] !== undefined) problems.push(`"${k}": never put a token in launch.json; use "tokenEnv" (a variable name) or "tokenFile"`);
  }
  let labels: Record<string, string> = { ...LAUNCH_DEFAULTS.labels };
  if (a['labels'] !== undefined) {
    if (!isRecord(a['labels']) || !Object.values(a['labels']).every((v) => typeof v === 'string')) problems.push('"labels" must map label names to strings');
    else labels = a['labels'] as Record<string, string>;
  }
  const tokenFile = str('tokenFile');
  const tokenEnv = str('tokenEnv') ?? LAUNCH_DEFAULTS.tokenEnv;
  const localRoot = str('localRoot') ?? cwd;
  const remoteRoot = str('remoteRoot') ?? LAUNCH_DEFAULTS.remoteRoot;
  let snapshotHistoryLimit: number = LAUNCH_DEFAULTS.snapshotHistoryLimit;
  const h = a['snapshotHistoryLimit'];
  if (h !== undefined) {
    if (typeof h !== 'number' || !Number.isInteger(h) || h < 1 || h > LAUNCH_LIMITS.maxSnapshotHistory) problems.push(`"snapshotHistoryLimit" must be a whole number from 1 to ${LAUNCH_LIMITS.maxSnapshotHistory}`);
    else snapshotHistoryLimit = h;
  }
  let framesWithLocals: number | undefined;
  const f = a['framesWithLocals'];
  if (f !== undefined) {
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 1 || f > LAUNCH_LIMITS.maxFramesWithLocals) {
      problems.push(`"framesWithLocals" must be a whole number from 1 to ${LAUNCH_LIMITS.maxFramesWithLocals} (leave it out for the agent's setting)`);
    } else framesWithLocals = f;
  }
  if (problems.length || broker === undefined || service === undefined) return { ok: false, problems };
  return {
    ok: true,
    args: { broker, service, labels, token: tokenFile ? { kind: 'file', path: tokenFile } : { kind: 'env', name: tokenEnv }, localRoot, remoteRoot, snapshotHistoryLimit, framesWithLocals },
  };
}
