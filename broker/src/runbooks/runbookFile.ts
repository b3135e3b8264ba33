/** Reads and validates the runbook file named by `keyhole broker start --runbooks <file>`. */
import { readFileSync } from 'node:fs';
import { type RunbookValidation, validateRunbookFile } from './runbook';

export const RunbookFileError = { Unreadable: 'KH_RUNBOOK_UNREADABLE', Invalid: 'KH_RUNBOOK_INVALID' } as const;

export type RunbookFileResult = RunbookValidation | { readonly ok: false; readonly code: typeof RunbookFileError.Unreadable; readonly problems: readonly string[] };

/** Never throws: an unreadable or invalid file comes back as its problems. */
export function loadRunbookFile(path: string): RunbookFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, code: RunbookFileError.Unreadable, problems: [`${path}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  return validateRunbookFile(parsed);
}
