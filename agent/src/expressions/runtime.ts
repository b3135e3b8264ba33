import { primordials as P } from './primordials';
import { CAPTURED_GLOBAL_ACCESSORS } from './globals';
import { UNAVAILABLE, describeProperty, findDescriptor, readProperty } from './safeRead';

/**
 * The helper object compiled conditions and logpoint values call (installed
 * by the agent as a non-enumerable global, `__keyhole` by default). Every
 * helper works on primitives or through property descriptors only, so no
 * getter, Proxy trap, coercion hook (`valueOf`, `toString`,
 * `Symbol.toPrimitive`) or other application function can run.
 *
 * Declining: when an operation could only be done by running application
 * code (or would throw in the language: `null.x`, `1n + 1`), the helper
 * records that the current evaluation is declined and returns UNAVAILABLE
 * (or false). `end()` turns a declined condition into `false` whatever the
 * native operators (`!`, `&&`, `===` …) made of the sentinel afterwards, and
 * `value()` turns a declined logpoint value into UNAVAILABLE. The flag is
 * safe as one variable: evaluation is synchronous, runs no application
 * code, and V8 does not hit breakpoints while it evaluates a condition.
 */
export interface ExpressionRuntime {
  /** The sentinel of a read that would have run application code. */
  readonly unavailable: object;
  /**
   * Starts one evaluation: clears the declined flag (a previous one may have
   * thrown midway) and checks the names the expression reads from its scope.
   * False (declined) when one of them resolves on the global object to an
   * accessor, because referencing it would run the getter: the expression is
   * then not evaluated at all. One check per name per evaluation keeps the
   * compiled code short (V8 compiles a condition on every hit).
   */
  begin(...names: string[]): boolean;
  /** Ends a condition: false if declined, else the truthiness of `value`. */
  end(value: unknown): boolean;
  /** Ends one logpoint value: UNAVAILABLE if declined, else `value`. */
  value(value: unknown): unknown;
  /** A captured global (`process`, `Buffer`): its value seen at agent start while its getter is unchanged, its data value if it became one, else declines. */
  global(name: string): unknown;
  /** `holder[key]`; declines on nullish holders, accessors, Proxies and object keys. */
  get(holder: unknown, key: unknown): unknown;
  /** `holder?.[key]`: short-circuits the rest of the chain when `holder` is nullish. */
  getOptional(holder: unknown, key: unknown): unknown;
  /** Closes an optional chain: a short-circuited chain is `undefined`. */
  chain(value: unknown): unknown;
  eq(a: unknown, b: unknown): boolean;
  ne(a: unknown, b: unknown): boolean;
  lt(a: unknown, b: unknown): boolean;
  gt(a: unknown, b: unknown): boolean;
  le(a: unknown, b: unknown): boolean;
  ge(a: unknown, b: unknown): boolean;
  add(a: unknown, b: unknown): unknown;
  sub(a: unknown, b: unknown): unknown;
  mul(a: unknown, b: unknown): unknown;
  div(a: unknown, b: unknown): unknown;
  mod(a: unknown, b: unknown): unknown;
  pow(a: unknown, b: unknown): unknown;
  band(a: unknown, b: unknown): unknown;
  bor(a: unknown, b: unknown): unknown;
  bxor(a: unknown, b: unknown): unknown;
  shl(a: unknown, b: unknown): unknown;
  shr(a: unknown, b: unknown): unknown;
  ushr(a: unknown, b: unknown): unknown;
  neg(a: unknown): unknown;
  pos(a: unknown): unknown;
  bnot(a: unknown): unknown;
}

/** Largest BigInt exponent or shift a condition may use (2n ** 4096n has 4097 bits). */
const MAX_BIGINT_EXPONENT = 4096n;

/** Marks the rest of an optional chain as skipped; never escapes `chain()`. */
const SHORT_CIRCUIT: object = Object.freeze(Object.create(null) as object);

type Primitive = string | number | bigint | boolean | null | undefined;

