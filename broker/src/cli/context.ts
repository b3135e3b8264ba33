/**
 * What every command needs: where output goes, the environment, and a
 * client for the broker named by --broker / KEYHOLE_BROKER with the token
 * from --token / KEYHOLE_TOKEN. Passed in, so tests run the CLI in process.
 */
import { type Command } from 'commander';
import { BrokerClient } from './brokerClient';

export const DEFAULT_BROKER_URL = 'http://127.0.0.1:7070';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CliContext extends CliIo {
  client(cmd: Command): BrokerClient;
  /** Keeps the broker process running until this resolves (`broker start`). */
  hold(wait: Promise<void>): void;
}

export function createContext(io: CliIo, held: Promise<void>[]): CliContext {
  return {
    ...io,
    client(cmd) {
      const opts = cmd.optsWithGlobals<{ broker?: string; token?: string }>();
      return new BrokerClient(opts.broker ?? io.env.KEYHOLE_BROKER ?? DEFAULT_BROKER_URL, opts.token ?? io.env.KEYHOLE_TOKEN);
    },
    hold(wait) {
      held.push(wait);
    },
  };
}

/** Left-aligned columns, for people; `--json` gives the data for scripts. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

export function printJson(ctx: CliIo, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2) + '\n');
}
