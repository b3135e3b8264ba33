import type { pb } from '@keyhole/protocol';

export type Authorization =
  | { readonly ok: true; readonly grantId: string; readonly notAfterMs: number; readonly maxHits: number }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * What the probe machinery asks before arming anything, and on every hit
 * (through `isActive`, which must be cheap). The implementation verifies
 * signed grants against ops' trust file; nothing here trusts the broker.
 */
export interface GrantAuthority {
  authorize(probe: pb.Probe): Authorization;
  /** True while the grant is verified, not revoked, inside its window, and no kill switch is on. */
  isActive(grantId: string, nowMs: number): boolean;
}
