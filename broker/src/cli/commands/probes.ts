import { type ProbeJson, type ProbeRequestJson } from '@keyhole/protocol';
import { type Command } from 'commander';
import { type ProbeInstanceStatus } from '../../probes/probeStatusTracker';
import { type CliContext, printJson, table } from '../context';
import { CliError, ExitCode } from '../exitCodes';

/** A row of GET /v1/probes: the probe, and what the agents last reported about it. */
type ProbeListRowJson = ProbeJson & { readonly installed: number; readonly instances: readonly ProbeInstanceStatus[] };

/** "src/orders/cart.ts:42" -> { path, line }; the last colon splits, so Windows drive letters survive. */
export function parseLocation(text: string): { path: string; line: number } {
  const i = text.lastIndexOf(':');
  const line = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(line) || line < 1) throw new CliError(ExitCode.Usage, 'KH_USAGE', `"${text}" is not a file:line`, 'write it like src/orders/cart.ts:42');
  return { path: text.slice(0, i), line };
}

function statusText(p: ProbeListRowJson): string {
  if (p.removedAtMs) return 'removed';
  if (p.instances.length === 0) return 'waiting for an agent';
  const states = [...new Set(p.instances.map((s) => s.state))];
  return `${states.join(', ')} (installed on ${p.installed}/${p.instances.length})`;
}

/**
 * What the agents said about each probe, one line per instance that said
 * something: the reason a probe waits, was refused or was removed, and the
 * notes on an installed one (moved to the next line with code, disarmed by
 * the agent's budget...). This is where "my snapshot never hits" is answered.
 */
export function agentNotes(list: readonly ProbeListRowJson[]): string {
  const lines: string[] = [];
  for (const p of list) {
    for (const s of p.instances) {
      if (!s.message && !s.code) continue;
      lines.push(`${p.id} on ${s.instanceId}: ${s.state}${s.message ? `: ${s.message}` : ''}${s.code ? ` (${s.code})` : ''}`);
    }
  }
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

export function registerProbeCommands(program: Command, ctx: CliContext): void {
  const probe = program.command('probe').description('snapshot probes and logpoints set under grants');
  probe
    .command('set')
    .description('set a snapshot probe (or, with --log, a logpoint) on a line, under one of your active grants (developers)')
    .argument('<file:line>', 'where, as the path in your workspace: src/orders/cart.ts:42')
    .requiredOption('--grant <id>', 'the active grant it runs under')
    .option('--log <template>', 'make it a logpoint with this message, e.g. "cart {cart.id} has {items.length} items"')
    .option('--condition <expr>', 'capture only when this side-effect-free expression is true')
    .option('--hit-condition <expr>', 'e.g. ">= 10" or "% 100"')
    .option('--max-hits <n>', 'stop after this many captures (0: the grant or agent default)')
    .option('--frames-with-locals <n>', "how many frames, from the probe's own, a snapshot captures with their variables (0: the agent's setting, 5 unless ops changed it); 1 never pauses the service, more also captures callers' variables at the cost of a short pause")
    .option('--json', 'print the probe as JSON')
    .action(async (where: string, o: { grant: string; log?: string; condition?: string; hitCondition?: string; maxHits?: string; framesWithLocals?: string; json?: boolean }, cmd: Command) => {
      const { path, line } = parseLocation(where);
      const maxHits = o.maxHits === undefined ? undefined : Number(o.maxHits);
      if (maxHits !== undefined && (!Number.isInteger(maxHits) || maxHits < 0)) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--max-hits ${o.maxHits} is not a count`, 'use a whole number');
      const framesWithLocals = o.framesWithLocals === undefined ? undefined : Number(o.framesWithLocals);
      if (framesWithLocals !== undefined && (o.framesWithLocals?.trim() === '' || !Number.isInteger(framesWithLocals) || framesWithLocals < 0)) {
        throw new CliError(ExitCode.Usage, 'KH_USAGE', `--frames-with-locals ${o.framesWithLocals} is not a count`, 'use a whole number, e.g. 1 to capture only the line\'s own frame without pausing');
      }
      if (framesWithLocals && o.log !== undefined) throw new CliError(ExitCode.Usage, 'KH_USAGE', '--frames-with-locals applies to snapshots, not logpoints (--log)', 'leave out --frames-with-locals or --log');
      const p = await ctx.client(cmd).call<ProbeJson>('POST', '/v1/probes', {
        grantId: o.grant,
        kind: o.log === undefined ? 'SNAPSHOT' : 'LOGPOINT',
        path,
        line,
        ...(o.log === undefined ? {} : { logTemplate: o.log }),
        ...(o.condition === undefined ? {} : { condition: o.condition }),
        ...(o.hitCondition === undefined ? {} : { hitCondition: o.hitCondition }),
        ...(maxHits === undefined ? {} : { maxHits }),
        ...(framesWithLocals === undefined ? {} : { framesWithLocals }),
      } satisfies ProbeRequestJson);
      if (o.json) return printJson(ctx, p);
      ctx.out(`${p.id}\n`);
      ctx.err(`${p.kind.toLowerCase()} probe ${p.id} set at ${p.path}:${p.line}; see it arrive with \`keyhole probe list --grant ${p.grantId}\`\n`);
    });
  probe
    .command('remove')
    .description('remove a probe (its creator, or ops)')
    .argument('<id>', 'the probe')
    .option('--reason <text>', 'why, for the audit log', 'removed from the CLI')
    .action(async (id: string, o: { reason: string }, cmd: Command) => {
      await ctx.client(cmd).call('DELETE', `/v1/probes/${encodeURIComponent(id)}?reason=${encodeURIComponent(o.reason)}`);
      ctx.err(`probe ${id} removed\n`);
    });
  probe
    .command('list')
    .description('probes and what the agents report about them')
    .option('--service <name>', 'only this service')
    .option('--grant <id>', 'only this grant')
    .option('--active', 'only probes not removed')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; grant?: string; active?: boolean; json?: boolean }, cmd: Command) => {
      const q = new URLSearchParams();
      if (o.service) q.set('service', o.service);
      if (o.grant) q.set('grant', o.grant);
      if (o.active) q.set('active', 'true');
      const list = await ctx.client(cmd).call<ProbeListRowJson[]>('GET', `/v1/probes?${q.toString()}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(table([['ID', 'GRANT', 'KIND', 'WHERE', 'BY', 'STATUS'], ...list.map((p) => [p.id, p.grantId, p.kind, `${p.path}:${p.line}`, p.createdBy, statusText(p)])]));
      ctx.out(agentNotes(list));
    });
}
