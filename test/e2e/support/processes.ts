// Child processes of an end-to-end test: the `keyhole` CLI run as a user
// runs it, and long-lived children (broker, services) that are always
// cleaned up, whatever the test did.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { repoRoot } from '../../support/fixtures';

export const cliMain = join(repoRoot, 'broker', 'dist', 'cli', 'main.js');

/** How long one CLI run may take before the test calls it hung. */
export const CLI_TIMEOUT_MS = 20_000;

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `keyhole <args>` in a child process against `broker`, as `token`. Never rejects on a non-zero exit. */
export function keyhole(args: readonly string[], opts: { broker?: string; token?: string } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '' };
  if (opts.broker) env['KEYHOLE_BROKER'] = opts.broker;
  if (opts.token) env['KEYHOLE_TOKEN'] = opts.token;
  return new Promise((resolve) => {
    execFile(process.execPath, [cliMain, ...args], { env, timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}

/** Like keyhole(), but the run must succeed; returns stdout. */
export async function keyholeOk(args: readonly string[], opts: { broker?: string; token?: string } = {}): Promise<string> {
  const r = await keyhole(args, opts);
  if (r.code !== 0) throw new Error(`keyhole ${args.join(' ')} exited ${r.code}:\n${r.err}${r.out}`);
  return r.out;
}

/** Every long-lived child a test starts, so `stopAll` can end them even after a failure. */
export class Children {
  private readonly children = new Set<ChildProcess>();

  track<T extends ChildProcess>(child: T): T {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => stopChild(c)));
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with its exit code. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const [code] = await exited;
  clearTimeout(timer);
  return code;
}

/** A broker started as a user starts it: `keyhole broker start --db <file> --port 0`, its URL read from stdout. */
export async function startBroker(children: Children, dbPath: string): Promise<{ child: ChildProcess; url: string; agentUrl: string; stderr: () => string }> {
  const child = children.track(spawn(process.execPath, [cliMain, 'broker', 'start', '--db', dbPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`the broker printed no URL within ${CLI_TIMEOUT_MS} ms: ${stderr}`)), CLI_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^(http:\/\/\S+)\n/.exec(buf);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the broker exited (${code}) before printing its URL: ${stderr}`));
    });
  });
  return { child, url, agentUrl: url.replace(/^http/, 'ws') + '/agent', stderr: () => stderr };
}
