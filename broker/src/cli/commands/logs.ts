/**
 * `keyhole log tail`: logpoint lines are pushed, not stored, so this
 * subscribes to the broker's /events endpoint as the developer and prints
 * each line of their grants as it arrives, until Ctrl-C or --count lines.
 */
import { type Command } from 'commander';
import { WebSocket } from 'ws';
import { currentVersion, decodeClientEvent, encodeClientMessage, type FrameData, type pb } from '@keyhole/protocol';
import { type CliContext, DEFAULT_BROKER_URL } from '../context';
import { CliError, ExitCode } from '../exitCodes';

export function formatLogLine(l: pb.LogLine): string {
  const at = new Date(l.loggedAtMs).toISOString().slice(11, 23);
  const where = l.location?.path ? `${l.location.path}:${l.location.line}` : l.probeId;
  return `${at} ${l.service}/${l.instanceId} ${where}  ${l.message}`;
}

function eventsUrl(brokerUrl: string): string {
  return brokerUrl.replace(/\/+$/, '').replace(/^http/, 'ws') + '/events';
}

export function registerLogCommands(program: Command, ctx: CliContext): void {
  program
    .command('log')
    .description('logpoint output of your grants')
    .command('tail')
    .description('print logpoint lines as they arrive (Ctrl-C stops)')
    .option('--service <name>', 'only this service')
    .option('--count <n>', 'exit after this many lines')
    .option('--json', 'one JSON object per line')
    .action((o: { service?: string; count?: string; json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<{ broker?: string; token?: string }>();
      const token = g.token ?? ctx.env.KEYHOLE_TOKEN;
      if (!token) throw new CliError(ExitCode.Unauthenticated, 'KH_UNAUTHENTICATED', 'no token', 'pass --token or set KEYHOLE_TOKEN');
      const count = o.count === undefined ? Infinity : Number(o.count);
      if (!(count > 0)) throw new CliError(ExitCode.Usage, 'KH_USAGE', `--count ${o.count} is not a count`, 'use a positive number');
      const brokerUrl = g.broker ?? ctx.env.KEYHOLE_BROKER ?? DEFAULT_BROKER_URL;
      ctx.hold(
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(eventsUrl(brokerUrl));
          let seen = 0;
          let failure: CliError | undefined;
          const stop = () => ws.close(1000);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          ws.on('open', () => ws.send(encodeClientMessage({ hello: { version: currentVersion(), token, service: o.service ?? '' } })));
          ws.on('message', (data: FrameData) => {
            const d = decodeClientEvent(data);
            if (!d.ok) return;
            const e = d.message;
            if (e.welcome) ctx.err(`listening for log lines of ${o.service ?? 'every service'}\n`);
            if (e.error?.fatal) failure = new CliError(e.error.code === 'KH_UNAUTHENTICATED' ? ExitCode.Unauthenticated : ExitCode.Refused, e.error.code, e.error.message, 'check your token');
            const line = e.logLineArrived?.logLine;
            if (!line) return;
            ctx.out((o.json ? JSON.stringify({ ...line.toJSON(), loggedAtMs: line.loggedAtMs }) : formatLogLine(line)) + '\n');
            if (++seen >= count) stop();
          });
          ws.on('error', (err: Error & { code?: string }) => {
            failure ??= new CliError(ExitCode.Unreachable, 'KH_UNREACHABLE', `cannot reach the broker at ${brokerUrl} (${err.code ?? err.message})`, 'start it with `keyhole broker start`, or pass --broker');
          });
          ws.on('close', () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            if (failure) reject(failure);
            else resolve();
          });
        }),
      );
    });
}
