// A real Node.js child process running a fixture service, optionally with the
// agent loaded through --require, driven over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Tests assert what is captured, never how fast: a capture cut short by the
 * 5 ms default time budget on a loaded CI machine would make exact-value
 * assertions depend on the clock. Fixtures get a generous budget unless a
 * test sets KEYHOLE_SETTINGS itself (the limits tests do).
 */
export const TEST_AGENT_SETTINGS = JSON.stringify({ capture: { timeBudgetMs: 2000 } });

export interface ServiceOptions {
  readonly env?: Record<string, string>;
  readonly withAgent?: boolean;
  readonly execArgv?: string[];
  readonly registerPath: string;
}

export class Service {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  stderr = '';
  stdout = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private stderrWaiters: { pattern: RegExp; resolve: () => void }[] = [];

  private constructor(readonly child: ChildProcess) {
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      this.stderrWaiters = this.stderrWaiters.filter((w) => {
        if (!w.pattern.test(this.stderr)) return true;
        w.resolve();
        return false;
      });
    });
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      if (typeof m?.id !== 'number') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  static async start(script: string, o: ServiceOptions): Promise<Service> {
    const child = fork(script, [], {
      execArgv: [...(o.withAgent === false ? [] : ['--require', o.registerPath]), ...(o.execArgv ?? [])],
      env: { PATH: process.env['PATH'] ?? '', KEYHOLE_SETTINGS: TEST_AGENT_SETTINGS, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const s = new Service(child);
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean }) => m?.ready && resolve());
      child.once('exit', (code) => reject(new Error(`service exited (${code}) before it was ready: ${s.stderr}`)));
    });
    await ready;
    return s;
  }

  call<T = unknown>(fn: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, fn, args });
    });
  }

  /** Resolves once the child's stderr (so far or to come) matches the pattern. */
  waitForStderr(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    if (pattern.test(this.stderr)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for stderr ${String(pattern)}; stderr so far:\n${this.stderr}`)), timeoutMs);
      this.stderrWaiters.push({
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
