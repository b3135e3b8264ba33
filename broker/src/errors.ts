/**
 * Errors as data. Every refusal the broker makes carries a stable code that
 * callers switch on, a message for people, and a hint that says what to do
 * next. The HTTP layer maps codes to status codes; the CLI to exit codes.
 */
import { type BrokerErrorJson } from '@keyhole/protocol';

export const BrokerErrorCode = {
  BadRequest: 'KH_BAD_REQUEST',
  Unauthenticated: 'KH_UNAUTHENTICATED',
  Forbidden: 'KH_FORBIDDEN',
  NotFound: 'KH_NOT_FOUND',
  Conflict: 'KH_CONFLICT',
  UserDisabled: 'KH_USER_DISABLED',
  ServiceDisabled: 'KH_SERVICE_DISABLED',
  GrantNotPending: 'KH_GRANT_NOT_PENDING',
  SelfApproval: 'KH_SELF_APPROVAL',
  ApprovalReplayed: 'KH_APPROVAL_REPLAYED',
  ApprovalBodyMismatch: 'KH_APPROVAL_BODY_MISMATCH',
  BadSignature: 'KH_BAD_SIGNATURE',
  NoApproverKey: 'KH_NO_APPROVER_KEY',
  WindowExpired: 'KH_GRANT_WINDOW_EXPIRED',
  StoreSchema: 'KH_STORE_SCHEMA',
  GrantNotActive: 'KH_GRANT_NOT_ACTIVE',
  OutOfScope: 'KH_GRANT_SCOPE',
  KindNotGranted: 'KH_GRANT_KIND',
  KillSwitch: 'KH_KILL_SWITCH',
} as const;

export type BrokerErrorCode = (typeof BrokerErrorCode)[keyof typeof BrokerErrorCode];

export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  toJSON(): BrokerErrorJson & { code: BrokerErrorCode } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function brokerError(code: BrokerErrorCode, message: string, hint: string): BrokerError {
  return new BrokerError(code, message, hint);
}

export function isBrokerError(err: unknown): err is BrokerError {
  return err instanceof BrokerError;
}
