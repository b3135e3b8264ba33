/**
 * The agent's redactor: masking by name and by value, under a time budget,
 * failing closed. See names.ts, detectors.ts, namesInText.ts and
 * patternSafety.ts for what is recognised and why.
 */
import { type MaskResult, type Redactor, maskedText } from './redactor';
import { DEFAULT_SENSITIVE_NAMES, NameMatcher } from './names';
import { NAME_IN_TEXT_PRIORITY, type TextFacts, VALUE_DETECTORS, mayHoldAnything } from './detectors';
import { findNamedValues, mayHoldNamedValues } from './namesInText';
import { DEFAULT_MASKING_POLICY, MaskingPolicyErrorCode, type MaskingPolicy, resolveMaskingPolicy } from './policy';
import { type Span, type SpanSink, addSpan, mergeSpans } from './spans';
import { countDigits, scanRegex } from './scan';
import { now, slice } from './textIntrinsics';

/** Kind reported when text past maxScanLength was cut off unscanned. */
export const UNSCANNED_KIND = 'unscanned';
/** Kind sensitiveName reports when it could not decide (it fails closed: the value is masked). */
export const UNCHECKED_NAME_KIND = 'unchecked';
/** Texts shorter than this cannot hold anything a detector masks (`pin=1` is the shortest). */
const SHORTEST_MASKABLE = 5;
/**
 * Texts at least this long have the clock read after every detector that
 * ran; shorter ones (most captured strings) once at the end, since the
 * built-in detectors are linear and a 2 ms overrun on a short text can only
 * be a pause of the whole process. Default 128 UTF-16 units.
 */
export const CLOCK_EVERY_DETECTOR_LENGTH = 128;
/** Names whose verdict sensitiveName remembers; the cache starts afresh when full. */
export const NAME_CACHE_ENTRIES = 2048;
/** Longer names are not cached (they are rare, and the cache should stay small). */
export const NAME_CACHE_MAX_LENGTH = 64;
/** Priority of ops' extra patterns: after every built-in detector. */
const EXTRA_PATTERN_PRIORITY = 100;

const NOTHING: readonly string[] = Object.freeze([]);

/**
 * Texts masked once when a redactor is built, so that every detector's regex
 * is compiled before the first capture (a first compile takes milliseconds,
 * which would blow the time budget and drop the value).
 */
/** V8 first interprets a regex and compiles it to machine code when it runs again: a few rounds reach the final code. */
const WARM_UP_ROUNDS = 3;
const WARM_UP_TEXTS: readonly string[] = [
  'mail a.b@example.com or a%40example.org; card 4111 1111 1111 1111; iban DE89 3704 0044 0532 0130 00; ssn 123-45-6789',
  'ip 192.0.2.1 and 2001:db8::1 call +1 415 555 2671 or (555) 123-4567; https://u:p@h.example/?token=x&y=1 {"password":"p"}',
  'Authorization: Bearer abcDEF123456 Basic dXNlcjpwYXNz AKIAIOSFODNN7EXAMPLE ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa sk_live_aaaaaaaaaaaa',
  'xoxb-aaaaaaaaaaaa AIzaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
];

/** Masked text that also states the original length; only when ops set revealLength. */
export function maskedTextWithLength(kind: string, length: number): string {
  return `[MASKED:${kind} len=${length}]`;
}

/** Thrown only by createRedactor, at start, for a policy that resolveMaskingPolicy refuses. */
export class MaskingPolicyError extends Error {
  readonly code = MaskingPolicyErrorCode.INVALID;
  constructor(readonly problems: readonly string[]) {
    super(`masking policy refused: ${problems.join('; ')}`);
  }
}

interface ExtraPattern {
  readonly kind: string;
  readonly re: RegExp;
}

/**
 * Builds the redactor for a policy (defaults filled in). An invalid policy
 * throws MaskingPolicyError here, at start, so that it never fails later
 * inside a capture; loadMaskingPolicyFromEnv and mergeAdditions report the
 * same problems as data for callers that prefer to check first.
 *
 * @param clock milliseconds, monotonic; performance.now unless a caller
 *   measures time its own way (as the serializer's context does)
 */
