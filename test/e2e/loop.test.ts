// The whole loop, with nothing stubbed: a real broker started by the CLI on a
// real SQLite file, the CLI run as each person would run it, and a real
// service with the agent loaded. Grants are requested, signed with a key file
// and verified by the agent against the trust file the CLI built; snapshots
// and log lines come back masked; the audit chain verifies, and stops
// verifying after one byte of the database is changed behind its back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Service } from '../support/service';
import { agentFixtures, lineOf, repoRoot } from '../support/fixtures';
import { Children, cliMain, keyhole, keyholeOk, startBroker, stopChild } from './support/processes';
import { settlesWithin, waitFor } from './support/waitFor';

/** Exit code of `audit verify` on a broken chain (broker/README.md, "Exit codes"). */
const EXIT_AUDIT_INVALID = 7;
/** Exit code of a request the broker refused. */
const EXIT_REFUSED = 3;

const START_AGENT = join(agentFixtures, 'start-agent.js');
/** Capture time budget of the agent under test (the default is 5 ms). */
const CAPTURE_BUDGET_MS = 250;
/**
 * The agent's budget for time spent on probes, per second (the default is
 * 10 ms). placeOrder runs the snapshot line and then the logpoint's line:
 * on a loaded machine that one pause can spend the default budget, and the
 * logpoint's pass a line later is then declined, as the budget says it must.
 */
const BLOCKED_MS_PER_SECOND = 1000;
const FIXTURE = join(repoRoot, 'test', 'e2e', 'fixtures', 'orders-service.js');
const FIXTURE_PATH = 'test/e2e/fixtures/orders-service.js';
/** Every personal value the fixture holds; none may appear in anything the CLI prints. */
const PLANTED = ['margaret.hamilton@example.com', '4111 1111 1111 1111', '+44 20 7946 0958', 'eyJhbGciOiJIUzI1NiJ9.e2UyZX0.c2lnbmF0dXJl'];

const dir = mkdtempSync(join(tmpdir(), 'keyhole-e2e-'));
const dbPath = join(dir, 'keyhole.db');
const children = new Children();
let broker: Awaited<ReturnType<typeof startBroker>>;
let svc: Service | undefined;
const tokens: Record<string, string> = {};
/** Everything the CLI printed to the developer, checked for planted values at the end. */
const developerOutput: string[] = [];

const as = (user: string) => ({ broker: broker.url, token: tokens[user] });
const json = <T>(text: string): T => JSON.parse(text) as T;

interface ProbeJson {
  id: string;
  installed: number;
  instances: { instanceId: string; state: string; code: string }[];
}

async function requestAndApprove(kinds: string[]): Promise<string> {
  const id = (await keyholeOk(['grant', 'request', '--service', 'orders', '--glob', 'test/e2e/fixtures/**', '--kind', ...kinds, '--reason', 'orders fail for one customer', '--ticket', 'OPS-7'], as('dev'))).trim();
  const approved = await keyholeOk(['grant', 'approve', id, '--key', join(dir, 'ann.key')], as('ann'));
  assert.equal(approved.trim(), 'active');
  return id;
}

async function probeStatus(probeId: string): Promise<ProbeJson | undefined> {
  const out = await keyholeOk(['probe', 'list', '--json'], as('dev'));
  return json<ProbeJson[]>(out).find((p) => p.id === probeId);
}

async function setProbeAndWaitInstalled(args: string[]): Promise<string> {
  const id = (await keyholeOk(['probe', 'set', ...args], as('dev'))).trim();
  assert.match(id, /^p_/);
  await waitFor(`probe ${id} INSTALLED on the agent`, async () => ((await probeStatus(id))?.installed === 1 ? true : undefined));
  return id;
}

