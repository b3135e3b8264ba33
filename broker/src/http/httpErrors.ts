/** How each broker error code maps to an HTTP status. */
import { BrokerErrorCode } from '../errors';

export const HttpErrorCode = {
  PayloadTooLarge: 'KH_PAYLOAD_TOO_LARGE',
  MalformedJson: 'KH_MALFORMED_JSON',
  RouteNotFound: 'KH_ROUTE_NOT_FOUND',
  Internal: 'KH_INTERNAL',
} as const;

const STATUS: Record<string, number> = {
  [BrokerErrorCode.BadRequest]: 400,
  [BrokerErrorCode.Unauthenticated]: 401,
  [BrokerErrorCode.Forbidden]: 403,
  [BrokerErrorCode.NotFound]: 404,
  [BrokerErrorCode.Conflict]: 409,
  [BrokerErrorCode.UserDisabled]: 403,
  [BrokerErrorCode.ServiceDisabled]: 409,
  [BrokerErrorCode.GrantNotPending]: 409,
  [BrokerErrorCode.SelfApproval]: 403,
  [BrokerErrorCode.ApprovalReplayed]: 409,
  [BrokerErrorCode.ApprovalBodyMismatch]: 409,
  [BrokerErrorCode.BadSignature]: 400,
  [BrokerErrorCode.NoApproverKey]: 409,
  [BrokerErrorCode.WindowExpired]: 409,
  [BrokerErrorCode.StoreSchema]: 500,
  [BrokerErrorCode.GrantNotActive]: 409,
  [BrokerErrorCode.OutOfScope]: 403,
  [BrokerErrorCode.KindNotGranted]: 403,
  [BrokerErrorCode.KillSwitch]: 409,
  [HttpErrorCode.PayloadTooLarge]: 413,
  [HttpErrorCode.MalformedJson]: 400,
  [HttpErrorCode.RouteNotFound]: 404,
  [HttpErrorCode.Internal]: 500,
};

export function statusFor(code: string): number {
  return STATUS[code] ?? 500;
}
