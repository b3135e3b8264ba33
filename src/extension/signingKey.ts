// An approver's Ed25519 signing key: made, kept (as PKCS#8 PEM, in
// SecretStorage by the caller) and used to sign a grant's signing body.
// The private key never leaves this process; only the public key is shown
// and registered. No vscode here.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';

/** A new key pair: the private key as PKCS#8 PEM (secret), the public key as SPKI PEM (for trust files). */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The SPKI PEM public key of a stored private key. */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** Signs the broker's signing body (base64 of the GrantBody bytes) and returns the signature as base64. */
export function signGrantBody(bodyBase64: string, privateKeyPem: string): string {
  return sign(null, Buffer.from(bodyBase64, 'base64'), createPrivateKey(privateKeyPem)).toString('base64');
}
