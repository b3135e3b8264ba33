/**
 * Runs the serializer over synthetic values before the first capture, so that
 * the first snapshots do not run it in the interpreter.
 *
 * Measured on Node 20 at bench/workloads/deep-stack.cjs (one capture per real
 * pause): without this, the first capture takes ~5-15 ms (lazy compilation and
 * interpreted code; it runs into the 5 ms time budget and the snapshot is cut)
 * and the next hundred or so several times the steady cost, until V8 has
 * optimized the serializer; after a warm-up of 100 rounds the first capture
 * is well under a millisecond. Schedule it where a capture will soon be
 * possible (the first probe installed), outside any pause, never per hit: it
 * costs tens of milliseconds of main-thread time once, which
 * scheduleSerializerWarmUp spreads over event-loop turns of a few ms each so
 * that requests keep being served meanwhile. It touches no user value; the
 * redactor sees only the synthetic text below (names are remembered as clean
 * names for that redactor, which later captures use as they would anyway).
 */
import type { Redactor } from '../redact/redactor';
import { monotonicNow } from './intrinsics';
import type { CaptureLimits } from './limits';
import { createSerializeContext, serializeValue, serializeVariables } from './serializer';

/** Synthetic captures run by warmUpSerializer. Default 100. */
export const SERIALIZER_WARM_UP_ROUNDS = 100;
/** Main-thread time warmUpSerializer may take at most; it stops early past this. Default 50 ms. */
export const SERIALIZER_WARM_UP_MAX_MS = 50;
/** Longest scheduleSerializerWarmUp holds the main thread at once (at least one round runs per turn). Default 5 ms. */
export const SERIALIZER_WARM_UP_SLICE_MS = 5;
/** Time budget of one warm-up capture: large, so that cold early rounds still walk every kind of value. */
const WARM_UP_CAPTURE_BUDGET_MS = 1000;

export interface WarmUpResult {
  readonly rounds: number;
  readonly elapsedMs: number;
}

class SampleOrder {
  readonly id: string;
  readonly lines: { sku: string; qty: number; price: number }[];
  constructor(i: number) {
    this.id = `ord_${i}f8e7d6c`;
    this.lines = [
      { sku: 'SKU-1000', qty: 1, price: 9.99 },
      { sku: 'SKU-1001', qty: i, price: 19.5 },
    ];
  }
}

function sampleFunction(): void {}

/**
 * A scope-like holder with every kind of value the serializer handles. Null
 * prototype, like the inspector's scope objects (which are dictionary-mode
 * objects, as Object.create(null) objects are).
 */
export function warmUpSample(i: number): Record<string, unknown> {
  const holder = Object.create(null) as Record<string, unknown>;
  holder.req = { method: 'POST', url: `/api/v1/orders/${i}?expand=items`, headers: { host: 'orders.internal', 'x-request-id': `r-${i}`, authorization: 'Bearer abc.def.ghi' }, n: i };
  holder.user = { id: i, name: 'Ada Lovelace', email: 'ada@example.com', password: 'hunter2', roles: ['admin', 'dev'], lastLogin: new Date(1_700_000_000_000 + i) };
  holder.order = new SampleOrder(i);
  holder.sparse = [1, , 'three'];
  holder.nested = { a: { b: { c: { d: { e: 1 } } } } };
  holder.map = new Map<unknown, unknown>([
    ['payments', 'https://pay.internal'],
    [i, { n: i }],
  ]);
  holder.set = new Set(['a', 'b']);
  holder.bytes = new Uint8Array([1, 2, 3]);
  holder.error = new RangeError(`bad value ${i}`);
  holder.pattern = /^[a-z]+$/giu;
  holder.fn = sampleFunction;
  holder.cls = SampleOrder;
  holder.scalars = {
    sym: Symbol('tag'),
    boxed: Object(`s${i}`) as unknown,
    total: 359.64 + i,
    started: 1_700_000_000_123 + i,
    big: BigInt(i) * 12_345_678_901n,
    flag: (i & 1) === 0,
    nothing: null,
    missing: undefined,
  };
  holder.text = `order ${i} for ada@example.com, card 4111 1111 1111 1111`;
  Object.defineProperty(holder, 'lazy', { get: () => i, enumerable: true });
  holder.self = holder;
  return holder;
}

/** Runs rounds from..to-1 (at least one), stopping once `maxMs` have passed since `started`; returns the next round. */
function runRounds(limits: CaptureLimits, redactor: Redactor, from: number, to: number, started: number, maxMs: number): number {
  const warmLimits: CaptureLimits = { ...limits, timeBudgetMs: WARM_UP_CAPTURE_BUDGET_MS };
  let next = from;
  try {
    while (next < to && (next === from || monotonicNow() - started < maxMs)) {
      const sample = warmUpSample(next);
      const ctx = createSerializeContext(warmLimits, redactor);
      serializeVariables(sample, ctx);
      serializeValue(sample.order, ctx);
      next++;
    }
  } catch {
    // A warm-up is an optimisation only; whatever failed will be reported by real captures.
    return to;
  }
  return next;
}

/**
 * Serializes warmUpSample `rounds` times in a row (each in its own context,
 * with the given limits but a large time budget), stopping early after
 * maxMs (0: no round at all). Never throws.
 */
export function warmUpSerializer(
  limits: CaptureLimits,
  redactor: Redactor,
  rounds: number = SERIALIZER_WARM_UP_ROUNDS,
  maxMs: number = SERIALIZER_WARM_UP_MAX_MS,
): WarmUpResult {
  const started = monotonicNow();
  const done = maxMs > 0 && rounds > 0 ? runRounds(limits, redactor, 0, rounds, started, maxMs) : 0;
  return { rounds: done, elapsedMs: monotonicNow() - started };
}

export interface ScheduledWarmUp {
  /** Settles (never rejects) when the rounds are done or the warm-up was cancelled. */
  readonly done: Promise<WarmUpResult>;
  /** Stops before the next slice (e.g. when the agent stops). */
  cancel(): void;
}

/**
 * The same warm-up spread over event-loop turns: each turn (setImmediate)
 * runs rounds for at most sliceMs, so the host is never held for long.
 * `elapsedMs` is then the wall time from the first slice to the last.
 */
export function scheduleSerializerWarmUp(
  limits: CaptureLimits,
  redactor: Redactor,
  rounds: number = SERIALIZER_WARM_UP_ROUNDS,
  sliceMs: number = SERIALIZER_WARM_UP_SLICE_MS,
): ScheduledWarmUp {
  let cancelled = false;
  let finish: (r: WarmUpResult) => void = () => undefined;
  const done = new Promise<WarmUpResult>((resolve) => (finish = resolve));
  const started = monotonicNow();
  let next = 0;
  const slice = (): void => {
    if (!cancelled && next < rounds) next = runRounds(limits, redactor, next, rounds, monotonicNow(), sliceMs);
    if (cancelled || next >= rounds) finish({ rounds: next, elapsedMs: monotonicNow() - started });
    else setImmediate(slice);
  };
  setImmediate(slice);
  return {
    done,
    cancel() {
      cancelled = true;
    },
  };
}
