import { writeFileSync } from 'node:fs';
import { type ServiceJson } from '@keyhole/protocol';
import { type Command } from 'commander';
import { type PolicyInput } from '../../services/policy';
import { type CliContext, printJson, table } from '../context';
import { formatDuration, parseDuration } from '../parse';

interface PolicyOptions {
  approvals?: string;
  maxWindow?: string;
  snapshotTtl?: string;
  enabled?: string;
  maskName?: string[];
  maskPattern?: string[];
  requesterRole?: string[];
  requesterUser?: string[];
}

function withPolicyOptions(cmd: Command): Command {
  return cmd
    .option('--approvals <k>', 'distinct approvals a grant needs (default 1)')
    .option('--max-window <duration>', 'longest approval window, e.g. 1h (default 1h)')
    .option('--snapshot-ttl <duration>', 'how long snapshots are kept, e.g. 24h (default 24h)')
    .option('--enabled <true|false>', 'whether capture is allowed at all (default true)')
    .option('--mask-name <name...>', 'extra variable names the agent masks')
    .option('--mask-pattern <regex...>', 'extra value patterns the agent masks')
    .option('--requester-role <role...>', 'roles that may request grants (default developer)')
    .option('--requester-user <id...>', 'users who may request grants');
}

function policyFrom(o: PolicyOptions): PolicyInput {
  const p: PolicyInput = {};
  if (o.approvals !== undefined) p.approvalsRequired = Number(o.approvals);
  if (o.maxWindow !== undefined) p.maxWindowMs = parseDuration(o.maxWindow);
  if (o.snapshotTtl !== undefined) p.snapshotTtlMs = parseDuration(o.snapshotTtl);
  if (o.enabled !== undefined) p.enabled = o.enabled === 'true' ? true : o.enabled === 'false' ? false : o.enabled;
  if (o.maskName || o.maskPattern) p.masking = { ...(o.maskName ? { names: o.maskName } : {}), ...(o.maskPattern ? { valuePatterns: o.maskPattern } : {}) };
  if (o.requesterRole || o.requesterUser) p.requesters = { ...(o.requesterRole ? { roles: o.requesterRole } : {}), ...(o.requesterUser ? { users: o.requesterUser } : {}) };
  return p;
}

export function registerServiceCommands(program: Command, ctx: CliContext): void {
  const service = program.command('service').description('services and their capture policy (ops, admin)');
  withPolicyOptions(service.command('add <name>').description("register a service and print its agent token (once)")).action(
    async (name: string, opts: PolicyOptions, cmd: Command) => {
      const r = await ctx.client(cmd).call<{ agentToken: string }>('POST', '/v1/services', { name, policy: policyFrom(opts) });
      ctx.out(`${r.agentToken}\n`);
      ctx.err(`service ${name} registered. Give the agent token above to the service (KEYHOLE_AGENT_TOKEN); it is shown once.\n`);
    },
  );
  withPolicyOptions(service.command('set <name>').description("change a service's policy (only the options given)")).action(
    async (name: string, opts: PolicyOptions, cmd: Command) => {
      await ctx.client(cmd).call('PATCH', `/v1/services/${encodeURIComponent(name)}`, { policy: policyFrom(opts) });
      ctx.err(`service ${name} updated\n`);
    },
  );
  service
    .command('list')
    .description('list services')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await ctx.client(cmd).call<ServiceJson[]>('GET', '/v1/services');
      if (opts.json) return printJson(ctx, list);
      ctx.out(
        table([
          ['NAME', 'ENABLED', 'APPROVALS', 'MAX WINDOW', 'SNAPSHOT TTL'],
          ...list.map((s) => [s.name, String(s.policy.enabled), String(s.policy.approvalsRequired), formatDuration(s.policy.maxWindowMs), formatDuration(s.policy.snapshotTtlMs)]),
        ]),
      );
    });

  program
    .command('trust')
    .description('the trust file agents verify grants against')
    .command('build <service>')
    .description("print (or write) the service's trust file")
    .option('--approver <id...>', 'only these approvers (default: every approver with a key)')
    .option('--out <path>', 'write to this file instead of printing')
    .action(async (name: string, opts: { approver?: string[]; out?: string }, cmd: Command) => {
      const q = (opts.approver ?? []).map((a) => `approver=${encodeURIComponent(a)}`).join('&');
      const file = await ctx.client(cmd).call('GET', `/v1/services/${encodeURIComponent(name)}/trust${q ? `?${q}` : ''}`);
      const text = JSON.stringify(file, null, 2) + '\n';
      if (opts.out) {
        writeFileSync(opts.out, text);
        ctx.err(`trust file written to ${opts.out}; give it to the service's agents (KEYHOLE_TRUST_FILE)\n`);
      } else ctx.out(text);
    });
}
