// Safe conditions, hit conditions and logpoint templates: the only way a
// developer's expression reaches the paused process.
export { compileCondition, DEFAULT_RUNTIME_NAME } from './condition';
export { compileTemplate } from './template';
export { parseHitCondition, type HitConditionResult } from './hitCondition';
export { createExpressionRuntime, type ExpressionRuntime } from './runtime';
export { formatTemplate, formatValueSafely, type ValueFormatter } from './format';
export { UNAVAILABLE } from './safeRead';
export { DEFAULT_EXPRESSION_LIMITS, DEFAULT_FORMAT_LIMITS, type ExpressionLimits, type FormatLimits } from './limits';
export type { CompileResult, ExpressionError, ExpressionErrorCode, TemplateResult } from './result';
