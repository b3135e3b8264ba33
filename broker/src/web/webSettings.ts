/** The web page's settings, each with its documented default (docs/approvers.md). */
export const WEB_DEFAULTS = {
  /** The page forgets the token after this long without a click or key press, and asks to sign in again. */
  sessionIdleMs: 15 * 60_000,
  /** Sign-in attempts one IP address may make per window; more get 429 with Retry-After. */
  signInAttemptsPerWindow: 10,
  signInWindowMs: 60_000,
  /** IP addresses the sign-in limiter remembers; the oldest are forgotten first. */
  signInTrackedAddresses: 10_000,
} as const;

export type WebSettings = { -readonly [K in keyof typeof WEB_DEFAULTS]: number };
