import { type Command } from 'commander';
import { createBroker } from '../../broker';
import { startHttpServer } from '../../http/server';
import { SqliteStore } from '../../store/sqlite/sqliteStore';
import { type CliContext } from '../context';
import { CliError, ExitCode } from '../exitCodes';

export const DEFAULT_DB_PATH = 'keyhole.db';
export const DEFAULT_PORT = 7070;

export function registerBrokerCommands(program: Command, ctx: CliContext): void {
  program
    .command('broker')
    .description('run the broker')
    .command('start')
    .description('serve the HTTP API until SIGINT/SIGTERM')
    .option('--db <path>', `the SQLite file (created if missing) (default ${DEFAULT_DB_PATH})`)
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--port <port>', 'the port; 0 picks a free one', String(DEFAULT_PORT))
    .option('--max-body-bytes <n>', 'largest request body accepted', String(256 * 1024))
    .action(async (o: { db?: string; host: string; port: string; maxBodyBytes: string }) => {
      const port = Number(o.port);
      const maxBodyBytes = Number(o.maxBodyBytes);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--port ${o.port} is not a port`, 'use 0..65535');
      if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--max-body-bytes ${o.maxBodyBytes} is not a size`, 'use a positive number of bytes');
      const store = SqliteStore.open(o.db ?? ctx.env.KEYHOLE_DB ?? DEFAULT_DB_PATH);
      const running = await startHttpServer(createBroker(store), { host: o.host, port, maxBodyBytes });
      ctx.out(`${running.url}\n`);
      ctx.err(`keyhole broker listening on ${running.url}; first run? \`keyhole init --admin <you> --broker ${running.url}\`\n`);
      ctx.hold(
        new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void running
              .close()
              .then(() => store.close())
              .then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        }),
      );
    });
}
