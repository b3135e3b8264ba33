/**
 * Limits on the expressions developers write (conditions, logpoint templates)
 * and on how logpoint values are printed. Every limit is a named setting with
 * a documented default; a source over a limit is refused when the probe is
 * set, never cut silently.
 */
export interface ExpressionLimits {
  /** UTF-16 units of a condition or a whole logpoint template. Default 1000. */
  readonly maxSourceLength: number;
  /**
   * Syntax-tree nodes of one condition, or of all placeholders of one
   * template together. Bounds the compiled code and the work per hit. Default 200.
   */
  readonly maxNodes: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = Object.freeze({
  maxSourceLength: 1000,
  maxNodes: 200,
});

/** How much of a value a logpoint message shows. */
export interface FormatLimits {
  /** UTF-16 units of one formatted value; the rest is replaced by `…`. Default 200. */
  readonly maxLength: number;
  /** Object nesting shown below the value itself; deeper objects print as `Name {…}`. Default 2. */
  readonly maxDepth: number;
  /** Own properties or array items shown per object; the rest is counted as `… N more`. Default 8. */
  readonly maxProperties: number;
}

export const DEFAULT_FORMAT_LIMITS: FormatLimits = Object.freeze({
  maxLength: 200,
  maxDepth: 2,
  maxProperties: 8,
});
