/**
 * What every route handler gets, and the small parsers they share for
 * request bodies. Refusals are BrokerErrors; the server renders them.
 */
import { type Broker } from '../../broker';
import { brokerError, BrokerErrorCode } from '../../errors';
import { type Principal } from '../../identity/principal';

export interface RouteContext {
  readonly broker: Broker;
  /** Undefined only on routes that do not authenticate. */
  readonly principal: Principal | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** false: no bearer token needed (only `init`, which works once). */
  readonly auth: boolean;
  readonly handler: (ctx: RouteContext) => Promise<{ status?: number; json: unknown }>;
}

export function who(ctx: RouteContext): Principal {
  if (!ctx.principal) throw brokerError(BrokerErrorCode.Unauthenticated, 'this route needs a token', 'send Authorization: Bearer <token>');
  return ctx.principal;
}

// The body readers take the request's JSON shape from @keyhole/protocol as `B`
// where there is one, so that the field names they read are checked against it.

export function field<B = Record<string, unknown>>(body: unknown, name: keyof B & string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

export function stringField<B = Record<string, unknown>>(body: unknown, name: keyof B & string, required = true): string {
  const v = field<B>(body, name);
  if (v === undefined && !required) return '';
  if (typeof v !== 'string') throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be a string`, `send {"${name}": "..."}`);
  return v;
}

export function bytesField<B = Record<string, unknown>>(body: unknown, name: keyof B & string): Uint8Array {
  const v = stringField<B>(body, name);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be base64`, 'encode the bytes as standard base64');
  return new Uint8Array(Buffer.from(v, 'base64'));
}

export function stringList<B = Record<string, unknown>>(body: unknown, name: keyof B & string): string[] {
  const v = field<B>(body, name);
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be a list of strings`, `send {"${name}": ["..."]}`);
  return v as string[];
}
