import { readFileSync } from 'node:fs';
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
      const id = opts.user ?? (await client.call<{ id: string }>('GET', '/v1/me')).id;
      await client.call('PUT', `/v1/users/${encodeURIComponent(id)}/key`, { publicKeyPem: pem });
      ctx.err(`public key registered for ${id}\n`);
    });
}
