/** Grant requests, signing bodies, approvals, rejections and revocations. */
import { type GrantApprovalRequestJson, type GrantCloseRequestJson, type GrantSigningBodyJson } from '@keyhole/protocol';
import { brokerError, BrokerErrorCode } from '../../errors';
import { type GrantStatus } from '../../store/records';
import { grantJson } from '../json';
import { bytesField, type Route, stringField, who } from './common';

const GRANT_STATUSES: readonly GrantStatus[] = ['pending', 'approved', 'rejected', 'revoked'];

export const GRANT_ROUTES: readonly Route[] = [
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
      return { json: { grantId: s.grantId, body: Buffer.from(s.body).toString('base64'), notBeforeMs: s.notBeforeMs, notAfterMs: s.notAfterMs } satisfies GrantSigningBodyJson };
    },
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/approvals',
    auth: true,
    handler: async (ctx) => ({
      status: 201,
      json: grantJson(await ctx.broker.grants.approve(who(ctx), ctx.params.id ?? '', bytesField<GrantApprovalRequestJson>(ctx.body, 'body'), bytesField<GrantApprovalRequestJson>(ctx.body, 'signature'))),
    }),
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/reject',
    auth: true,
    handler: async (ctx) => ({ json: grantJson(await ctx.broker.grants.reject(who(ctx), ctx.params.id ?? '', stringField<GrantCloseRequestJson>(ctx.body, 'reason', false))) }),
  },
  {
    method: 'POST',
    path: '/v1/grants/:id/revoke',
    auth: true,
    handler: async (ctx) => ({ json: grantJson(await ctx.broker.grants.revoke(who(ctx), ctx.params.id ?? '', stringField<GrantCloseRequestJson>(ctx.body, 'reason', false))) }),
  },

];
