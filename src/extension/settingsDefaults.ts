// The user-facing limits of the extension with their documented defaults.
// package.json's `contributes.configuration` is tested against this table
// (test/extension/schema.test.ts), so the two cannot drift. No vscode here.
import { MAX_GRANT_SCOPE_GLOBS } from '@keyhole/protocol';

export interface SettingSpec {
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly description: string;
}

export const SETTINGS = {
  'keyhole.grants.defaultDurationMinutes': {
    default: 30,
    minimum: 1,
    maximum: 24 * 60,
    description: 'How long a requested grant lasts unless you choose otherwise. The service policy on the broker may cap it.',
  },
  'keyhole.grants.refreshSeconds': {
    default: 15,
    minimum: 2,
    maximum: 3600,
    description: 'How often the Grants view and the status bar ask the broker for grant changes.',
  },
  'keyhole.grants.warnMinutesLeft': {
    default: 5,
    minimum: 0,
    maximum: 120,
    description: 'The status bar item turns to a warning when the active grant has this many minutes left or fewer.',
  },
  'keyhole.grants.maxFilesPerRequest': {
    default: 20,
    minimum: 1,
    maximum: MAX_GRANT_SCOPE_GLOBS,
    description: 'How many files (scope globs) one grant request may name; the broker refuses more than 32.',
  },
  'keyhole.snapshots.historyLimit': {
    default: 50,
    minimum: 1,
    maximum: 1000,
    description: 'How many stored snapshots the Snapshot history view lists (the default for "snapshotHistoryLimit" in launch.json).',
  },
  'keyhole.broker.requestTimeoutSeconds': {
    default: 10,
    minimum: 1,
    maximum: 300,
    description: 'Give up on a broker request (sign-in, grants, keys, export) after this many seconds.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

/** Clamps a value read from the user's settings into its documented range; anything not a number gets the default. */
export function settingValue(key: SettingKey, raw: unknown): number {
  const spec: SettingSpec = SETTINGS[key];
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return spec.default;
  return Math.min(spec.maximum, Math.max(spec.minimum, Math.round(raw)));
}
