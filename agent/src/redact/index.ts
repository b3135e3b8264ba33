// The masking module's public surface.
export { DROPPED_TEXT, maskedText, type MaskResult, type Redactor } from './redactor';
export { createRedactor, maskedTextWithLength, MaskingPolicyError, UNCHECKED_NAME_KIND, UNSCANNED_KIND } from './piiRedactor';
export { DEFAULT_SENSITIVE_NAMES, DESCRIPTOR_PARTS, NameMatcher, normaliseName } from './names';
export { VALUE_DETECTORS, type ValueDetector } from './detectors';
export {
  BROKER_PATTERN_KIND,
  DEFAULT_MASKING_POLICY,
  MASKING_FILE_ENV,
  MaskingPolicyErrorCode,
  loadMaskingPolicyFromEnv,
  mergeAdditions,
  resolveMaskingPolicy,
  type MaskingPattern,
  type MaskingPolicy,
  type PolicyResult,
} from './policy';
export { checkPatternSafety, MAX_BACKTRACK_PRODUCT, MAX_PATTERN_LENGTH, MAX_REPEAT } from './patternSafety';