before(async () => {
  broker = await startBroker(children, dbPath);
  tokens['root'] = (await keyholeOk(['init', '--admin', 'root'], { broker: broker.url })).trim();
  for (const [user, roles] of [['dev', ['developer']], ['ann', ['approver']], ['ops1', ['ops']], ['dana', ['developer', 'approver']]] as const) {
    tokens[user] = (await keyholeOk(['user', 'add', user, '--role', ...roles], as('root'))).trim();
  }
  for (const approver of ['ann', 'dana']) {
    const key = join(dir, `${approver}.key`);
    await keyholeOk(['keys', 'generate', '--out', key]);
    await keyholeOk(['keys', 'register', '--pub', `${key}.pub`], as(approver));
  }
  const agentToken = (await keyholeOk(['service', 'add', 'orders', '--approvals', '1', '--max-window', '1h'], as('ops1'))).trim();
  const trustFile = join(dir, 'orders.trust.json');
  await keyholeOk(['trust', 'build', 'orders', '--out', trustFile], as('ops1'));
  const trust = json<{ approvalsRequired: number; approvers: { id: string }[] }>(readFileSync(trustFile, 'utf8'));
  assert.equal(trust.approvalsRequired, 1);
  assert.deepEqual(trust.approvers.map((a) => a.id).sort(), ['ann', 'dana']);

  svc = await Service.start(FIXTURE, {
    // The agent's own start(), with the KEYHOLE_* environment as register.js reads it, plus
    // budgets for a loaded test machine: the default 5 ms can cut a cold first capture.
    registerPath: START_AGENT,
    env: {
      KEYHOLE_TEST_START_OPTIONS: JSON.stringify({ capture: { timeBudgetMs: CAPTURE_BUDGET_MS }, rate: { blockedMsPerSecond: BLOCKED_MS_PER_SECOND } }),
      KEYHOLE_BROKER: broker.agentUrl,
      KEYHOLE_SERVICE: 'orders',
      KEYHOLE_TRUST_FILE: trustFile,
      KEYHOLE_AGENT_TOKEN: agentToken,
      KEYHOLE_LABELS: 'region=eu',
      KEYHOLE_INSTANCE_ID: 'orders-1',
    },
  });
  children.track(svc.child);
  await waitFor('the agent to connect', async () => {
    const agents = json<{ instanceId: string }[]>(await keyholeOk(['agent', 'list', '--json', '--service', 'orders'], as('ops1')));
    return agents.some((a) => a.instanceId === 'orders-1') ? true : undefined;
  });
});

