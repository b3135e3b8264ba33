import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createBroker } from '../broker';
import { startHttpServer } from '../http/server';
import { openTempStore } from '../testing/tempStore';
import { ExitCode } from './exitCodes';
import { runCli } from './program';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function withCli(body: (cli: (args: string[], token?: string) => Promise<Run>, dir: string, dbPath: string) => Promise<void>): Promise<void> {
  const t = openTempStore();
  const srv = await startHttpServer(createBroker(t.store));
  const cli = async (args: string[], token?: string): Promise<Run> => {
    let out = '';
    let err = '';
    const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s), env: { KEYHOLE_BROKER: srv.url, ...(token ? { KEYHOLE_TOKEN: token } : {}) } });
    return { code, out, err };
  };
  try {
    await body(cli, t.dir, t.path);
  } finally {
    await srv.close();
    await t.dispose();
  }
}

test('the CLI runs the whole flow: init, users, keys, service, trust, request, approve with a key file, list --json, audit', async () => {
  await withCli(async (cli, dir, dbPath) => {
    const root = (await cli(['init', '--admin', 'root'])).out.trim();
    assert.match(root, /^kh_/);
    const token = async (id: string, role: string) => {
      const r = await cli(['user', 'add', id, '--role', role], root);
      assert.equal(r.code, 0, r.err);
      return r.out.trim();
    };
    const dev = await token('dev', 'developer');
    const ops = await token('ops1', 'ops');
    const approvers: Record<string, string> = { ann: await token('ann', 'approver'), bob: await token('bob', 'approver') };
    for (const [id, tok] of Object.entries(approvers)) {
      const key = join(dir, `${id}.key`);
      assert.equal((await cli(['keys', 'generate', '--out', key])).code, 0);
      assert.equal(statSync(key).mode & 0o777, 0o600);
      assert.equal((await cli(['keys', 'register', '--pub', `${key}.pub`], tok)).code, 0);
    }
    assert.equal((await cli(['service', 'add', 'orders', '--approvals', '2', '--max-window', '1h'], ops)).code, 0);

    const trustPath = join(dir, 'trust.json');
    assert.equal((await cli(['trust', 'build', 'orders', '--out', trustPath], ops)).code, 0);
    const trust = JSON.parse(readFileSync(trustPath, 'utf8')) as { version: number; approvers: { id: string }[] };
    assert.equal(trust.version, 1);
    assert.deepEqual(trust.approvers.map((a) => a.id), ['ann', 'bob']);

    const req = await cli(['grant', 'request', '--service', 'orders', '--glob', 'src/orders/**', '--reason', 'carts fail', '--kind', 'snapshot', 'logpoint', '--label', 'region=eu-1'], dev);
    assert.equal(req.code, 0, req.err);
    const id = req.out.trim();

    const first = await cli(['grant', 'approve', id, '--key', join(dir, 'ann.key')], approvers.ann);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out.trim(), 'pending');
    assert.match(first.err, /signing grant .*dev on orders/);
    const again = await cli(['grant', 'approve', id, '--key', join(dir, 'ann.key')], approvers.ann);
    assert.equal(again.code, ExitCode.Refused);
    assert.match(again.err, /KH_APPROVAL_REPLAYED/);
    assert.match(again.err, /next: /);
    const second = await cli(['grant', 'approve', id, '--key', join(dir, 'bob.key')], approvers.bob);
    assert.equal(second.out.trim(), 'active');

    const list = JSON.parse((await cli(['grant', 'list', '--service', 'orders', '--json'], dev)).out) as { id: string; state: string; kinds: string[]; selector: Record<string, string> }[];
    assert.deepEqual(list.map((g) => [g.id, g.state]), [[id, 'active']]);
    assert.deepEqual(list[0]?.kinds, ['SNAPSHOT', 'LOGPOINT']);
    assert.deepEqual(list[0]?.selector, { 'region': 'eu-1' });
    assert.match((await cli(['grant', 'show', id], dev)).out, /approvals\s+2\/2 /);

    assert.equal((await cli(['kill-switch', 'on', '--service', 'orders', '--reason', 'drill'], ops)).code, 0);
    assert.equal((await cli(['kill-switch', 'on', '--reason', 'drill'], dev)).code, ExitCode.Refused, 'developers cannot flip it');
    assert.equal((await cli(['kill-switch', 'off', '--service', 'orders', '--reason', 'drill over'], ops)).code, 0);
    assert.equal((await cli(['kill', 'on', '--service', 'orders', '--reason', 'short form'], ops)).code, 0, 'kill is the short form');
    assert.equal((await cli(['kill', 'off', '--service', 'orders', '--reason', 'short form over'], ops)).code, 0);
    assert.deepEqual(JSON.parse((await cli(['snapshot', 'list', '--json'], dev)).out), []);
    assert.deepEqual(JSON.parse((await cli(['probe', 'list', '--json'], dev)).out), []);
    assert.deepEqual(JSON.parse((await cli(['agent', 'list', '--json'], ops)).out), []);
    assert.equal((await cli(['grant', 'revoke', id, '--reason', 'done'], dev)).out.trim(), 'revoked');
    assert.equal((await cli(['audit', 'verify'], ops)).code, 0);
    const exported = join(dir, 'audit.jsonl');
    assert.equal((await cli(['audit', 'export', '--out', exported], ops)).code, 0);
    const lines = readFileSync(exported, 'utf8').trim().split('\n');
    assert.ok(lines.some((l) => (JSON.parse(l) as { action: string }).action === 'grant.revoke'));
    const fromFile = await cli(['audit', 'verify', '--file', exported, '--json']);
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.equal((JSON.parse(fromFile.out) as { rows: number }).rows, lines.length, 'an export over HTTP verifies on its own');

    // Offline verification of the file, and what it says after tampering.
    assert.equal((await cli(['audit', 'verify', '--db', dbPath])).code, 0);
    const db = new Database(dbPath);
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 3").run();
    db.close();
    const bad = await cli(['audit', 'verify', '--db', dbPath, '--json']);
    assert.equal(bad.code, ExitCode.AuditInvalid);
    assert.equal((JSON.parse(bad.out) as { fault: { seq: number } }).fault.seq, 3);
    assert.match(bad.err, /row 3/);
  });
});

