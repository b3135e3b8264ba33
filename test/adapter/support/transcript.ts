// Golden DAP transcripts, after vscode-js-debug's goldenText: the test logs
// the requests it sends, the answers and the events it waited for; volatile
// parts (ids, times, ports, temp paths, hashes) are replaced by stable
// names; the result must equal test/adapter/golden/<name>.txt. On a
// difference the test fails and writes <name>.actual.txt beside it;
// KEYHOLE_UPDATE_GOLDEN=1 rewrites the golden deliberately. Events of the
// categories in UNASSERTED_FAILS that nobody waited for fail the test.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DebugClient } from '@vscode/debugadapter-testsupport';
import { type DebugProtocol } from '@vscode/debugprotocol';
import { repoRoot } from '../../support/fixtures';
import { StableNames } from './stableNames';

export const goldenDir = join(repoRoot, 'test', 'adapter', 'golden');
const EVENT_NAMES = ['breakpoint', 'output', 'stopped', 'thread', 'initialized', 'terminated'] as const;
/** How long a test waits for one event before it fails. */
export const EVENT_TIMEOUT_MS = 20_000;

type AnyEvent = DebugProtocol.Event & { body?: Record<string, unknown> };

export class Transcript {
  private readonly lines: string[] = [];
  private readonly seen: AnyEvent[] = [];
  private readonly consumed = new Set<AnyEvent>();
  private readonly waiters: { name: string; pred: (e: AnyEvent) => boolean; resolve: (e: AnyEvent) => void }[] = [];
  private readonly stableNames: StableNames;

  constructor(
    readonly dc: DebugClient,
    /** Literal strings to replace first, e.g. [tempDir, '<tmp>']. */
    private readonly literals: readonly (readonly [string, string])[],
  ) {
    this.stableNames = new StableNames(literals);
    for (const name of EVENT_NAMES) {
      dc.on(name, (e: AnyEvent) => {
        this.seen.push(e);
        const i = this.waiters.findIndex((w) => w.name === name && w.pred(e) && !this.consumed.has(e));
        if (i >= 0) {
          const [w] = this.waiters.splice(i, 1);
          this.consumed.add(e);
          w!.resolve(e);
        }
      });
    }
  }

  log(text: string): void {
    this.lines.push(this.normalise(text));
  }

  /** Sends a request and logs it with its answer (or its error). */
  async request<T extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: object): Promise<T> {
    this.log(`> ${command} ${JSON.stringify(args ?? {}, null, 2)}`);
    try {
      const r = (await this.dc.send(command, args)) as T;
      this.log(`< ${command} ${JSON.stringify(r.body ?? {}, null, 2)}`);
      return r;
    } catch (err) {
      this.log(`< ${command} error: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Sends a request that must fail, logging the error text. */
  async requestError(command: string, args?: object): Promise<string> {
    return this.request(command, args).then(
      () => assert.fail(`${command} should have failed`),
      (err: Error) => err.message,
    );
  }

  /** Waits for an event (already received or still to come) matching pred, and logs it. */
  async event(name: (typeof EVENT_NAMES)[number], pred: (e: AnyEvent) => boolean = () => true, what = name): Promise<AnyEvent> {
    const early = this.seen.find((e) => e.event === name && !this.consumed.has(e) && pred(e));
    const e =
      early ??
      (await new Promise<AnyEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} event within ${EVENT_TIMEOUT_MS} ms; seen:\n${this.seen.map((x) => JSON.stringify(x)).join('\n')}`)), EVENT_TIMEOUT_MS);
        this.waiters.push({ name, pred, resolve: (ev) => (clearTimeout(timer), resolve(ev)) });
      }));
    this.consumed.add(e);
    this.log(`< event ${name} ${JSON.stringify(e.body ?? {}, null, 2)}`);
    return e;
  }

  /** Important output nobody waited for is a failure: the adapter reported a problem the test did not expect. */
  unassertedProblems(): string[] {
    return this.seen.filter((e) => e.event === 'output' && !this.consumed.has(e) && e.body?.['category'] === 'important').map((e) => String(e.body?.['output']));
  }

  /** Replaces volatile values by stable, numbered names. */
  normalise(text: string): string {
    return this.stableNames.normalise(text);
  }

  /** Compares with the golden file (or writes it under KEYHOLE_UPDATE_GOLDEN=1). */
  assertGolden(name: string): void {
    const text = this.lines.join('\n') + '\n';
    const golden = join(goldenDir, `${name}.txt`);
    const actual = join(goldenDir, `${name}.actual.txt`);
    mkdirSync(goldenDir, { recursive: true });
    if (process.env['KEYHOLE_UPDATE_GOLDEN'] === '1' || !existsSync(golden)) {
      if (process.env['KEYHOLE_UPDATE_GOLDEN'] !== '1') {
        writeFileSync(actual, text);
        assert.fail(`no golden ${golden} yet: review ${actual}, then run with KEYHOLE_UPDATE_GOLDEN=1`);
      }
      writeFileSync(golden, text);
      rmSync(actual, { force: true });
      return;
    }
    const expected = readFileSync(golden, 'utf8');
    if (expected !== text) {
      writeFileSync(actual, text);
      assert.equal(text, expected, `transcript ${name} differs from its golden; see ${actual} (KEYHOLE_UPDATE_GOLDEN=1 to accept)`);
    }
    rmSync(actual, { force: true });
  }
}
