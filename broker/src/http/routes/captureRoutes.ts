/** Probes, snapshots, the kill switch and connected agents. */
import { pb, type ProbeJson, type SnapshotListRowJson, type SnapshotViewJson } from '@keyhole/protocol';
import { brokerError, BrokerErrorCode } from '../../errors';
import { requirePermission } from '../../identity/identityService';
import { field, type Route, stringField, who } from './common';

export const CAPTURE_ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/probes', auth: true, handler: async (ctx) => ({ status: 201, json: (await ctx.broker.probes.set(who(ctx), (ctx.body ?? {}) as object)) satisfies ProbeJson }) },
  {
    method: 'GET',
    path: '/v1/probes',
    auth: true,
    handler: async (ctx) => {
      const probes = await ctx.broker.probes.list(who(ctx), {
        service: ctx.query.get('service') ?? undefined,
        grantId: ctx.query.get('grant') ?? undefined,
        activeOnly: ctx.query.get('active') === 'true',
      });
      // What the agents last reported, so a CLI user sees INSTALLED, FILE_NOT_FOUND, ... without /events.
      return {
        json: probes.map((p) => {
          const instances = ctx.broker.probeStatuses.instances(p.id);
          return { ...p, installed: instances.filter((s) => s.state === 'INSTALLED').length, instances };
        }),
      };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/probes/:id',
    auth: true,
    handler: async (ctx) => ({ json: (await ctx.broker.probes.remove(who(ctx), ctx.params.id ?? '', ctx.query.get('reason') ?? 'removed by its owner')) satisfies ProbeJson }),
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
      return { json: rows.map(({ data, ...meta }): SnapshotListRowJson => ({ ...meta, bytes: data.byteLength })) };
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
        } satisfies SnapshotViewJson,
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

];
