/** Codes of an expression refused when its probe is set. Stable: the adapter and broker match on them. */
export type ExpressionErrorCode = 'KH_EXPR_SYNTAX' | 'KH_EXPR_FORBIDDEN' | 'KH_EXPR_TOO_LONG';

export interface ExpressionError {
  readonly ok: false;
  readonly code: ExpressionErrorCode;
  readonly message: string;
  /** 1-based position in the source (a condition, or the whole template) of the offending part. */
  readonly column?: number;
}

export type CompileResult =
  | {
      readonly ok: true;
      /** A JS expression for the breakpoint condition: evaluates to a boolean, never throws from our side. */
      readonly js: string;
      /** The distinct names the expression reads from the paused frame's scope, in order of first use. */
      readonly identifiers: string[];
    }
  | ExpressionError;

export type TemplateResult =
  | {
      readonly ok: true;
      /** Literal text around the placeholders; always one more than the values. */
      readonly segments: string[];
      /** A JS array expression with one value per placeholder, for `__keyhole.hit(id, <valuesJs>)`. */
      readonly valuesJs: string;
      readonly identifiers: string[];
    }
  | ExpressionError;

/** Thrown inside the compiler only, turned into an ExpressionError at the public boundary. */
export class Refusal extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly column?: number,
  ) {
    super(message);
  }

  toResult(): ExpressionError {
    return this.column === undefined
      ? { ok: false, code: this.code, message: this.message }
      : { ok: false, code: this.code, message: this.message, column: this.column };
  }
}
