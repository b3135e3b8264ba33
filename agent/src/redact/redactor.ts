/**
 * The seam between capture and masking. The capture serializer asks the
 * redactor about every name and every string it is about to put into a
 * snapshot; nothing leaves the process without passing through here.
 */
export interface MaskResult {
  /** The text with every detected span replaced by `[MASKED:<kind>]`. */
  readonly text: string;
  /** Kinds found, e.g. ['email', 'card']; empty when nothing was masked. */
  readonly kinds: readonly string[];
  /** True when masking could not finish (threw or ran out of time): the caller must drop the value. */
  readonly dropped: boolean;
}

export interface Redactor {
  /**
   * The sensitive kind a variable name, property key or Map key denotes
   * (e.g. 'password' for `userPassword`), or undefined. The whole value under
   * such a name is masked, whatever its type.
   */
  sensitiveName(name: string): string | undefined;
  /** Masks personal data and secrets inside a string. Never throws. */
  maskText(text: string): MaskResult;
}

/** Text that replaces a value whose masking could not finish. */
export const DROPPED_TEXT = '[DROPPED:masking]';

export function maskedText(kind: string): string {
  return `[MASKED:${kind}]`;
}
