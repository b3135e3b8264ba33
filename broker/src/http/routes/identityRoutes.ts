/** First admin, users, roles, tokens and approver keys. */
import { type ApproverKeyJson, type ApproverKeyRequestJson, type MeJson } from '@keyhole/protocol';
import { userJson } from '../json';
import { field, type Route, stringField, stringList, who } from './common';

export const IDENTITY_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/init',
    auth: false,
    handler: async ({ broker, body }) => {
      const r = await broker.identities.init(stringField(body, 'adminId'));
      return { status: 201, json: { user: userJson(r.user), token: r.token, tokenId: r.tokenId } };
    },
  },
  { method: 'GET', path: '/v1/me', auth: true, handler: async (ctx) => ({ json: who(ctx) satisfies MeJson }) },

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
      const k = await ctx.broker.identities.registerApproverKey(who(ctx), ctx.params.id ?? '', stringField<ApproverKeyRequestJson>(ctx.body, 'publicKeyPem'));
      return { json: { userId: k.userId, publicKeyPem: k.publicKeyPem, registeredAtMs: k.registeredAtMs } satisfies ApproverKeyJson };
    },
  },

];
