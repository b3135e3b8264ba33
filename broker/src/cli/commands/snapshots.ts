import { type SnapshotListRowJson } from '@keyhole/protocol';
import { type Command } from 'commander';
import { type CliContext, printJson, table } from '../context';
import { CliError, ExitCode } from '../exitCodes';
import { DEFAULT_TREE_LIMITS, renderSnapshotTree, type SnapshotJson } from '../snapshotTree';

function count(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(ExitCode.Usage, 'KH_USAGE', `${option} ${text} is not a count`, 'use a whole number');
  return n;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function registerSnapshotCommands(program: Command, ctx: CliContext): void {
  const snapshot = program.command('snapshot').description('snapshots captured under your grants');
  snapshot
    .command('list')
    .option('--service <name>', 'only this service')
    .option('--probe <id>', 'only this probe')
    .option('--grant <id>', 'only this grant')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; probe?: string; grant?: string; json?: boolean }, cmd: Command) => {
      const q = new URLSearchParams();
      if (o.service) q.set('service', o.service);
      if (o.probe) q.set('probe', o.probe);
      if (o.grant) q.set('grant', o.grant);
      const list = await ctx.client(cmd).call<SnapshotListRowJson[]>('GET', `/v1/snapshots?${q.toString()}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(table([['ID', 'PROBE', 'INSTANCE', 'CAPTURED', 'EXPIRES', 'BYTES'], ...list.map((s) => [s.id, s.probeId, s.instanceId, iso(s.capturedAtMs), iso(s.expiresAtMs), String(s.bytes)])]));
    });
  snapshot
    .command('show')
    .description('one snapshot: its stack and variables, as the agent masked them (the read is audited)')
    .argument('<id>', 'the snapshot')
    .option('--locals <n>', `innermost frames whose variables are shown (default ${DEFAULT_TREE_LIMITS.maxFramesWithVariables})`)
    .option('--depth <n>', `nesting shown below a variable (default ${DEFAULT_TREE_LIMITS.maxDepth})`)
    .option('--json', 'print JSON (the decoded snapshot, and its protobuf bytes in base64)')
    .action(async (id: string, o: { locals?: string; depth?: string; json?: boolean }, cmd: Command) => {
      const limits = {
        ...DEFAULT_TREE_LIMITS,
        ...(o.locals === undefined ? {} : { maxFramesWithVariables: count('--locals', o.locals) }),
        ...(o.depth === undefined ? {} : { maxDepth: count('--depth', o.depth) }),
      };
      const s = await ctx.client(cmd).call<{ snapshot: SnapshotJson }>('GET', `/v1/snapshots/${encodeURIComponent(id)}`);
      if (o.json) return printJson(ctx, s);
      ctx.out(renderSnapshotTree(s.snapshot, limits));
    });
}
