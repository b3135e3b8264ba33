import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { generateSigningKey, publicKeyOf, signGrantBody } from './signingKey';

test('a signature made with the stored key verifies against the exported public key, and only over the same bytes', () => {
  const k = generateSigningKey();
  assert.equal(publicKeyOf(k.privateKeyPem), k.publicKeyPem);
  const body = Buffer.from('grant body bytes');
  const sig = Buffer.from(signGrantBody(body.toString('base64'), k.privateKeyPem), 'base64');
  assert.equal(verify(null, body, createPublicKey(k.publicKeyPem), sig), true);
  assert.equal(verify(null, Buffer.from('other bytes'), createPublicKey(k.publicKeyPem), sig), false);
  assert.equal(verify(null, body, createPublicKey(generateSigningKey().publicKeyPem), sig), false);
});
