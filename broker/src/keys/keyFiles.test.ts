import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { withTempDir } from '../testing/tempStore';
import { generateKeyPairFiles, loadPrivateKey, signGrantBody } from './keyFiles';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;

test('keys generate writes an Ed25519 pair; the private half is mode 0600 and signs verifiably', async () => {
  await withTempDir((dir) => {
    const base = join(dir, 'ann.key');
    const pair = generateKeyPairFiles(base);
    assert.equal(statSync(base).mode & 0o777, 0o600);
    assert.equal(readFileSync(pair.publicKeyPath, 'utf8'), pair.publicKeyPem);
    const key = loadPrivateKey(base);
    const body = new TextEncoder().encode('grant body');
    assert.equal(verify(null, body, createPublicKey(pair.publicKeyPem), signGrantBody(key, body)), true);
  });
});

test('an existing key is never overwritten', async () => {
  await withTempDir((dir) => {
    const base = join(dir, 'ann.key');
    generateKeyPairFiles(base);
    const before = readFileSync(base, 'utf8');
    assert.throws(() => generateKeyPairFiles(base), code(BrokerErrorCode.Conflict));
    assert.equal(readFileSync(base, 'utf8'), before);
  });
});

test('a private key readable by others, missing, or not Ed25519 is refused', async () => {
  await withTempDir((dir) => {
    const base = join(dir, 'ann.key');
    generateKeyPairFiles(base);
    chmodSync(base, 0o644);
    assert.throws(() => loadPrivateKey(base), (err: unknown) => isBrokerError(err) && /chmod 600/.test(err.hint));
    assert.throws(() => loadPrivateKey(join(dir, 'missing.key')), code(BrokerErrorCode.NotFound));
    const rsa = join(dir, 'rsa.key');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    assert.throws(() => loadPrivateKey(rsa), code(BrokerErrorCode.BadRequest));
  });
});
