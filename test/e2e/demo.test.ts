// `npm start`'s demo, run as a child process in a temp data folder: it must
// print a masked snapshot and a masked log line, never a planted personal
// value, and Ctrl-C must leave none of the processes it started behind. A
// second run reuses the folder and, with --exit-after-capture, ends by itself.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures';
import { Children } from './support/processes';
import { waitFor } from './support/waitFor';

const DEMO = join(repoRoot, 'scripts', 'demo.mjs');
/** The demo's start-up runs some twenty CLI commands; on a loaded machine that takes a while. */
const DEMO_TIMEOUT_MS = 90_000;

interface Customer {
  fullName: string;
  email: string;
  phone: string;
  card: string;
  address: { street: string };
}

/** Every personal value the demo plants in its service and its traffic. */
function plantedValues(): string[] {
  const customers = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'demo', 'customers.json'), 'utf8')) as Customer[];
  const bearer = /export const BEARER = '([^']+)'/.exec(readFileSync(join(repoRoot, 'scripts', 'demo', 'load.mjs'), 'utf8'))?.[1];
  assert.ok(bearer, 'the demo traffic carries a bearer token');
  return [...customers.flatMap((c) => [c.fullName, c.email, c.phone, c.card, c.card.replace(/ /g, ''), c.address.street]), bearer, bearer.replace(/^Bearer /, '')];
}

const dir = mkdtempSync(join(tmpdir(), 'keyhole-demo-'));
const children = new Children();

after(async () => {
  await children.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function runDemo(extra: string[]): { child: ChildProcess; output: () => string } {
  const child = children.track(spawn(process.execPath, [DEMO, '--data', dir, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function assertMaskedAndClean(output: string): void {
  assert.match(output, /email = \[MASKED:email\]/);
  assert.match(output, /card = \[MASKED:card\]/);
  assert.match(output, /phone = \[MASKED:phone\]/);
  assert.match(output, /authorization = \[MASKED:authorization\]/);
  assert.match(output, /log │ .*order o-\d+ for \[MASKED:email\]/);
  for (const raw of plantedValues()) assert.ok(!output.includes(raw), `${raw} appears in the demo's output`);
}

test('the demo prints a masked snapshot and log line, then Ctrl-C stops every process it started', { timeout: DEMO_TIMEOUT_MS + 30_000 }, async () => {
  const demo = runDemo([]);
  await waitFor('the demo to be ready', async () => (/^Running\. Ctrl-C/m.test(demo.output()) ? true : undefined), DEMO_TIMEOUT_MS);
  const output = demo.output();
  assert.match(output, /data {6}.* \(new\)/);
  assert.match(output, /"type": "keyhole", "request": "attach", "name": "Keyhole: orders", "broker": "http:\/\/127\.0\.0\.1:\d+", "service": "orders"/);
  assert.match(output, /developer token \(dev\): kh_\S+/);
  assertMaskedAndClean(output);

  const pidsLine = /^ {2}pids: +(.*)$/m.exec(output)?.[1] ?? '';
  const pids = [...pidsLine.matchAll(/(\S+) (\d+)/g)].map((m) => ({ name: m[1]!, pid: Number(m[2]) }));
  assert.deepEqual(pids.map((p) => p.name), ['broker', 'orders', 'log-tail', 'demo']);
  assert.equal(pids.find((p) => p.name === 'demo')?.pid, demo.child.pid);

  const exited = once(demo.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  demo.child.kill('SIGINT');
  const [code] = await exited;
  assert.equal(code, 0, demo.output());
  assert.match(demo.output(), /stopped: broker, orders, log-tail/);
  for (const { name, pid } of pids) assert.equal(alive(pid), false, `${name} (pid ${pid}) is gone`);
});

test('a second run reuses the data folder and --exit-after-capture ends it by itself', { timeout: DEMO_TIMEOUT_MS + 30_000 }, async () => {
  const demo = runDemo(['--exit-after-capture']);
  const [code] = (await once(demo.child, 'exit')) as [number | null];
  const output = demo.output();
  assert.equal(code, 0, output);
  assert.match(output, /data {6}.* \(reused; --fresh starts over\)/);
  assertMaskedAndClean(output);
  const pids = [...(/^ {2}pids: +(.*)$/m.exec(output)?.[1] ?? '').matchAll(/(\S+) (\d+)/g)].map((m) => Number(m[2]));
  assert.equal(pids.length, 4);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
});