after(async () => {
  await children.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

test('an approver cannot approve a grant they requested', async () => {
  const id = (await keyholeOk(['grant', 'request', '--service', 'orders', '--glob', 'test/e2e/fixtures/**', '--reason', 'my own'], as('dana'))).trim();
  const self = await keyhole(['grant', 'approve', id, '--key', join(dir, 'dana.key')], as('dana'));
  assert.equal(self.code, EXIT_REFUSED, self.err);
  assert.match(self.err, /KH_SELF_APPROVAL/);
  assert.equal(json<{ state: string }>(await keyholeOk(['grant', 'show', id, '--json'], as('dana'))).state, 'pending');
  await keyholeOk(['grant', 'revoke', id, '--reason', 'withdrawn'], as('dana'));
});

let grantId = '';
let snapshotProbe = '';

test('a snapshot probe set from the CLI captures the line, masked, and the developer reads it with the CLI', async () => {
  grantId = await requestAndApprove(['SNAPSHOT', 'LOGPOINT']);
  snapshotProbe = await setProbeAndWaitInstalled([`${FIXTURE_PATH}:${lineOf(FIXTURE, 'place')}`, '--grant', grantId]);

  const result = await svc!.call<{ ok: boolean; id: string }>('placeOrder', 'o-1', 2);
  assert.deepEqual({ ok: result.ok, id: result.id }, { ok: true, id: 'o-1' }, 'the service ran on');

  const listed = await waitFor('the snapshot to reach the broker', async () => {
    const out = await keyholeOk(['snapshot', 'list', '--json', '--probe', snapshotProbe], as('dev'));
    const list = json<{ id: string }[]>(out);
    developerOutput.push(out);
    return list.length > 0 ? list : undefined;
  });
  const snapshotId = listed[0]!.id;

  const shownJson = await keyholeOk(['snapshot', 'show', snapshotId, '--json'], as('dev'));
  developerOutput.push(shownJson);
  const shown = json<{ probeId: string; snapshot: { maskedKinds: string[]; frames: { functionName: string }[] } }>(shownJson);
  assert.equal(shown.probeId, snapshotProbe);
  assert.equal(shown.snapshot.frames[0]?.functionName, 'placeOrder');
  for (const kind of ['email', 'card', 'phone', 'authorization']) assert.ok(shown.snapshot.maskedKinds.includes(kind), `${kind} masked: ${shown.snapshot.maskedKinds.join(', ')}`);
  // The protobuf bytes travel too (base64): the planted values must not hide in them either.
  developerOutput.push(Buffer.from((json<{ protobuf: string }>(shownJson)).protobuf, 'base64').toString('latin1'));

  const tree = await keyholeOk(['snapshot', 'show', snapshotId], as('dev'));
  developerOutput.push(tree);
  assert.match(tree, /#0 placeOrder {2}.*orders-service\.js:\d+/);
  assert.match(tree, /email = \[MASKED:email\]/);
  assert.match(tree, /card = \[MASKED:card\]/);
  assert.match(tree, /name = "Margaret Hamilton"/, 'a name is not personal data the agent can recognise by value; it shows');
});

test('a snapshot probe set with --frames-with-locals 1 reaches the agent: its snapshots keep the variables of its own frame only', async () => {
  const own = await setProbeAndWaitInstalled([`${FIXTURE_PATH}:${lineOf(FIXTURE, 'place')}`, '--grant', grantId, '--frames-with-locals', '1']);
  await svc!.call('placeOrder', 'o-9', 1);
  const listed = await waitFor('the snapshot of the one-frame probe', async () => {
    const list = json<{ id: string }[]>(await keyholeOk(['snapshot', 'list', '--json', '--probe', own], as('dev')));
    return list.length > 0 ? list : undefined;
  });
  const shown = json<{ snapshot: { frames: { functionName: string; localsCaptured?: boolean; scopes?: unknown[] }[] } }>(await keyholeOk(['snapshot', 'show', listed[0]!.id, '--json'], as('dev')));
  const frames = shown.snapshot.frames;
  assert.equal(frames[0]?.functionName, 'placeOrder');
  assert.equal(frames[0]?.localsCaptured, true);
  assert.ok(frames.length >= 2, 'the callers are still in the stack');
  assert.ok(frames.slice(1).every((f) => !f.localsCaptured && !(f.scopes ?? []).length), 'no caller carries variables');
  await keyholeOk(['probe', 'remove', own], as('dev'));
});

test('a logpoint set from the CLI streams its masked line to `keyhole log tail`', async () => {
  const tail = children.track(spawn(process.execPath, [cliMain, 'log', 'tail', '--service', 'orders', '--json', '--count', '1'], {
    env: { PATH: process.env['PATH'] ?? '', KEYHOLE_BROKER: broker.url, KEYHOLE_TOKEN: tokens['dev'] },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let out = '';
  let err = '';
  tail.stdout.on('data', (d: Buffer) => (out += d.toString()));
  tail.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(tail, 'exit') as Promise<[number | null]>;
  await waitFor('log tail to subscribe', async () => (/listening for log lines/.test(err) ? true : undefined));

  const template = 'order {order.id} for {order.customer.email} x{quantity}';
  const probe = await setProbeAndWaitInstalled([`${FIXTURE_PATH}:${lineOf(FIXTURE, 'log')}`, '--grant', grantId, '--log', template]);
  await svc!.call('placeOrder', 'o-2', 3);
  const [code] = await settlesWithin('`keyhole log tail` to print the line and exit', exited, async () => `it printed ${JSON.stringify(out)}, ${JSON.stringify(err)}; the probes: ${await keyholeOk(['probe', 'list', '--json'], as('dev'))}`);
  assert.equal(code, 0, err);
  developerOutput.push(out);
  const line = json<{ probeId: string; message: string; maskedKinds: string[] }>(out.trim());
  assert.equal(line.probeId, probe);
  assert.equal(line.message, 'order o-2 for [MASKED:email] x3');
  assert.deepEqual(line.maskedKinds, ['email']);
});

test('revoking the grant removes its probes from the agent', async () => {
  const snapshots = async () => json<unknown[]>(await keyholeOk(['snapshot', 'list', '--json', '--probe', snapshotProbe], as('dev'))).length;
  // placeOrder ran three times while the snapshot probe was set ('o-1', 'o-9' for the one-frame
  // probe, 'o-2' for the logpoint): let those captures land first.
  const before = await waitFor('the three snapshots so far', async () => ((await snapshots()) === 3 ? 3 : undefined));
  assert.equal((await keyholeOk(['grant', 'revoke', grantId, '--reason', 'found it'], as('dev'))).trim(), 'revoked');
  const after = await waitFor('the agent to drop the probe', async () => {
    const p = await probeStatus(snapshotProbe);
    return p && p.installed === 0 ? p : undefined;
  });
  assert.equal(after.instances[0]?.code, 'KH_GRANT_REVOKED');
  const human = await keyholeOk(['probe', 'list', '--grant', grantId], as('dev'));
  assert.doesNotMatch(human, /INSTALLED/);
  // Under the table, what the agent said: why the probe went away.
  assert.match(human, new RegExp(`${snapshotProbe} on \\S+: [A-Z_]+: .*\\(KH_GRANT_REVOKED\\)`));
  // The line runs again; nothing is captured any more.
  await svc!.call('placeOrder', 'o-3', 1);
  assert.equal(await snapshots(), before);
});

test('nothing the developer saw holds a planted value', () => {
  const all = developerOutput.join('\n');
  assert.ok(all.length > 0);
  for (const raw of PLANTED) assert.ok(!all.includes(raw), `${raw} leaked`);
});

test('the audit chain verifies and records every step; one changed byte in the file breaks it at that row', async () => {
  const verified = await keyhole(['audit', 'verify'], as('ops1'));
  assert.equal(verified.code, 0, verified.err);
  assert.match(verified.out, /^ok: \d+ rows/);
  const rows = json<{ seq: number; action: string; subject: string }[]>(await keyholeOk(['audit', 'list', '--limit', '1000', '--json'], as('ops1')));
  const actions = new Set(rows.map((r) => r.action));
  for (const a of ['grant.request', 'grant.approve', 'grant.body.refused', 'probe.set', 'snapshot.captured', 'snapshot.view', 'grant.revoke']) {
    assert.ok(actions.has(a), `audit has ${a}: ${[...actions].join(', ')}`);
  }

  assert.equal(await stopChild(broker.child), 0, 'the broker stops cleanly on SIGTERM');
  const db = new Database(dbPath);
  let middle: { seq: number };
  try {
    // From the middle of the log on, the first row with a string value in its details JSON.
    const candidates = db.prepare('SELECT seq, details FROM audit WHERE seq >= ? ORDER BY seq').all(Math.ceil(rows.length / 2)) as { seq: number; details: string }[];
    const row = candidates.find((r) => /":"[a-z]/.test(r.details));
    assert.ok(row, 'a middle row with a string value');
    assert.ok(row.seq < rows.length, 'not the last row');
    middle = row;
    const details = row.details;
    // One letter of that value, so the row still parses and only its hash can tell.
    const at = details.search(/":"[a-z]/) + 3;
    const changed = details.slice(0, at) + details.charAt(at).toUpperCase() + details.slice(at + 1);
    assert.equal(Buffer.byteLength(changed), Buffer.byteLength(details));
    db.prepare('UPDATE audit SET details = ? WHERE seq = ?').run(changed, middle.seq);
  } finally {
    db.close();
  }
  const broken = await keyhole(['audit', 'verify', '--db', dbPath, '--json']);
  assert.equal(broken.code, EXIT_AUDIT_INVALID, broken.err);
  assert.equal(json<{ ok: boolean; fault: { seq: number } }>(broken.out).fault.seq, middle.seq);
  assert.match(broken.err, new RegExp(`row ${middle.seq}\\b`));
});
