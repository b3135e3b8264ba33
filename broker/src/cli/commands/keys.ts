import { readFileSync } from 'node:fs';
import { type ApproverKeyRequestJson, type MeJson } from '@keyhole/protocol';
import { type Command } from 'commander';
import { generateKeyPairFiles } from '../../keys/keyFiles';
import { type CliContext } from '../context';
import { CliError, ExitCode } from '../exitCodes';

export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description("approvers' Ed25519 signing keys");
  keys
    .command('generate')
    .description('write a new Ed25519 pair: <out> (private, mode 0600) and <out>.pub')
    .requiredOption('--out <path>', 'where to write the private key')
    .action((opts: { out: string }) => {
      const pair = generateKeyPairFiles(opts.out);
      ctx.out(`${pair.publicKeyPath}\n`);
      ctx.err(`private key: ${pair.privateKeyPath} (mode 0600, keep it to yourself)\npublic key: ${pair.publicKeyPath} (register it with \`keyhole keys register --pub ${pair.publicKeyPath}\`)\n`);
    });
  keys
    .command('register')
    .description('register your public key with the broker (approvers)')
    .requiredOption('--pub <path>', 'the .pub file written by `keys generate`')
    .option('--user <id>', 'register for another user (admin)')
    .action(async (opts: { pub: string; user?: string }, cmd: Command) => {
      let pem: string;
      try {
        pem = readFileSync(opts.pub, 'utf8');
      } catch {
        throw new CliError(ExitCode.Usage, 'KH_USAGE', `cannot read ${opts.pub}`, 'pass the .pub file written by `keyhole keys generate`');
      }
      const client = ctx.client(cmd);
      const id = opts.user ?? userId(await client.call<MeJson>('GET', '/v1/me'));
      await client.call('PUT', `/v1/users/${encodeURIComponent(id)}/key`, { publicKeyPem: pem } satisfies ApproverKeyRequestJson);
      ctx.err(`public key registered for ${id}\n`);
    });
}

/** The person a token belongs to; an agent's token has none. */
function userId(me: MeJson): string {
  if (me.kind === 'agent') throw new CliError(ExitCode.Usage, 'KH_NOT_A_USER_TOKEN', `the token belongs to the agent of service ${me.service}, not to a person`, 'use your own token, or name the user with --user (admin)');
  return me.id;
}
