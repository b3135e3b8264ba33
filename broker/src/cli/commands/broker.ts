import { type Command } from 'commander';
import { createBroker } from '../../broker';
import { startHttpServer } from '../../http/server';
import { loadRunbookFile, RunbookFileError } from '../../runbooks/runbookFile';
import { type Runbook } from '../../runbooks/runbook';
import { SqliteStore } from '../../store/sqlite/sqliteStore';
import { WEB_DEFAULTS } from '../../web/webSettings';
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
    .option('--runbooks <file>', 'runbooks the web page offers (JSON, see docs/approvers.md)')
    .option('--alert-webhook <url>', 'POST a JSON alert here on suspicious activity (see docs/approvers.md)')
    .option('--session-idle-minutes <n>', 'the web page signs out after this long idle', String(WEB_DEFAULTS.sessionIdleMs / 60_000))
    .option('--sign-in-limit <n>', 'web sign-in attempts per IP address per minute', String(WEB_DEFAULTS.signInAttemptsPerWindow))
    .action(async (o: { db?: string; host: string; port: string; maxBodyBytes: string; runbooks?: string; alertWebhook?: string; sessionIdleMinutes: string; signInLimit: string }) => {
      const port = Number(o.port);
      const maxBodyBytes = Number(o.maxBodyBytes);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--port ${o.port} is not a port`, 'use 0..65535');
      if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--max-body-bytes ${o.maxBodyBytes} is not a size`, 'use a positive number of bytes');
      let runbooks: readonly Runbook[] = [];
      if (o.runbooks !== undefined) {
        const loaded = loadRunbookFile(o.runbooks);
        if (!loaded.ok) {
          const code = 'code' in loaded ? loaded.code : RunbookFileError.Invalid;
          throw new CliError(ExitCode.Usage, code, `the runbook file ${o.runbooks} is not valid:\n  ${loaded.problems.join('\n  ')}`, 'fix the fields named above (docs/approvers.md describes the file)');
        }
        runbooks = loaded.runbooks;
      }
      if (o.alertWebhook !== undefined && !/^https?:\/\/\S+$/.test(o.alertWebhook)) {
        throw new CliError(ExitCode.Usage, 'KH_USAGE', `--alert-webhook ${o.alertWebhook} is not an http(s) URL`, 'pass e.g. https://alerts.example.com/keyhole');
      }
      const idleMinutes = Number(o.sessionIdleMinutes);
      const signInLimit = Number(o.signInLimit);
      if (!Number.isInteger(idleMinutes) || idleMinutes < 1) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--session-idle-minutes ${o.sessionIdleMinutes} is not a whole number of minutes`, 'use 1 or more');
      if (!Number.isInteger(signInLimit) || signInLimit < 1) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--sign-in-limit ${o.signInLimit} is not a positive whole number`, 'use 1 or more');
      const store = SqliteStore.open(o.db ?? ctx.env.KEYHOLE_DB ?? DEFAULT_DB_PATH);
      const web = { runbooks, settings: { sessionIdleMs: idleMinutes * 60_000, signInAttemptsPerWindow: signInLimit, signInWindowMs: 60_000 }, ...(o.alertWebhook !== undefined ? { alertWebhookUrl: o.alertWebhook } : {}) };
      const running = await startHttpServer(createBroker(store), { host: o.host, port, maxBodyBytes, web });
      ctx.out(`${running.url}\n`);
      ctx.err(`keyhole broker listening on ${running.url} (approver page: ${running.url}/); first run? \`keyhole init --admin <you> --broker ${running.url}\`\n`);
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