function isObjectLike(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/** Primitives an operator may combine natively: no objects (coercion hooks) and no symbols (they throw). */
function isOperand(v: unknown): v is Primitive {
  return !isObjectLike(v) && typeof v !== 'symbol';
}

/** True when a digit string names an index (no leading zeros), compared without any String.prototype method. */
function isIndexString(key: string): boolean {
  if (key.length === 0 || key.length > 15) return false;
  if (key.length > 1 && key[0] === '0') return false;
  for (let i = 0; i < key.length; i++) {
    const c = key[i] as string;
    if (c < '0' || c > '9') return false;
  }
  return true;
}

export function createExpressionRuntime(): ExpressionRuntime {
  let declined = false;
  const decline = (): object => {
    declined = true;
    return UNAVAILABLE;
  };
  const refuse = (): false => {
    declined = true;
    return false;
  };

  const globalObject: object = globalThis;
  // A null-prototype record, read by own keys only: Map#get could be patched.
  const captured = Object.create(null) as Record<string, { readonly getter: unknown; readonly value: unknown } | undefined>;
  for (let i = 0; i < CAPTURED_GLOBAL_ACCESSORS.length; i++) {
    const name = CAPTURED_GLOBAL_ACCESSORS[i] as string;
    const descriptor = findDescriptor(globalObject, name);
    if (typeof descriptor === 'object' && descriptor.get !== undefined) {
      captured[name] = { getter: descriptor.get, value: (globalObject as Record<string, unknown>)[name] };
    }
  }

  /** A property key the language would get without coercion; objects would run toString/toPrimitive. */
  const toKey = (key: unknown): string | symbol | undefined => {
    if (typeof key === 'string' || typeof key === 'symbol') return key;
    if (isObjectLike(key)) return undefined;
    return P.toStringPrimitive(key);
  };

  const read = (holder: unknown, key: unknown): unknown => {
    if (holder === SHORT_CIRCUIT) return SHORT_CIRCUIT;
    const k = toKey(key);
    if (holder === UNAVAILABLE || k === undefined || holder === null || holder === undefined) return decline();
    if (isObjectLike(holder)) {
      const v = readProperty(holder, k);
      return v === UNAVAILABLE ? decline() : v;
    }
    if (typeof holder === 'string') {
      // A string's own properties only; anything else would box the string
      // and reach String.prototype, which the application may have patched.
      if (k === 'length') return holder.length;
      // Past the end, the language would look the index up on String.prototype.
      if (typeof k === 'string' && isIndexString(k)) return +k < holder.length ? holder[+k] : undefined;
    }
    return decline();
  };

  const compare = (a: unknown, b: unknown, op: (x: Primitive, y: Primitive) => boolean): boolean =>
    isOperand(a) && isOperand(b) ? op(a, b) : refuse();

  const looseEquals = (a: unknown, b: unknown): boolean | undefined => {
    if (a === UNAVAILABLE || b === UNAVAILABLE) return undefined;
    const aObject = isObjectLike(a);
    const bObject = isObjectLike(b);
    if (aObject && bObject) return a === b; // two objects compare by identity, no coercion
    // Two primitives: loose equality converts between them internally and runs no hooks.
    if (!aObject && !bObject) return a == b;
    const other = aObject ? b : a;
    if (other === null || other === undefined) return false; // object == nullish is false without coercion
    return undefined; // object == primitive would call the object's toPrimitive/valueOf/toString
  };

  type Arith = (x: never, y: never) => unknown;
  /**
   * Arithmetic on primitives only. Declines on objects and symbols, on what
   * the language would throw for (BigInt mixed with Number, `1n / 0n`,
   * `2n ** -1n`, `1n >>> 1n`), and on BigInt powers and shifts past
   * MAX_BIGINT_EXPONENT, which could stall the process building a huge
   * number. The try/catch is the last guard (a string past V8's length limit).
   */
  const arithmetic = (a: unknown, b: unknown, op: Arith, kind: 'add' | 'plain' | 'divide' | 'power' | 'shift' | 'ushr'): unknown => {
    if (!isOperand(a) || !isOperand(b)) return decline();
    const aBig = typeof a === 'bigint';
    const bBig = typeof b === 'bigint';
    if (aBig !== bBig && !(kind === 'add' && (typeof a === 'string' || typeof b === 'string'))) return decline();
    if (aBig && bBig) {
      const y = b as bigint;
      if (kind === 'ushr') return decline();
      if (kind === 'divide' && y === 0n) return decline();
      if (kind === 'power' && (y < 0n || y > MAX_BIGINT_EXPONENT)) return decline();
      if (kind === 'shift' && (y > MAX_BIGINT_EXPONENT || y < -MAX_BIGINT_EXPONENT)) return decline();
    }
    try {
      return op(a as never, b as never);
    } catch {
      return decline();
    }
  };

  const runtime: ExpressionRuntime = {
    unavailable: UNAVAILABLE,
    begin: (...names) => {
      declined = false;
      for (let i = 0; i < names.length; i++) {
        const kind = describeProperty(globalObject, names[i] as string);
        if (kind === 'accessor' || kind === 'unreadable') return refuse();
      }
      return true;
    },
    end: (value) => {
      const wasDeclined = declined;
      declined = false;
      return !wasDeclined && !!value;
    },
    value: (value) => {
      const wasDeclined = declined;
      declined = false;
      return wasDeclined ? UNAVAILABLE : value;
    },
    global: (name) => {
      const descriptor = findDescriptor(globalObject, name);
      if (typeof descriptor !== 'object') return decline();
      if (P.hasOwn(descriptor, 'value')) return descriptor.value;
      // Only while the global's getter is still the one seen at start.
      const entry = P.hasOwn(captured, name) ? captured[name] : undefined;
      return entry !== undefined && descriptor.get === entry.getter ? entry.value : decline();
    },
    get: read,
    getOptional: (holder, key) => (holder === null || holder === undefined ? SHORT_CIRCUIT : read(holder, key)),
    chain: (value) => (value === SHORT_CIRCUIT ? undefined : value),
    eq: (a, b) => looseEquals(a, b) ?? refuse(),
    ne: (a, b) => {
      const equal = looseEquals(a, b);
      return equal === undefined ? refuse() : !equal;
    },
    lt: (a, b) => compare(a, b, (x, y) => (x as number) < (y as number)),
    gt: (a, b) => compare(a, b, (x, y) => (x as number) > (y as number)),
    le: (a, b) => compare(a, b, (x, y) => (x as number) <= (y as number)),
    ge: (a, b) => compare(a, b, (x, y) => (x as number) >= (y as number)),
    add: (a, b) => arithmetic(a, b, (x: number, y: number) => x + y, 'add'),
    sub: (a, b) => arithmetic(a, b, (x: number, y: number) => x - y, 'plain'),
    mul: (a, b) => arithmetic(a, b, (x: number, y: number) => x * y, 'plain'),
    div: (a, b) => arithmetic(a, b, (x: number, y: number) => x / y, 'divide'),
    mod: (a, b) => arithmetic(a, b, (x: number, y: number) => x % y, 'divide'),
    pow: (a, b) => arithmetic(a, b, (x: number, y: number) => x ** y, 'power'),
    band: (a, b) => arithmetic(a, b, (x: number, y: number) => x & y, 'plain'),
    bor: (a, b) => arithmetic(a, b, (x: number, y: number) => x | y, 'plain'),
    bxor: (a, b) => arithmetic(a, b, (x: number, y: number) => x ^ y, 'plain'),
    shl: (a, b) => arithmetic(a, b, (x: number, y: number) => x << y, 'shift'),
    shr: (a, b) => arithmetic(a, b, (x: number, y: number) => x >> y, 'shift'),
    ushr: (a, b) => arithmetic(a, b, (x: number, y: number) => x >>> y, 'ushr'),
    neg: (a) => (isOperand(a) ? -(a as number) : decline()),
    pos: (a) => (isOperand(a) && typeof a !== 'bigint' ? +(a as number) : decline()),
    bnot: (a) => (isOperand(a) ? ~(a as number) : decline()),
  };
  return Object.freeze(Object.setPrototypeOf(runtime, null) as ExpressionRuntime);
}
