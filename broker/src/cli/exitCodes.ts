/**
 * The CLI's exit codes, one per kind of outcome, so scripts can tell them
 * apart. broker/README.md documents this table.
 */
export const ExitCode = {
  Ok: 0,
  /** Something unexpected; the message says what. */
  Internal: 1,
  /** The command line itself is wrong (unknown option, missing argument). */
  Usage: 2,
  /** The broker refused the request (bad input, not allowed, conflict). */
  Refused: 3,
  /** The token is missing, unknown, expired, revoked, or its user is disabled. */
  Unauthenticated: 4,
  /** The user, service or grant does not exist. */
  NotFound: 5,
  /** The broker could not be reached. */
  Unreachable: 6,
  /** `audit verify` found a bad row. */
  AuditInvalid: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401) return ExitCode.Unauthenticated;
  if (status === 404) return ExitCode.NotFound;
  if (status >= 400 && status < 500) return ExitCode.Refused;
  return ExitCode.Internal;
}