test('exit codes: usage 2, refused 3, unauthenticated 4, not found 5, unreachable 6', async () => {
  await withCli(async (cli) => {
    const root = (await cli(['init', '--admin', 'root'])).out.trim();
    assert.equal((await cli(['grant', 'frobnicate'], root)).code, ExitCode.Usage);
    assert.equal((await cli(['user', 'add', 'x'], root)).code, ExitCode.Usage, 'missing --role');
    assert.equal((await cli(['user', 'add', 'x', '--role', 'wizard'], root)).code, ExitCode.Refused);
    assert.equal((await cli(['user', 'list'], 'kh_nope')).code, ExitCode.Unauthenticated);
    assert.equal((await cli(['grant', 'show', 'g_missing'], root)).code, ExitCode.NotFound);
    assert.equal((await cli(['--broker', 'http://127.0.0.1:1', 'user', 'list'], root)).code, ExitCode.Unreachable);
    assert.equal((await cli(['grant', 'request', '--service', 's', '--glob', 'a', '--reason', 'r', '--duration', 'soon'], root)).code, ExitCode.Usage);
    assert.equal((await cli(['--help'])).code, ExitCode.Ok);

    const issued = await cli(['user', 'token', 'root', '--ttl', '8h'], root);
    const tokenId = /token (kh_\S+) issued/.exec(issued.err)?.[1];
    assert.ok(tokenId, issued.err);
    assert.equal((await cli(['user', 'list'], issued.out.trim())).code, ExitCode.Ok);
    assert.equal((await cli(['user', 'revoke-token', tokenId], root)).code, ExitCode.Ok);
    assert.equal((await cli(['user', 'list'], issued.out.trim())).code, ExitCode.Unauthenticated);
  });
});

test('keys register with a service agent token says the token is not a person\'s, instead of registering for "undefined"', async () => {
  await withCli(async (cli, dir) => {
    const root = (await cli(['init', '--admin', 'root'])).out.trim();
    const ops = (await cli(['user', 'add', 'ops1', '--role', 'ops'], root)).out.trim();
    const agentToken = (await cli(['service', 'add', 'orders'], ops)).out.trim();
    assert.match(agentToken, /^kha_/);
    const key = join(dir, 'x.key');
    assert.equal((await cli(['keys', 'generate', '--out', key])).code, 0);
    const r = await cli(['keys', 'register', '--pub', `${key}.pub`], agentToken);
    assert.equal(r.code, ExitCode.Usage);
    assert.match(r.err, /KH_NOT_A_USER_TOKEN/);
    assert.match(r.err, /agent of service orders/);
  });
});

