/**
 * The API routes only the page uses: grants with their runbook and probe
 * state in one call, runbooks and their runs, and the ops activity view.
 * They run through the broker's route table machinery (authentication,
 * errors as {code, message, hint}) like every other route.
 */
import { type AlertHook } from '../activity/alertHook';
import { buildActivity } from '../activity/activityView';
import { type Broker } from '../broker';
import { grantJson } from '../http/json';
import { type Route, field, who } from '../http/routes/common';
import { resultsCsv } from '../runbooks/runResults';
import { type Runbook } from '../runbooks/runbook';
import { type RunbookRunner } from '../runbooks/runbookRunner';

const OPEN_STATES = new Set(['pending', 'approved', 'active']);

function runbookSummary(r: Runbook | undefined) {
  return r ? { id: r.id, title: r.title, problem: r.problem, reading: r.reading, probes: r.probes } : null;
}

async function probesOf(broker: Broker, ctx: Parameters<Route['handler']>[0], grantId: string) {
  const probes = await broker.probes.list(who(ctx), { grantId, activeOnly: true });
  return probes.map((p) => {
    const instances = broker.probeStatuses.instances(p.id);
    return { id: p.id, kind: p.kind, path: p.path, line: p.line, installed: instances.filter((s) => s.state === 'INSTALLED').length, instances: instances.length };
  });
}

export function webRoutes(runner: RunbookRunner, alerts: AlertHook | undefined): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/web/grants',
      auth: true,
      handler: async (ctx) => {
        const views = (await ctx.broker.grants.list(who(ctx))).filter((v) => OPEN_STATES.has(v.state));
        const json = [];
        for (const v of views) {
          json.push({ ...grantJson(v), body: undefined, runbook: runbookSummary(await runner.runbookOf(v.grant.id)), probes: v.state === 'active' ? await probesOf(ctx.broker, ctx, v.grant.id) : [] });
        }
        return { json };
      },
    },
    { method: 'GET', path: '/v1/web/runbooks', auth: true, handler: async (ctx) => ({ json: runner.list(who(ctx)) }) },
    {
      method: 'POST',
      path: '/v1/web/runbooks/:id/runs',
      auth: true,
      handler: async (ctx) => ({ status: 201, json: await runner.start(who(ctx), ctx.params.id ?? '', { reason: field(ctx.body, 'reason'), ticket: field(ctx.body, 'ticket') }) }),
    },
    {
      method: 'POST',
      path: '/v1/web/runbooks/:id/standing',
      auth: true,
      handler: async (ctx) => {
        const body = { starter: field(ctx.body, 'starter'), reason: field(ctx.body, 'reason'), windowMinutes: field(ctx.body, 'windowMinutes'), maxHitsPerProbe: field(ctx.body, 'maxHitsPerProbe') };
        return { status: 201, json: grantJson(await runner.openStanding(who(ctx), ctx.params.id ?? '', body)) };
      },
    },
    { method: 'GET', path: '/v1/web/runs', auth: true, handler: async (ctx) => ({ json: await runner.runsFor(who(ctx)) }) },
    {
      method: 'GET',
      path: '/v1/web/runs/:grantId',
      auth: true,
      handler: async (ctx) => {
        const r = await runner.results(who(ctx), ctx.params.grantId ?? '');
        return { json: { ...r, runbook: runbookSummary(r.runbook), csv: resultsCsv(r.results) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/web/activity',
      auth: true,
      handler: async (ctx) => ({ json: { ...(await buildActivity(ctx.broker, who(ctx))), alertHook: alerts?.status() ?? null } }),
    },
  ];
}
