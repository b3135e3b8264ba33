/**
 * Stable codes for problems with frames on the wire. Callers switch on
 * `code`; `message` is for people.
 */
export const FrameErrorCode = {
  /** The frame had no bytes. */
  Empty: 'KH_FRAME_EMPTY',
  /** The frame is larger than the receiver accepts. */
  TooLarge: 'KH_FRAME_TOO_LARGE',
  /** The bytes end in the middle of a field. */
  Truncated: 'KH_FRAME_TRUNCATED',
  /** The bytes are not a valid encoding of the expected envelope. */
  Malformed: 'KH_FRAME_MALFORMED',
  /** The envelope decoded but carries no known message. */
  NoBody: 'KH_FRAME_NO_BODY',
  /** The peer speaks another protocol major version. */
  ProtocolVersion: 'KH_PROTOCOL_VERSION',
  /** The first frame was not the expected hello. */
  ExpectedHello: 'KH_EXPECTED_HELLO',
} as const;

export type FrameErrorCode = (typeof FrameErrorCode)[keyof typeof FrameErrorCode];

export interface FrameError {
  readonly code: FrameErrorCode;
  readonly message: string;
}

export function frameError(code: FrameErrorCode, message: string): FrameError {
  return { code, message };
}
