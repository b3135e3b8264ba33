// Coded DAP errors: a stable numeric id per failure (the DAP Message id), a
// KH_ code in the text, and whether VS Code should show it to the user.
import { type DebugProtocol } from '@vscode/debugprotocol';

export const AdapterErrorCode = {
  LaunchArgsInvalid: 4001,
  TokenUnavailable: 4002,
  BrokerUnreachable: 4003,
  NotAttached: 4004,
  SteppingUnsupported: 4005,
  UnknownThread: 4006,
  UnknownVariables: 4007,
  NotCaptured: 4008,
  SnapshotUnavailable: 4009,
  SetVariableUnsupported: 4010,
  UnknownFrame: 4011,
} as const;
export type AdapterErrorCode = (typeof AdapterErrorCode)[keyof typeof AdapterErrorCode];

function message(id: AdapterErrorCode, code: string, text: string, showUser: boolean): DebugProtocol.Message {
  // `{` would be read as a DAP format placeholder; the text is literal.
  return { id, format: `${code}: ${text}`.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser };
}

export const launchArgsInvalid = (problems: readonly string[]) =>
  message(AdapterErrorCode.LaunchArgsInvalid, 'KH_LAUNCH_ARGS', `the keyhole configuration is not valid: ${problems.join('; ')}`, true);
export const tokenUnavailable = (why: string) => message(AdapterErrorCode.TokenUnavailable, 'KH_TOKEN_UNAVAILABLE', why, true);
export const brokerUnreachable = (code: string, why: string) => message(AdapterErrorCode.BrokerUnreachable, code, why, true);
export const notAttached = () => message(AdapterErrorCode.NotAttached, 'KH_NOT_ATTACHED', 'the session is not attached to a broker yet', false);
export const steppingUnsupported = (request: string) =>
  message(AdapterErrorCode.SteppingUnsupported, 'KH_NO_STEPPING', `a snapshot is a copy taken when the line ran; the service never stopped, so "${request}" is not possible. Continue dismisses the snapshot.`, true);
export const setVariableUnsupported = () => message(AdapterErrorCode.SetVariableUnsupported, 'KH_READ_ONLY', 'captured values are read-only', true);
export const unknownThread = (id: number) => message(AdapterErrorCode.UnknownThread, 'KH_UNKNOWN_THREAD', `no open snapshot has thread id ${id}`, false);
export const unknownFrame = (id: number) => message(AdapterErrorCode.UnknownFrame, 'KH_UNKNOWN_FRAME', `no open snapshot has frame id ${id}`, false);
export const unknownVariables = (ref: number) => message(AdapterErrorCode.UnknownVariables, 'KH_UNKNOWN_VARIABLES', `no captured value has reference ${ref}`, false);
export const notCaptured = (expression: string, why: string) => message(AdapterErrorCode.NotCaptured, 'KH_NOT_CAPTURED', `${expression}: ${why}`, false);
export const snapshotUnavailable = (id: string, why: string) => message(AdapterErrorCode.SnapshotUnavailable, 'KH_SNAPSHOT_UNAVAILABLE', `snapshot ${id}: ${why}`, true);
