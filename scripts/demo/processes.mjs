// The demo's child processes: the `keyhole` CLI, run exactly as a person
// would run it, and the long-lived children (broker, service, log tail),
// which are all stopped when the demo stops.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;
export const cliMain = join(repoRoot, 'broker', 'dist', 'cli', 'main.js');

/** How long one CLI run may take. */
const CLI_TIMEOUT_MS = 30_000;
/** How long a child gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** `keyhole <args>` as `token`; resolves with stdout, rejects with the CLI's own error text. */
export function keyhole(args, { broker, token } = {}) {
  const env = { ...process.env, KEYHOLE_BROKER: broker ?? '', KEYHOLE_TOKEN: token ?? '' };
  if (!broker) delete env.KEYHOLE_BROKER;
  if (!token) delete env.KEYHOLE_TOKEN;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cliMain, ...args], { env, timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`keyhole ${args[0]} ${args[1] ?? ''} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

export class Children {
  #children = new Map();

  /** Starts a long-lived child; its stdout and stderr are handed to onLine line by line. */
  start(name, args, { env = process.env, onLine = () => {} } = {}) {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.set(name, child);
    child.once('exit', () => this.#children.delete(name));
    for (const [stream, which] of [[child.stdout, 'out'], [child.stderr, 'err']]) {
      let buf = '';
      stream.on('data', (d) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i), which);
          buf = buf.slice(i + 1);
        }
      });
    }
    return child;
  }

  pids() {
    return [...this.#children].map(([name, c]) => `${name} ${c.pid}`);
  }

  /**
   * SIGTERM to every child, the last started first (the service and the
   * log tail before the broker they talk to), SIGKILL to any still there
   * after the grace period.
   */
  async stopAll() {
    for (const child of [...this.#children.values()].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** Resolves with the first line for which pick returns something; rejects after timeoutMs. */
export function lineMatching(subscribe, pick, what, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    subscribe((line) => {
      const v = pick(line);
      if (v !== undefined) {
        clearTimeout(timer);
        resolve(v);
      }
    });
  });
}

/** Calls check until it returns something other than undefined, or fails after timeoutMs. */
export async function waitFor(what, check, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
