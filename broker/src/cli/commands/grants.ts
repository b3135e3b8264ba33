import { type GrantJson, type GrantSigningBodyJson } from '@keyhole/protocol';
import { type Command } from 'commander';
import { decodeGrantBody } from '../../grants/grantBody';
import { type GrantRequestInput } from '../../grants/grantRequest';
import { loadPrivateKey, signGrantBody } from '../../keys/keyFiles';
import { type CliContext, printJson, table } from '../context';
import { formatDuration, parseDuration, parseLabels } from '../parse';

const time = (ms: number) => (ms ? new Date(ms).toISOString() : '-');

function describe(g: GrantJson): string {
  return table([
    ['grant', g.id],
    ['state', g.state],
    ['service', g.service],
    ['requester', g.requester],
    ['selector', Object.entries(g.selector).map(([k, v]) => `${k}=${v}`).join(' ') || '(all instances)'],
    ['scope', g.scopeGlobs.join(' ')],
    ['kinds', g.kinds.join(', ')],
    ['reason', g.reason],
    ['ticket', g.ticket || '-'],
    ['duration', formatDuration(g.requestedDurationMs)],
    ['window', g.notAfterMs ? `${time(g.notBeforeMs)} .. ${time(g.notAfterMs)}` : 'fixed at the first approval'],
    ['approvals', `${g.approvals.length}/${g.approvalsRequired} ${g.approvals.map((a) => a.approverId).join(', ')}`],
    ...(g.closedBy ? [['closed by', `${g.closedBy}: ${g.closedReason ?? ''}`]] : []),
  ]);
}

export function registerGrantCommands(program: Command, ctx: CliContext): void {
  const grant = program.command('grant').description('request, approve, reject and revoke capture grants');
  grant
    .command('request')
    .description('ask for a grant (developers)')
    .requiredOption('--service <name>', 'the service')
    .requiredOption('--glob <glob...>', 'source files the probes may use, e.g. "src/orders/**"')
    .requiredOption('--reason <text>', 'why you need it')
    .option('--ticket <id>', 'the ticket it belongs to')
    .option('--kind <kind...>', 'SNAPSHOT and/or LOGPOINT', ['SNAPSHOT'])
    .option('--duration <duration>', 'how long, e.g. 30m (capped by the service)', '30m')
    .option('--label <key=value...>', 'only instances with these labels')
    .option('--json', 'print JSON')
    .action(async (o: { service: string; glob: string[]; reason: string; ticket?: string; kind: string[]; duration: string; label?: string[]; json?: boolean }, cmd: Command) => {
      const g = await ctx.client(cmd).call<GrantJson>('POST', '/v1/grants', {
        service: o.service,
        scopeGlobs: o.glob,
        reason: o.reason,
        ticket: o.ticket,
        kinds: o.kind.map((k) => k.toUpperCase()),
        durationMs: parseDuration(o.duration),
        selector: parseLabels(o.label ?? []),
      } satisfies GrantRequestInput);
      if (o.json) return printJson(ctx, g);
      ctx.out(`${g.id}\n`);
      ctx.err(`grant ${g.id} requested; it needs ${g.approvalsRequired} approval(s): \`keyhole grant approve ${g.id} --key <your key>\`\n`);
    });
  grant
    .command('list')
    .description('list grants')
    .option('--service <name>', 'only this service')
    .option('--status <status>', 'pending, approved, rejected or revoked')
    .option('--requester <id>', 'only grants requested by this user')
    .option('--json', 'print JSON')
    .action(async (o: { service?: string; status?: string; requester?: string; json?: boolean }, cmd: Command) => {
      const q = new URLSearchParams();
      if (o.service) q.set('service', o.service);
      if (o.status) q.set('status', o.status);
      if (o.requester) q.set('requester', o.requester);
      const list = await ctx.client(cmd).call<GrantJson[]>('GET', `/v1/grants${q.size ? `?${q.toString()}` : ''}`);
      if (o.json) return printJson(ctx, list);
      ctx.out(
        table([
          ['ID', 'STATE', 'SERVICE', 'REQUESTER', 'APPROVALS', 'SCOPE', 'REASON'],
          ...list.map((g) => [g.id, g.state, g.service, g.requester, `${g.approvals.length}/${g.approvalsRequired}`, g.scopeGlobs.join(' '), g.reason]),
        ]),
      );
    });
  grant
    .command('show <id>')
    .description('show one grant')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const g = await ctx.client(cmd).call<GrantJson>('GET', `/v1/grants/${encodeURIComponent(id)}`);
      if (o.json) return printJson(ctx, g);
      ctx.out(describe(g));
    });
  grant
    .command('approve <id>')
    .description('sign the grant body locally with your private key and send the signature (approvers)')
    .requiredOption('--key <path>', 'your private key (from `keyhole keys generate`)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { key: string; json?: boolean }, cmd: Command) => {
      const key = loadPrivateKey(o.key);
      const client = ctx.client(cmd);
      const signing = await client.call<GrantSigningBodyJson>('GET', `/v1/grants/${encodeURIComponent(id)}/signing-body`);
      const bytes = Buffer.from(signing.body, 'base64');
      // Show what is being signed, decoded from the very bytes, not from the broker's summary.
      const b = decodeGrantBody(bytes);
      ctx.err(
        `signing grant ${b.grantId}: ${b.requester} on ${b.service}, ${b.scopeGlobs.join(' ')}, ${time(b.notBeforeMs)} .. ${time(b.notAfterMs)}, reason: ${b.reason}\n`,
      );
      const signature = Buffer.from(signGrantBody(key, bytes)).toString('base64');
      const g = await client.call<GrantJson>('POST', `/v1/grants/${encodeURIComponent(id)}/approvals`, { body: signing.body, signature });
      if (o.json) return printJson(ctx, g);
      ctx.out(`${g.state}\n`);
      ctx.err(`approved (${g.approvals.length}/${g.approvalsRequired})\n`);
    });
  for (const verb of ['reject', 'revoke'] as const) {
    grant
      .command(`${verb} <id>`)
      .description(verb === 'reject' ? 'reject a pending grant (approvers)' : 'end a grant now (its requester, approvers, ops)')
      .requiredOption('--reason <text>', 'why')
      .action(async (id: string, o: { reason: string }, cmd: Command) => {
        const g = await ctx.client(cmd).call<GrantJson>('POST', `/v1/grants/${encodeURIComponent(id)}/${verb}`, { reason: o.reason });
        ctx.out(`${g.state}\n`);
      });
  }
}
