import { type Command } from 'commander';
import { type CliContext, printJson, table } from '../context';
import { parseDuration } from '../parse';

interface UserJson {
  id: string;
  roles: string[];
  disabled: boolean;
}

export function registerUserCommands(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the first admin on a new broker and print its token (once)')
    .requiredOption('--admin <id>', 'the admin user id')
    .action(async (opts: { admin: string }, cmd: Command) => {
      const r = await ctx.client(cmd).call<{ token: string }>('POST', '/v1/init', { adminId: opts.admin });
      ctx.out(`${r.token}\n`);
      ctx.err(`admin ${opts.admin} created. This token is shown once: store it now (e.g. export KEYHOLE_TOKEN=...).\n`);
    });

  const user = program.command('user').description('people, their roles and tokens (admin)');
  user
    .command('add <id>')
    .description('add a user and print their first token (once)')
    .requiredOption('--role <role...>', 'developer, approver, ops, admin (several allowed)')
    .action(async (id: string, opts: { role: string[] }, cmd: Command) => {
      const r = await ctx.client(cmd).call<{ token: string }>('POST', '/v1/users', { id, roles: opts.role });
      ctx.out(`${r.token}\n`);
      ctx.err(`user ${id} added with roles ${opts.role.join(', ')}. The token is shown once: hand it over securely.\n`);
    });
  user
    .command('list')
    .description('list users')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const users = await ctx.client(cmd).call<UserJson[]>('GET', '/v1/users');
      if (opts.json) return printJson(ctx, users);
      ctx.out(table([['ID', 'ROLES', 'STATE'], ...users.map((u) => [u.id, u.roles.join(','), u.disabled ? 'disabled' : 'enabled'])]));
    });
  user
    .command('disable <id>')
    .description('disable a user: their tokens stop working at once')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await ctx.client(cmd).call('POST', `/v1/users/${encodeURIComponent(id)}/disable`, {});
      ctx.err(`user ${id} disabled\n`);
    });
  user
    .command('roles <id>')
    .description("replace a user's roles")
    .requiredOption('--role <role...>', 'the new roles')
    .action(async (id: string, opts: { role: string[] }, cmd: Command) => {
      await ctx.client(cmd).call('PUT', `/v1/users/${encodeURIComponent(id)}/roles`, { roles: opts.role });
      ctx.err(`user ${id} now has roles ${opts.role.join(', ')}\n`);
    });
  user
    .command('token <id>')
    .description('issue another token for a user and print it (once)')
    .option('--ttl <duration>', 'expire after this long, e.g. 8h (default: until revoked)')
    .action(async (id: string, opts: { ttl?: string }, cmd: Command) => {
      const body = opts.ttl ? { ttlMs: parseDuration(opts.ttl) } : {};
      const r = await ctx.client(cmd).call<{ token: string; tokenId: string }>('POST', `/v1/users/${encodeURIComponent(id)}/tokens`, body);
      ctx.out(`${r.token}\n`);
      ctx.err(`token ${r.tokenId} issued; revoke it with \`keyhole user revoke-token ${r.tokenId}\`\n`);
    });
  user
    .command('revoke-token <tokenId>')
    .description('revoke a token by its public id (kh_...): yours, or anyone\'s as admin')
    .action(async (tokenId: string, _opts: unknown, cmd: Command) => {
      await ctx.client(cmd).call('POST', `/v1/tokens/${encodeURIComponent(tokenId)}/revoke`, {});
      ctx.err(`token ${tokenId} revoked\n`);
    });
}
