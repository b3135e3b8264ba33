import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { openTempStore, type TempStore } from '../testing/tempStore';
import { IdentityService } from './identityService';
import { type Principal } from './principal';
import { TOKEN_PREFIX } from './tokens';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;

async function withIdentity(body: (ids: IdentityService, admin: Principal, t: TempStore) => Promise<void>): Promise<void> {
  const t = openTempStore();
  try {
    const ids = new IdentityService(t.store, () => 1_700_000_000_000);
    const { token } = await ids.init('root');
    await body(ids, await ids.authenticate(token), t);
    const audit = await verifyAudit(t.store);
    assert.equal(audit.ok, true, 'every test leaves a valid audit chain');
  } finally {
    await t.dispose();
  }
}

async function auditActions(t: TempStore): Promise<string[]> {
  const rows = await t.store.transaction((r) => r.audit.list(0, 1000));
  return rows.map((row) => `${row.action}:${row.subject}`);
}

test('init creates the first admin once, with a kh_ token shown once', async () => {
  await withIdentity(async (ids, admin) => {
    assert.deepEqual(admin, { kind: 'user', id: 'root', roles: ['admin'] });
    await assert.rejects(ids.init('other'), code(BrokerErrorCode.Conflict));
  });
});

test('tokens are stored only as their sha256', async () => {
  await withIdentity(async (ids, admin, t) => {
    const { token } = await ids.addUser(admin, 'dev', ['developer']);
    assert.ok(token.startsWith(TOKEN_PREFIX.user));
    assert.equal(Buffer.from(token.slice(3), 'base64url').length, 32);
    const db = new Database(t.path, { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM tokens').all()) + JSON.stringify(db.prepare('SELECT * FROM audit').all());
    db.close();
    assert.equal(dump.includes(token), false, 'the secret appears nowhere in the database');
  });
});

test('an admin adds users with several roles; others may not', async () => {
  await withIdentity(async (ids, admin) => {
    const { token } = await ids.addUser(admin, 'ann', ['approver', 'developer', 'approver']);
    const ann = await ids.authenticate(token);
    assert.deepEqual(ann, { kind: 'user', id: 'ann', roles: ['approver', 'developer'] });
    await assert.rejects(ids.addUser(ann, 'eve', ['admin']), code(BrokerErrorCode.Forbidden));
    await assert.rejects(ids.addUser(admin, 'ann', ['developer']), code(BrokerErrorCode.Conflict));
    await assert.rejects(ids.addUser(admin, 'bad id', ['developer']), code(BrokerErrorCode.BadRequest));
    await assert.rejects(ids.addUser(admin, 'x', ['wizard']), code(BrokerErrorCode.BadRequest));
    await assert.rejects(ids.addUser(admin, 'x', []), code(BrokerErrorCode.BadRequest));
    assert.deepEqual((await ids.listUsers(admin)).map((u) => u.id), ['ann', 'root']);
  });
});

test('failed logins are refused and audited with the token id, never the token', async () => {
  await withIdentity(async (ids, admin, t) => {
    const { token, tokenId } = await ids.addUser(admin, 'dev', ['developer']);
    await ids.disableUser(admin, 'dev');
    await assert.rejects(ids.authenticate(token), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.Unauthenticated && /disabled/.test(err.message));
    await assert.rejects(ids.authenticate('kh_' + 'A'.repeat(43)), code(BrokerErrorCode.Unauthenticated));
    await assert.rejects(ids.authenticate(''), code(BrokerErrorCode.Unauthenticated));
    const rows = (await t.store.transaction((r) => r.audit.list(0, 1000))).filter((r) => r.action === 'login.failed');
    assert.equal(rows.length, 3);
    assert.deepEqual(JSON.parse(rows[0]?.details ?? ''), { reason: 'user disabled', tokenId });
    assert.deepEqual(JSON.parse(rows[1]?.details ?? ''), { reason: 'unknown token', tokenId: 'kh_' + 'A'.repeat(12) });
    assert.deepEqual(JSON.parse(rows[2]?.details ?? ''), { reason: 'unknown token', tokenId: null });
  });
});

test('the last enabled admin cannot be disabled or lose the role', async () => {
  await withIdentity(async (ids, admin) => {
    await assert.rejects(ids.disableUser(admin, 'root'), code(BrokerErrorCode.Conflict));
    await assert.rejects(ids.setRoles(admin, 'root', ['ops']), code(BrokerErrorCode.Conflict));
    await ids.addUser(admin, 'second', ['admin']);
    assert.equal((await ids.disableUser(admin, 'root')).disabled, true);
  });
});

test('role changes apply to existing tokens at once', async () => {
  await withIdentity(async (ids, admin) => {
    const { token } = await ids.addUser(admin, 'dev', ['developer']);
    await ids.setRoles(admin, 'dev', ['developer', 'ops']);
    assert.deepEqual(await ids.authenticate(token), { kind: 'user', id: 'dev', roles: ['developer', 'ops'] });
  });
});

test('approvers register their own Ed25519 key; other key types and other people are refused', async () => {
  await withIdentity(async (ids, admin, t) => {
    const ann = await ids.authenticate((await ids.addUser(admin, 'ann', ['approver'])).token);
    const dev = await ids.authenticate((await ids.addUser(admin, 'dev', ['developer'])).token);
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal((await ids.registerApproverKey(ann, 'ann', ed)).publicKeyPem, ed);
    await assert.rejects(ids.registerApproverKey(ann, 'ann', rsa), code(BrokerErrorCode.BadRequest));
    await assert.rejects(ids.registerApproverKey(ann, 'ann', 'not a key'), code(BrokerErrorCode.BadRequest));
    await assert.rejects(ids.registerApproverKey(dev, 'dev', ed), code(BrokerErrorCode.Forbidden));
    await assert.rejects(ids.registerApproverKey(ann, 'dev', ed), code(BrokerErrorCode.Forbidden));
    await assert.rejects(ids.registerApproverKey(admin, 'dev', ed), code(BrokerErrorCode.BadRequest), 'only approvers hold keys');
    assert.ok((await auditActions(t)).includes('key.register:ann'));
  });
});

test('a user may get a new token for themselves; for others only an admin', async () => {
  await withIdentity(async (ids, admin) => {
    const dev = await ids.authenticate((await ids.addUser(admin, 'dev', ['developer'])).token);
    await ids.addUser(admin, 'ops1', ['ops']);
    const again = await ids.issueToken(dev, 'dev');
    assert.deepEqual(await ids.authenticate(again.token), dev);
    await assert.rejects(ids.issueToken(dev, 'ops1'), code(BrokerErrorCode.Forbidden));
  });
});

test('tokens can expire and be revoked; both are refused afterwards and audited', async () => {
  const t = openTempStore();
  try {
    let now = 1_000_000;
    const ids = new IdentityService(t.store, () => now);
    const admin = await ids.authenticate((await ids.init('root')).token);
    const { token: first, tokenId: firstId } = await ids.addUser(admin, 'dev', ['developer']);
    const dev = await ids.authenticate(first);
    const short = await ids.issueToken(dev, 'dev', { ttlMs: 60_000 });
    assert.equal(short.expiresAtMs, now + 60_000);
    assert.deepEqual(await ids.authenticate(short.token), dev);
    now += 60_000;
    await assert.rejects(ids.authenticate(short.token), (err: unknown) => isBrokerError(err) && /expired/.test(err.message));
    await assert.rejects(ids.issueToken(dev, 'dev', { ttlMs: -1 }), code(BrokerErrorCode.BadRequest));

    const other = await ids.authenticate((await ids.addUser(admin, 'other', ['developer'])).token);
    await assert.rejects(ids.revokeToken(other, firstId), code(BrokerErrorCode.Forbidden), 'not their token');
    await ids.revokeToken(dev, firstId);
    await assert.rejects(ids.authenticate(first), (err: unknown) => isBrokerError(err) && /revoked/.test(err.message));
    await assert.rejects(ids.revokeToken(admin, 'kh_missing'), code(BrokerErrorCode.NotFound));

    const rows = await t.store.transaction((r) => r.audit.list(0, 1000));
    assert.deepEqual(
      rows.filter((r) => r.action === 'login.failed').map((r) => (JSON.parse(r.details) as { reason: string }).reason),
      ['token expired', 'token revoked'],
    );
    assert.ok(rows.some((r) => r.action === 'token.revoke'));
  } finally {
    await t.dispose();
  }
});
