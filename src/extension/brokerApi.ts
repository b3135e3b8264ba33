// The broker calls the extension makes itself (the debug session makes its
// own through src/client): who am I, services, grants and their approval
// steps, the approver's public key, and one stored snapshot for export.
// Errors stay BrokerRequestError (status, KH_ code, hint). No vscode here.
import { pb } from '@keyhole/protocol';
import { BrokerHttp, BrokerRequestError } from '../client/brokerHttp';
import { type GrantInfo, type ProbeKindName } from '../common/brokerTypes';

export interface Me {
  readonly id: string;
  readonly roles: readonly string[];
}

/** A grant as GET /v1/grants returns it, with the fields the views show. */
export interface GrantRow extends GrantInfo {
  readonly status: string;
  readonly reason: string;
  readonly ticket: string;
  readonly requestedDurationMs: number;
  readonly notBeforeMs: number;
  readonly createdAtMs: number;
}

/** What the developer asks for; the body of POST /v1/grants. */
export interface GrantRequestBody {
  readonly service: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly scopeGlobs: readonly string[];
  readonly kinds: readonly ProbeKindName[];
  readonly durationMs: number;
  readonly reason: string;
  readonly ticket: string;
}

export class BrokerApi {
  private readonly http: BrokerHttp;

  constructor(
    readonly brokerUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.http = new BrokerHttp({ baseUrl: brokerUrl, token, timeoutMs });
  }

  me(): Promise<Me> {
    return this.http.call<Me>('GET', '/v1/me');
  }

  async services(): Promise<string[]> {
    const rows = await this.http.call<{ name: string }[]>('GET', '/v1/services');
    return rows.map((r) => r.name);
  }

  /** Grants this user asked for (every service, every state). */
  grantsRequestedBy(userId: string): Promise<GrantRow[]> {
    return this.http.call<GrantRow[]>('GET', `/v1/grants?requester=${encodeURIComponent(userId)}`);
  }

  /** Pending grants of anyone else that this approver has not signed yet. */
  async grantsAwaiting(approverId: string): Promise<GrantRow[]> {
    const pending = await this.http.call<GrantRow[]>('GET', '/v1/grants?status=pending');
    return pending.filter((g) => g.requester !== approverId && !g.approvals.some((a) => a.approverId === approverId));
  }

  requestGrant(body: GrantRequestBody): Promise<GrantRow> {
    return this.http.call<GrantRow>('POST', '/v1/grants', body);
  }

  /** Fetches the exact bytes to sign, signs them with `sign`, and posts the approval. */
  async approve(grantId: string, sign: (bodyBase64: string) => string): Promise<GrantRow> {
    const s = await this.http.call<{ body: string }>('GET', `/v1/grants/${encodeURIComponent(grantId)}/signing-body`);
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/approvals`, { body: s.body, signature: sign(s.body) });
  }

  reject(grantId: string, reason: string): Promise<GrantRow> {
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/reject`, { reason });
  }

  revoke(grantId: string, reason: string): Promise<GrantRow> {
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/revoke`, { reason });
  }

  /** PUT /v1/users/:id/key. BrokerHttp.call has no PUT, so this one request is sent here, with the same error shape. */
  async registerPublicKey(userId: string, publicKeyPem: string): Promise<void> {
    const url = `${this.brokerUrl.replace(/\/+$/, '')}/v1/users/${encodeURIComponent(userId)}/key`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ publicKeyPem }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new BrokerRequestError(0, 'KH_BROKER_UNREACHABLE', `the broker at ${this.brokerUrl} could not be reached: ${(err as Error).message}`, 'check the broker URL and that it is running');
    }
    if (res.ok) return;
    const e = ((await res.json().catch(() => ({}))) ?? {}) as { code?: unknown; message?: unknown; hint?: unknown };
    throw new BrokerRequestError(res.status, typeof e.code === 'string' ? e.code : `HTTP_${res.status}`, typeof e.message === 'string' ? e.message : `registering the key failed with HTTP ${res.status}`, typeof e.hint === 'string' ? e.hint : '');
  }

  /** One stored snapshot, decoded (the broker audits this as a view). Values are as the agent masked them. */
  async snapshot(id: string): Promise<pb.Snapshot> {
    const r = await this.http.call<{ protobuf: string }>('GET', `/v1/snapshots/${encodeURIComponent(id)}`);
    return pb.Snapshot.decode(Buffer.from(r.protobuf, 'base64'));
  }
}
