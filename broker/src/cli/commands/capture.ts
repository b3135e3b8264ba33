import { type Command } from 'commander';
import { type CliContext, printJson, table } from '../context';

interface ProbeJson {
  id: string;
  grantId: string;
  kind: string;
  path: string;
  line: number;
  createdBy: string;
  removedAtMs: number;
}
interface SnapshotJson {
  id: string;
  probeId: string;
  instanceId: string;
  capturedAtMs: number;
  expiresAtMs: number;
  bytes: number;
}
interface AgentJson {
  service: string;
  instanceId: string;
  hostname: string;
  labels: Record<string, string>;
  lastHeartbeatMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function registerCaptureCommands(program: Command, ctx: CliContext): void {
  program
    .command('probe')
    .description('probes set under grants')
    .command('list')
    .option('--service <name>', 'only this service')
    .option('--grant <id>', 'only this grant')
    .option('--active', 'only probes not removed')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; grant?: string; active?: boolean; json?: boolean }, cmd: Command) => {
      const q = new URLSearchParams();
      if (o.service) q.set('service', o.service);
      if (o.grant) q.set('grant', o.grant);
      if (o.active) q.set('active', 'true');
      const list = await ctx.client(cmd).call<ProbeJson[]>('GET', `/v1/probes?${q.toString()}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(table([['ID', 'GRANT', 'KIND', 'WHERE', 'BY', 'STATE'], ...list.map((p) => [p.id, p.grantId, p.kind, `${p.path}:${p.line}`, p.createdBy, p.removedAtMs ? 'removed' : 'active'])]));
    });

  program
    .command('snapshot')
    .description('snapshots captured under your grants')
    .command('list')
    .option('--service <name>', 'only this service')
    .option('--probe <id>', 'only this probe')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; probe?: string; json?: boolean }, cmd: Command) => {
      const q = new URLSearchParams();
      if (o.service) q.set('service', o.service);
      if (o.probe) q.set('probe', o.probe);
      const list = await ctx.client(cmd).call<SnapshotJson[]>('GET', `/v1/snapshots?${q.toString()}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(table([['ID', 'PROBE', 'INSTANCE', 'CAPTURED', 'EXPIRES', 'BYTES'], ...list.map((s) => [s.id, s.probeId, s.instanceId, iso(s.capturedAtMs), iso(s.expiresAtMs), String(s.bytes)])]));
    });

  program
    .command('agent')
    .description('agents connected to the broker')
    .command('list')
    .option('--service <name>', 'only this service')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; json?: boolean }, cmd: Command) => {
      const list = await ctx.client(cmd).call<AgentJson[]>('GET', `/v1/agents${o.service ? `?service=${encodeURIComponent(o.service)}` : ''}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(
        table([
          ['SERVICE', 'INSTANCE', 'HOST', 'LABELS', 'LAST HEARTBEAT'],
          ...list.map((a) => [a.service, a.instanceId, a.hostname, Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(' '), iso(a.lastHeartbeatMs)]),
        ]),
      );
    });

  const kill = program.command('kill-switch').description('stop all capture at once, everywhere or for one service (ops)');
  for (const state of ['on', 'off'] as const) {
    kill
      .command(state)
      .description(state === 'on' ? 'stop capture: agents drop their probes at once' : 'allow capture again')
      .option('--service <name>', 'only this service (default: every service)')
      .requiredOption('--reason <text>', 'why, for the audit log and the agents')
      .action(async (o: { service?: string; reason: string }, cmd: Command) => {
        await ctx.client(cmd).call('POST', '/v1/kill-switch', { scope: o.service ?? 'global', on: state === 'on', reason: o.reason });
        ctx.err(`kill switch ${state} for ${o.service ?? 'every service'}\n`);
      });
  }
}
