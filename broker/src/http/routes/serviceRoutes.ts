/** Services, their policies and agent tokens, and trust files. */
import { buildTrustFile } from '../../trust/trustFile';
import { serviceJson } from '../json';
import { field, type Route, stringField, who } from './common';

export const SERVICE_ROUTES: readonly Route[] = [
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

];
