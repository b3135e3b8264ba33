/** The CLI's HTTP client for the broker API. Errors become CliErrors with the broker's code and hint. */
import { CliError, ExitCode, exitCodeForStatus } from './exitCodes';

export class BrokerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl.replace(/\/+$/, '') + path, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new CliError(ExitCode.Unreachable, 'KH_UNREACHABLE', `cannot reach the broker at ${this.baseUrl} (${cause})`, 'start it with `keyhole broker start`, or pass --broker / set KEYHOLE_BROKER');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(ExitCode.Internal, 'KH_BAD_RESPONSE', `the broker answered ${res.status} with something that is not JSON`, 'check --broker points at a Keyhole broker');
    }
    if (!res.ok) {
      const e = (json ?? {}) as { code?: string; message?: string; hint?: string };
      throw new CliError(exitCodeForStatus(res.status), e.code ?? `HTTP_${res.status}`, e.message ?? `HTTP ${res.status}`, e.hint ?? '');
    }
    return json as T;
  }
}
