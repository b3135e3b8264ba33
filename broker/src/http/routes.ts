/**
 * The HTTP API's routes: one table of method, path and handler. Handlers
 * get the authenticated principal and the parsed JSON body and return JSON;
 * refusals are BrokerErrors, which the server turns into {code, message, hint}.
 */
import { pb } from '@keyhole/protocol';
import { verifyAudit } from '../audit/auditLog';
import { type Broker } from '../broker';
import { brokerError, BrokerErrorCode } from '../errors';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { type GrantStatus } from '../store/records';
import { buildTrustFile } from '../trust/trustFile';
import { auditJson, grantJson, serviceJson, userJson } from './json';

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

function who(ctx: RouteContext): Principal {
  if (!ctx.principal) throw brokerError(BrokerErrorCode.Unauthenticated, 'this route needs a token', 'send Authorization: Bearer <token>');
  return ctx.principal;
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function stringField(body: unknown, name: string, required = true): string {
  const v = field(body, name);
  if (v === undefined && !required) return '';
  if (typeof v !== 'string') throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be a string`, `send {"${name}": "..."}`);
  return v;
}

function bytesField(body: unknown, name: string): Uint8Array {
  const v = stringField(body, name);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be base64`, 'encode the bytes as standard base64');
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function stringList(body: unknown, name: string): string[] {
  const v = field(body, name);
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw brokerError(BrokerErrorCode.BadRequest, `"${name}" must be a list of strings`, `send {"${name}": ["..."]}`);
  return v as string[];
}

const GRANT_STATUSES: readonly GrantStatus[] = ['pending', 'approved', 'rejected', 'revoked'];

/** Rows per audit page unless `limit` says fewer; at most this many. */
export const AUDIT_PAGE_LIMIT = 1000;

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/init',
    auth: false,
    handler: async ({ broker, body }) => {
      const r = await broker.identities.init(stringField(body, 'adminId'));
      return { status: 201, json: { user: userJson(r.user), token: r.token, tokenId: r.tokenId } };
    },
  },
  { method: 'GET', path: '/v1/me', auth: true, handler: async (ctx) => ({ json: who(ctx) }) },

  // Users and keys.
  {
    method: 'POST',
    path: '/v1/users',
    auth: true,
    handler: async (ctx) => {
      const r = await ctx.broker.identities.addUser(who(ctx), stringField(ctx.body, 'id'), stringList(ctx.body, 'roles'));
      return { status: 201, json: { user: userJson(r.user), token: r.token, tokenId: r.tokenId } };
    },
  },
  { method: 'GET', path: '/v1/users', auth: true, handler: async (ctx) => ({ json: (await ctx.broker.identities.listUsers(who(ctx))).map(userJson) }) },
  {
    method: 'POST',
    path: '/v1/users/:id/disable',
    auth: true,
    handler: async (ctx) => ({ json: userJson(await ctx.broker.identities.disableUser(who(ctx), ctx.params.id ?? '')) }),
  },
  {
    method: 'PUT',
    path: '/v1/users/:id/roles',
    auth: true,
    handler: async (ctx) => ({ json: userJson(await ctx.broker.identities.setRoles(who(ctx), ctx.params.id ?? '', stringList(ctx.body, 'roles'))) }),
  },
  {
    method: 'POST',
    path: '/v1/users/:id/tokens',
    auth: true,
    handler: async (ctx) => {
      const ttl = field(ctx.body, 'ttlMs');
      return { status: 201, json: await ctx.broker.identities.issueToken(who(ctx), ctx.params.id ?? '', ttl === undefined ? {} : { ttlMs: ttl as number }) };
    },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/revoke',
    auth: true,
    handler: async (ctx) => {
      await ctx.broker.identities.revokeToken(who(ctx), ctx.params.id ?? '');
      return { json: { revoked: ctx.params.id } };
    },
  },
  {
    method: 'PUT',
    path: '/v1/users/:id/key',
    auth: true,
    handler: async (ctx) => {
      const k = await ctx.broker.identities.registerApproverKey(who(ctx), ctx.params.id ?? '', stringField(ctx.body, 'publicKeyPem'));
      return { json: { userId: k.userId, publicKeyPem: k.publicKeyPem, registeredAtMs: k.registeredAtMs } };
    },
  },

  // Services.
  {
    method: 'POST',
    path: '/v1/services',
    auth: true,
    handler: async (ctx) => {
      const policy = field(ctx.body, 'policy') ?? {};
      const r = await ctx.broker.services.add(who(ctx), stringField(ctx.body, 'name'), policy as object);
      return { status: 201, json: { service: serviceJson(r.service), agentToken: r.token, tokenId: r.tokenId } };
    },
  },
  { method: 'GET', path: '/v1/services', auth: true, handler: async (ctx) => ({ json: (await ctx.broker.services.list(who(ctx))).map(serviceJson) }) },
  { method: 'GET', path: '/v1/services/:name', auth: true, handler: async (ctx) => ({ json: serviceJson(await ctx.broker.services.get(who(ctx), ctx.params.name ?? '')) }) },
  {
    method: 'PATCH',
    path: '/v1/services/:name',
    auth: true,
    handler: async (ctx) => ({ json: serviceJson(await ctx.broker.services.setPolicy(who(ctx), ctx.params.name ?? '', (field(ctx.body, 'policy') ?? {}) as object)) }),
  },
  {
    method: 'POST',
    path: '/v1/services/:name/agent-tokens',
    auth: true,
    handler: async (ctx) => ({ status: 201, json: await ctx.broker.services.issueAgentToken(who(ctx), ctx.params.name ?? '') }),
  },
  {
    method: 'GET',
    path: '/v1/services/:name/trust',
    auth: true,
    handler: async (ctx) => {
      const only = ctx.query.getAll('approver');
      return { json: await buildTrustFile(ctx.broker.store, ctx.broker.clock, who(ctx), ctx.params.name ?? '', only.length ? { approverIds: only } : {}) };
    },
  },

  // Grants.
  { method: 'POST', path: '/v1/grants', auth: true, handler: async (ctx) => ({ status: 201, json: grantJson(await ctx.broker.grants.request(who(ctx), (ctx.body ?? {}) as object)) }) },
  {
    method: 'GET',
    path: '/v1/grants',
    auth: true,
    handler: async (ctx) => {
      const status = ctx.query.get('status') ?? undefined;
      if (status !== undefined && !GRANT_STATUSES.includes(status as GrantStatus)) {
        throw brokerError(BrokerErrorCode.BadRequest, `unknown status ${status}`, `use one of ${GRANT_STATUSES.join(', ')}`);
      }
      const filter = { service: ctx.query.get('service') ?? undefined, requester: ctx.query.get('requester') ?? undefined, status: status as GrantStatus | undefined };
      return { json: (await ctx.broker.grants.list(who(ctx), filter)).map(grantJson) };
    },
  },
  { method: 'GET', path: '/v1/grants/:id', auth: true, handler: async (ctx) => ({ json: grantJson(await ctx.broker.grants.show(who(ctx), ctx.params.id ?? '')) }) },
  {
    method: 'GET',
    path: '/v1/grants/:id/signing-body',
    auth: true,
    handler: async (ctx) => {
      const s = await ctx.broker.grants.signingBody(who(ctx), ctx.params.id ?? '');
      return { json: { grantId: s.grantId, body: Buffer.from(s.body).toString('base64'), notBeforeMs: s.notBeforeMs, notAfterMs: s.notAfterMs } };
    },
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/approvals',
    auth: true,
    handler: async (ctx) => ({
      status: 201,
      json: grantJson(await ctx.broker.grants.approve(who(ctx), ctx.params.id ?? '', bytesField(ctx.body, 'body'), bytesField(ctx.body, 'signature'))),
    }),
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/reject',
    auth: true,
    handler: async (ctx) => ({ json: grantJson(await ctx.broker.grants.reject(who(ctx), ctx.params.id ?? '', stringField(ctx.body, 'reason', false))) }),
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/revoke',
    auth: true,
    handler: async (ctx) => ({ json: grantJson(await ctx.broker.grants.revoke(who(ctx), ctx.params.id ?? '', stringField(ctx.body, 'reason', false))) }),
  },

  // Probes, snapshots, kill switch.
  { method: 'POST', path: '/v1/probes', auth: true, handler: async (ctx) => ({ status: 201, json: await ctx.broker.probes.set(who(ctx), (ctx.body ?? {}) as object) }) },
  {
    method: 'GET',
    path: '/v1/probes',
    auth: true,
    handler: async (ctx) => ({
      json: await ctx.broker.probes.list(who(ctx), {
        service: ctx.query.get('service') ?? undefined,
        grantId: ctx.query.get('grant') ?? undefined,
        activeOnly: ctx.query.get('active') === 'true',
      }),
    }),
  },
  {
    method: 'DELETE',
    path: '/v1/probes/:id',
    auth: true,
    handler: async (ctx) => ({ json: await ctx.broker.probes.remove(who(ctx), ctx.params.id ?? '', ctx.query.get('reason') ?? 'removed by its owner') }),
  },
  {
    method: 'GET',
    path: '/v1/snapshots',
    auth: true,
    handler: async (ctx) => {
      const limit = ctx.query.get('limit');
      const rows = await ctx.broker.snapshots.list(who(ctx), {
        service: ctx.query.get('service') ?? undefined,
        probeId: ctx.query.get('probe') ?? undefined,
        grantId: ctx.query.get('grant') ?? undefined,
        ...(limit !== null ? { limit: Number(limit) } : {}),
      });
      return { json: rows.map(({ data, ...meta }) => ({ ...meta, bytes: data.byteLength })) };
    },
  },
  {
    method: 'GET',
    path: '/v1/snapshots/:id',
    auth: true,
    handler: async (ctx) => {
      const { record, snapshot } = await ctx.broker.snapshots.view(who(ctx), ctx.params.id ?? '');
      return {
        json: {
          id: record.id,
          service: record.service,
          grantId: record.grantId,
          probeId: record.probeId,
          instanceId: record.instanceId,
          capturedAtMs: record.capturedAtMs,
          expiresAtMs: record.expiresAtMs,
          /** The encoded keyhole.v1.Snapshot, base64: decode it with @keyhole/protocol. */
          protobuf: Buffer.from(record.data).toString('base64'),
          snapshot: pb.Snapshot.toObject(snapshot, { enums: String, longs: Number, defaults: false }),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/kill-switch',
    auth: true,
    handler: async (ctx) => {
      const on = field(ctx.body, 'on');
      if (typeof on !== 'boolean') throw brokerError(BrokerErrorCode.BadRequest, '"on" must be true or false', 'send {"scope": "global", "on": true, "reason": "..."}');
      return { json: await ctx.broker.killSwitch.set(who(ctx), stringField(ctx.body, 'scope'), on, stringField(ctx.body, 'reason')) };
    },
  },
  { method: 'GET', path: '/v1/kill-switch', auth: true, handler: async (ctx) => ({ json: await ctx.broker.killSwitch.list(who(ctx)) }) },

  // Agents connected now.
  {
    method: 'GET',
    path: '/v1/agents',
    auth: true,
    handler: async (ctx) => {
      requirePermission(who(ctx), 'agent.list');
      const service = ctx.query.get('service') ?? undefined;
      return {
        json: ctx.broker.agents.list(service).map((a) => ({
          service: a.service,
          instanceId: a.instanceId,
          labels: a.labels,
          hostname: a.hostname,
          pid: a.pid,
          agentVersion: a.agentVersion,
          runtimeVersion: a.runtimeVersion,
          connectedAtMs: a.connectedAtMs,
          lastHeartbeatMs: a.lastHeartbeatMs,
          stats: a.stats ?? null,
        })),
      };
    },
  },

  // Audit.
  {
    method: 'GET',
    path: '/v1/audit',
    auth: true,
    handler: async (ctx) => {
      requirePermission(who(ctx), 'audit.read');
      const after = Number(ctx.query.get('after') ?? 0);
      const limit = Number(ctx.query.get('limit') ?? AUDIT_PAGE_LIMIT);
      if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_LIMIT) {
        throw brokerError(BrokerErrorCode.BadRequest, `after must be a seq >= 0 and limit 1..${AUDIT_PAGE_LIMIT}`, 'page with ?after=<last seq>&limit=<n>');
      }
      const rows = await ctx.broker.store.transaction((r) => r.audit.list(after, limit));
      return { json: rows.map(auditJson) };
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/verify',
    auth: true,
    handler: async (ctx) => {
      requirePermission(who(ctx), 'audit.read');
      return { json: await verifyAudit(ctx.broker.store) };
    },
  },
];