export function createRedactor(policy: Partial<MaskingPolicy> = DEFAULT_MASKING_POLICY, clock: () => number = now): Redactor {
  const resolved = resolveMaskingPolicy(policy);
  if (!resolved.ok) throw new MaskingPolicyError(resolved.problems);
  const p = resolved.policy;
  const names = new NameMatcher([...DEFAULT_SENSITIVE_NAMES, ...p.extraNames], p.exemptNames);
  const extras: ExtraPattern[] = p.extraPatterns.map((x) => ({ kind: x.kind, re: new RegExp(x.pattern, 'g') }));
  const maxScan = p.maxScanLength;
  const reveal = p.revealLength;
  const dropped: MaskResult = Object.freeze({ text: '', kinds: NOTHING, dropped: true });

  function render(text: string, spans: readonly Span[], unscannedLength: number): MaskResult {
    const kinds: string[] = [];
    const seen: Record<string, true> = Object.create(null) as Record<string, true>;
    let out = '';
    let at = 0;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      out += slice(text, at, s.start) + (reveal ? maskedTextWithLength(s.kind, s.end - s.start) : maskedText(s.kind));
      at = s.end;
      if (!seen[s.kind]) {
        seen[s.kind] = true;
        kinds[kinds.length] = s.kind;
      }
    }
    out += at === 0 ? text : slice(text, at);
    if (unscannedLength > 0) {
      out += reveal ? maskedTextWithLength(UNSCANNED_KIND, unscannedLength) : maskedText(UNSCANNED_KIND);
      if (!seen[UNSCANNED_KIND]) kinds[kinds.length] = UNSCANNED_KIND;
    }
    return { text: out, kinds, dropped: false };
  }

  function maskWithin(input: string, budget: number): MaskResult {
    try {
      if (typeof input !== 'string') return dropped;
      const started = clock();
      const text = input.length > maxScan ? slice(input, 0, maxScan) : input;
      const unscannedLength = input.length - text.length;
      if (text.length < SHORTEST_MASKABLE && unscannedLength === 0) return { text: input, kinds: NOTHING, dropped: false };
      const sink: SpanSink = [];
      const facts: TextFacts = { digits: countDigits(text) };
      const builtIns = mayHoldAnything(text, facts.digits);
      // Short texts cannot keep a linear detector busy for long; their clock is read once at the end.
      const checkEach = text.length >= CLOCK_EVERY_DETECTOR_LENGTH;
      for (let i = 0; builtIns && i < VALUE_DETECTORS.length; i++) {
        const d = VALUE_DETECTORS[i]!;
        if (!d.mayMatch(text, facts)) continue;
        d.find(text, sink, i);
        if (checkEach && clock() - started > budget) return dropped;
      }
      if (builtIns && mayHoldNamedValues(text)) {
        findNamedValues(text, sensitiveName, sink, NAME_IN_TEXT_PRIORITY);
      }
      if (clock() - started > budget) return dropped;
      for (let i = 0; i < extras.length; i++) {
        const x = extras[i]!;
        scanRegex(x.re, text, (m) => {
          const end = m.index + m[0].length;
          if (end === m.index) return -1;
          addSpan(sink, m.index, end, x.kind, EXTRA_PATTERN_PRIORITY + i);
          return end;
        });
        if (clock() - started > budget) return dropped;
      }
      if (sink.length === 0 && unscannedLength === 0) return { text: input, kinds: NOTHING, dropped: false };
      return render(text, mergeSpans(sink), unscannedLength);
    } catch {
      return dropped;
    }
  }

  // Names repeat across captures (variables, keys); their verdicts are cached.
  // Null-prototype records, so a lookup never reaches Object.prototype; the
  // cache is simply started afresh when full.
  let nameCache = Object.create(null) as Record<string, string | null>;
  let nameCacheSize = 0;
  function sensitiveName(name: string): string | undefined {
    try {
      if (typeof name !== 'string') return UNCHECKED_NAME_KIND;
      const cached = name.length <= NAME_CACHE_MAX_LENGTH ? nameCache[name] : undefined;
      if (cached !== undefined) return cached === null ? undefined : cached;
      const kind = names.kindOf(name);
      if (name.length <= NAME_CACHE_MAX_LENGTH) {
        if (nameCacheSize >= NAME_CACHE_ENTRIES) {
          nameCache = Object.create(null) as Record<string, string | null>;
          nameCacheSize = 0;
        }
        nameCache[name] = kind === undefined ? null : kind;
        nameCacheSize++;
      }
      return kind;
    } catch {
      return UNCHECKED_NAME_KIND;
    }
  }

  // V8 compiles a regex on its first use; that must not happen inside a capture's budget.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const sample of WARM_UP_TEXTS) maskWithin(sample, Infinity);

  const budget = p.timeBudgetMs;
  function maskText(text: string): MaskResult {
    const first = maskWithin(text, budget);
    // A garbage-collection pause or a preemption can stretch one call past the
    // budget; mask once more before dropping. A text that is slow by itself
    // is slow twice and is dropped (worst case about twice the budget).
    return first.dropped && typeof text === 'string' ? maskWithin(text, budget) : first;
  }
  return { maskText, sensitiveName };
}
