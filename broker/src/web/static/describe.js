// Grants in plain language, for people who do not read globs and enums.
const KIND_TEXT = {
  SNAPSHOT: 'snapshots: the values of the variables at a line, as a breakpoint would show them',
  LOGPOINT: 'log lines: messages built from variables each time a line runs',
};

export const MASKED_BY_DEFAULT = 'emails, card numbers, phone numbers, IBANs, IP addresses, tokens, passwords, cookies, API keys';

export function duration(ms) {
  if (ms <= 0) return 'none';
  const minutes = Math.round(ms / 60000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} seconds`;
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.round(minutes / 60)} hours`;
}

export function when(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function kindsText(kinds) {
  return kinds.map((k) => KIND_TEXT[k] ?? k).join('; ');
}

export function instancesText(selector) {
  const pairs = Object.entries(selector ?? {});
  return pairs.length ? `instances labelled ${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}` : 'every instance of the service';
}

export function maskingText(policy) {
  const extra = [...(policy?.masking?.names ?? []), ...(policy?.masking?.valuePatterns ?? [])];
  return `Personal data is masked inside the service before anything leaves it (${MASKED_BY_DEFAULT}${extra.length ? `; for this service also: ${extra.join(', ')}` : ''}).`;
}

export function headline(g) {
  return `${g.requester} asks to look into ${g.service} for ${duration(g.requestedDurationMs)}`;
}
