/**
 * The `keyhole` command line. `runCli` never throws and never exits: it
 * returns the exit code (see exitCodes.ts), so tests run it in process.
 */
import { Command, CommanderError } from 'commander';
import { isBrokerError } from '../errors';
import { registerAuditCommands } from './commands/audit';
import { registerBrokerCommands } from './commands/broker';
import { registerCaptureCommands } from './commands/capture';
import { registerGrantCommands } from './commands/grants';
import { registerKeyCommands } from './commands/keys';
import { registerLogCommands } from './commands/logs';
import { registerProbeCommands } from './commands/probes';
import { registerServiceCommands } from './commands/services';
import { registerSnapshotCommands } from './commands/snapshots';
import { registerUserCommands } from './commands/users';
import { type CliIo, createContext, DEFAULT_BROKER_URL } from './context';
import { CliError, ExitCode } from './exitCodes';

export function buildProgram(io: CliIo, held: Promise<void>[]): Command {
  const ctx = createContext(io, held);
  const program = new Command('keyhole')
    .description('Keyhole broker and CLI: grants, approvals, services, users, audit')
    .option('--broker <url>', `the broker's URL (env KEYHOLE_BROKER, default ${DEFAULT_BROKER_URL})`)
    .option('--token <token>', 'your API token (env KEYHOLE_TOKEN)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');
  registerBrokerCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerKeyCommands(program, ctx);
  registerServiceCommands(program, ctx);
  registerGrantCommands(program, ctx);
  registerProbeCommands(program, ctx);
  registerSnapshotCommands(program, ctx);
  registerLogCommands(program, ctx);
  registerCaptureCommands(program, ctx);
  registerAuditCommands(program, ctx);
  // Every sub-command reports usage errors the same way.
  const configure = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the CLI on `args` (without node and script); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const held: Promise<void>[] = [];
  try {
    await buildProgram(io, held).parseAsync([...args], { from: 'user' });
    await Promise.all(held);
    return ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (err instanceof CliError) {
      io.err(`error ${err.code}: ${err.message}\n${err.hint ? `next: ${err.hint}\n` : ''}`);
      return err.exitCode;
    }
    if (isBrokerError(err)) {
      io.err(`error ${err.code}: ${err.message}\nnext: ${err.hint}\n`);
      return err.code === 'KH_NOT_FOUND' ? ExitCode.NotFound : ExitCode.Refused;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Internal;
  }
}
