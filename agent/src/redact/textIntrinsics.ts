/**
 * Built-ins the redactor uses, captured once when the agent loads. Masking
 * runs inside a paused capture; a host that later replaces
 * `String.prototype.indexOf`, `RegExp.prototype.exec` or `JSON.parse` must not
 * get its code run there, nor change what is found. Everything the hot path
 * calls on a string or a regex goes through these.
 */
import { isIPv6 as netIsIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';

// uncurryThis, as Node's own primordials do it: `call` bound to the built-in,
// which V8 inlines (Reflect.apply with an argument array allocates per call).
const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(fn: (...args: A) => R) => (self: unknown, ...args: A) => R;
const StringProto = String.prototype;
const StringIndexOf = uncurry(StringProto.indexOf) as (s: string, search: string, from: number) => number;
const StringSlice = uncurry(StringProto.slice) as (s: string, start: number, end?: number) => string;
const StringCharCodeAt = uncurry(StringProto.charCodeAt) as (s: string, i: number) => number;
const StringToLowerCase = uncurry(StringProto.toLowerCase) as (s: string) => string;
const StringToUpperCase = uncurry(StringProto.toUpperCase) as (s: string) => string;
const RegExpExec = uncurry(RegExp.prototype.exec) as (re: RegExp, s: string) => RegExpExecArray | null;
const PerformanceNow = performance.now.bind(performance);

export const JSONParse = JSON.parse;
export const fromCharCode = String.fromCharCode;
export const isIPv6 = netIsIPv6;

export function indexOf(s: string, search: string, from = 0): number {
  return StringIndexOf(s, search, from);
}

export function charCodeAt(s: string, i: number): number {
  return StringCharCodeAt(s, i);
}

export function slice(s: string, start: number, end?: number): string {
  return end === undefined ? StringSlice(s, start) : StringSlice(s, start, end);
}

export function toLower(s: string): string {
  return StringToLowerCase(s);
}

export function toUpper(s: string): string {
  return StringToUpperCase(s);
}

/** RegExp.prototype.exec as it was at load; the regex must be one of ours. */
export function exec(re: RegExp, s: string): RegExpExecArray | null {
  return RegExpExec(re, s);
}

export function now(): number {
  return PerformanceNow();
}

/** Appends without Array.prototype.push, which the host could have replaced. */
export function append<T>(list: T[], item: T): void {
  list[list.length] = item;
}
