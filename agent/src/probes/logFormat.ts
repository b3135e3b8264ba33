import { formatValueSafely } from '../expressions';
import { maskedText, type Redactor } from '../redact/redactor';

/**
 * The name a template placeholder reads, for masking by name: the last
 * identifier or quoted key of each `{...}` (so `{user.password}` and
 * `{headers["authorization"]}` are masked whatever their values look like).
 */
export function placeholderNames(template: string): string[] {
  const names: string[] = [];
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m[1] === undefined) continue;
    const words = m[1].match(/[A-Za-z_$][\w$-]*/g);
    names.push(words?.[words.length - 1] ?? '');
  }
  return names;
}

export interface FormattedLog {
  text: string;
  kinds: string[];
  dropped: boolean;
}

/** Expands a logpoint template with captured values, then masks the whole line. */
export function formatLogMessage(segments: readonly string[], values: readonly unknown[], names: readonly string[], redactor: Redactor, maxValueLength: number): FormattedLog {
  const kinds = new Set<string>();
  let text = segments[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const sensitive = names[i] ? redactor.sensitiveName(names[i]!) : undefined;
    if (sensitive) {
      kinds.add(sensitive);
      text += maskedText(sensitive);
    } else {
      text += formatValueSafely(values[i], maxValueLength);
    }
    text += segments[i + 1] ?? '';
  }
  const masked = redactor.maskText(text);
  for (const k of masked.kinds) kinds.add(k);
  return { text: masked.text, kinds: [...kinds], dropped: masked.dropped };
}