test('probe set --frames-with-locals: sent to the broker and listed; not a count, too many or on a logpoint is refused', async () => {
  await withCli(async (cli, dir) => {
    const root = (await cli(['init', '--admin', 'root'])).out.trim();
    const token = async (id: string, role: string) => (await cli(['user', 'add', id, '--role', role], root)).out.trim();
    const dev = await token('dev', 'developer');
    const ann = await token('ann', 'approver');
    const ops = await token('ops1', 'ops');
    const key = join(dir, 'ann.key');
    assert.equal((await cli(['keys', 'generate', '--out', key])).code, 0);
    assert.equal((await cli(['keys', 'register', '--pub', `${key}.pub`], ann)).code, 0);
    assert.equal((await cli(['service', 'add', 'orders', '--approvals', '1'], ops)).code, 0);
    const grant = (await cli(['grant', 'request', '--service', 'orders', '--glob', 'src/**', '--reason', 'slow carts', '--kind', 'snapshot', 'logpoint'], dev)).out.trim();
    assert.equal((await cli(['grant', 'approve', grant, '--key', key], ann)).out.trim(), 'active');

    const one = await cli(['probe', 'set', 'src/orders/cart.ts:42', '--grant', grant, '--frames-with-locals', '1', '--json'], dev);
    assert.equal(one.code, 0, one.err);
    const set = JSON.parse(one.out) as { id: string; framesWithLocals: number };
    assert.equal(set.framesWithLocals, 1);
    const plain = await cli(['probe', 'set', 'src/orders/cart.ts:43', '--grant', grant, '--json'], dev);
    assert.equal((JSON.parse(plain.out) as { framesWithLocals: number }).framesWithLocals, 0, 'left out: the agent\'s setting');
    const listed = JSON.parse((await cli(['probe', 'list', '--grant', grant, '--json'], dev)).out) as { id: string; framesWithLocals: number }[];
    assert.equal(listed.find((p) => p.id === set.id)?.framesWithLocals, 1);

    for (const bad of ['two', '1.5', '-1', '']) {
      const r = await cli(['probe', 'set', 'src/orders/cart.ts:44', '--grant', grant, `--frames-with-locals=${bad}`], dev);
      assert.equal(r.code, ExitCode.Usage, `"${bad}": ${r.err}`);
      assert.match(r.err, /--frames-with-locals .* is not a count/);
    }
    const tooMany = await cli(['probe', 'set', 'src/orders/cart.ts:44', '--grant', grant, '--frames-with-locals', '65'], dev);
    assert.equal(tooMany.code, ExitCode.Refused, tooMany.err);
    assert.match(tooMany.err, /KH_BAD_REQUEST.*framesWithLocals must be a whole number from 0 to 64/);
    const onLogpoint = await cli(['probe', 'set', 'src/orders/cart.ts:44', '--grant', grant, '--log', 'n={n}', '--frames-with-locals', '2'], dev);
    assert.equal(onLogpoint.code, ExitCode.Usage, onLogpoint.err);
    assert.match(onLogpoint.err, /--frames-with-locals applies to snapshots, not logpoints/);
    assert.equal(JSON.parse((await cli(['probe', 'list', '--grant', grant, '--json'], dev)).out).length, 2, 'no refused probe was set');
  });
});

test('`keyhole broker start` serves on the given port and stops cleanly on SIGTERM', async () => {
  const t = openTempStore();
  await t.store.close();
  const main = join(__dirname, 'main.js');
  const child = spawn(process.execPath, [main, 'broker', 'start', '--db', join(t.dir, 'started.db'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const line = /^(http:\/\/\S+)\n/.exec(buf);
        if (line?.[1]) resolve(line[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const res = await fetch(`${url}/v1/init`, { method: 'POST', body: JSON.stringify({ adminId: 'root' }) });
    assert.equal(res.status, 201);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await t.dispose();
  }
});
