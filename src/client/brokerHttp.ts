// JSON over HTTP to the broker, with its `{ code, message, hint }` errors kept
// as data (BrokerRequestError) and a request timeout as a named setting.
import { type BrokerErrorJson, type MeJson } from '@keyhole/protocol';

export interface BrokerHttpOptions {
  /** http(s):// base URL of the broker. */
  readonly baseUrl: string;
  readonly token: string;
  /** Abort a request after this long. Default 10 s (DEFAULT_HTTP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** A request the broker refused, or could not be sent. `status` 0: the broker was not reached. */
export class BrokerRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'BrokerRequestError';
  }
}

/** An error body as received: a broker's BrokerErrorJson, or whatever a proxy in front of it sent. */
export type UncheckedErrorJson = { readonly [K in keyof BrokerErrorJson]?: unknown };

/** GET /v1/me when the token must be a person's: grants, probes and snapshots belong to people, not to a service's agent. */
export type UserMeJson = Extract<MeJson, { kind: 'user' }>;

export class BrokerHttp {
  private readonly base: string;

  constructor(private readonly options: BrokerHttpOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS),
      });
    } catch (err) {
      throw new BrokerRequestError(0, 'KH_BROKER_UNREACHABLE', `the broker at ${this.base} could not be reached: ${(err as Error).message}`, 'check the broker URL and that it is running');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new BrokerRequestError(res.status, 'KH_BROKER_BAD_RESPONSE', `the broker answered ${method} ${path} with something that is not JSON`, 'is the URL a Keyhole broker?');
    }
    if (!res.ok) {
      const e = (json ?? {}) as UncheckedErrorJson;
      throw new BrokerRequestError(
        res.status,
        typeof e.code === 'string' ? e.code : `HTTP_${res.status}`,
        typeof e.message === 'string' ? e.message : `${method} ${path} failed with HTTP ${res.status}`,
        typeof e.hint === 'string' ? e.hint : '',
      );
    }
    return json as T;
  }
}

/** Who the token belongs to (GET /v1/me). Rejects with a coded Error when it is a service's agent token. */
export async function whoAmI(http: BrokerHttp): Promise<UserMeJson> {
  const me = await http.call<MeJson>('GET', '/v1/me');
  if (me.kind === 'agent') {
    throw Object.assign(new Error(`the token belongs to the agent of service ${me.service}, not to a person`), {
      code: 'KH_NOT_A_USER_TOKEN',
      hint: 'use your own token (an admin issues it with `keyhole user token <id>`), not the service\'s agent token',
    });
  }
  return me;
}
