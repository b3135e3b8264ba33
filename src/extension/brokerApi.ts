// The broker calls the extension makes itself (the debug session makes its
// own through src/client): who am I, services, grants and their approval
// steps, the approver's public key, and one stored snapshot for export.
// Errors stay BrokerRequestError (status, KH_ code, hint). No vscode here.
// The JSON shapes are declared once, in @keyhole/protocol (brokerJson).
import {
  type ApproverKeyRequestJson,
  type GrantApprovalRequestJson,
  type GrantCloseRequestJson,
  type GrantJson,
  type GrantRequestJson,
  type GrantSigningBodyJson,
  pb,
  type ServiceJson,
  type SnapshotViewJson,
} from '@keyhole/protocol';
import { BrokerHttp, BrokerRequestError, type UncheckedErrorJson, type UserMeJson, whoAmI } from '../client/brokerHttp';
import { type GrantInfo } from '../common/brokerTypes';

/** The signed-in person (GET /v1/me with a person's token). */
export type Me = UserMeJson;

/** A grant as GET /v1/grants returns it, with the fields the views show. */
export type GrantRow = GrantInfo & Pick<GrantJson, 'status' | 'reason' | 'ticket' | 'requestedDurationMs' | 'notBeforeMs' | 'createdAtMs'>;

/** What the developer asks for; the body of POST /v1/grants, with every field the extension always fills in. */
export type GrantRequestBody = Required<Pick<GrantRequestJson, 'service' | 'selector' | 'scopeGlobs' | 'kinds' | 'durationMs' | 'reason' | 'ticket'>>;

export class BrokerApi {
  private readonly http: BrokerHttp;

  constructor(
    readonly brokerUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.http = new BrokerHttp({ baseUrl: brokerUrl, token, timeoutMs });
  }

  /** Rejects with a coded Error when the token is a service's agent token rather than a person's. */
  me(): Promise<Me> {
    return whoAmI(this.http);
  }

  async services(): Promise<string[]> {
    const rows = await this.http.call<ServiceJson[]>('GET', '/v1/services');
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
    return this.http.call<GrantRow>('POST', '/v1/grants', body satisfies GrantRequestJson);
  }

  /** Fetches the exact bytes to sign, signs them with `sign`, and posts the approval. */
  async approve(grantId: string, sign: (bodyBase64: string) => string): Promise<GrantRow> {
    const s = await this.http.call<GrantSigningBodyJson>('GET', `/v1/grants/${encodeURIComponent(grantId)}/signing-body`);
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/approvals`, { body: s.body, signature: sign(s.body) } satisfies GrantApprovalRequestJson);
  }

  reject(grantId: string, reason: string): Promise<GrantRow> {
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/reject`, { reason } satisfies GrantCloseRequestJson);
  }

  revoke(grantId: string, reason: string): Promise<GrantRow> {
    return this.http.call<GrantRow>('POST', `/v1/grants/${encodeURIComponent(grantId)}/revoke`, { reason } satisfies GrantCloseRequestJson);
  }

  /** PUT /v1/users/:id/key. BrokerHttp.call has no PUT, so this one request is sent here, with the same error shape. */
  async registerPublicKey(userId: string, publicKeyPem: string): Promise<void> {
    const url = `${this.brokerUrl.replace(/\/+$/, '')}/v1/users/${encodeURIComponent(userId)}/key`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ publicKeyPem } satisfies ApproverKeyRequestJson),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new BrokerRequestError(0, 'KH_BROKER_UNREACHABLE', `the broker at ${this.brokerUrl} could not be reached: ${(err as Error).message}`, 'check the broker URL and that it is running');
    }
    if (res.ok) return;
    const e = ((await res.json().catch(() => ({}))) ?? {}) as UncheckedErrorJson;
    throw new BrokerRequestError(res.status, typeof e.code === 'string' ? e.code : `HTTP_${res.status}`, typeof e.message === 'string' ? e.message : `registering the key failed with HTTP ${res.status}`, typeof e.hint === 'string' ? e.hint : '');
  }

  /** One stored snapshot, decoded (the broker audits this as a view). Values are as the agent masked them. */
  async snapshot(id: string): Promise<pb.Snapshot> {
    const r = await this.http.call<SnapshotViewJson>('GET', `/v1/snapshots/${encodeURIComponent(id)}`);
    return pb.Snapshot.decode(Buffer.from(r.protobuf, 'base64'));
  }
}
