import { type Command } from 'commander';
import { type CliContext, printJson, table } from '../context';

interface AgentJson {
  service: string;
  instanceId: string;
  hostname: string;
  labels: Record<string, string>;
  lastHeartbeatMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Agents and the kill switch; probes, snapshots and log lines have their own files. */
export function registerCaptureCommands(program: Command, ctx: CliContext): void {
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

  // `keyhole kill on|off` is the name ops type in a hurry; kill-switch stays as the long form.
  const kill = program.command('kill-switch').alias('kill').description('stop all capture at once, everywhere or for one service (ops)');
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
