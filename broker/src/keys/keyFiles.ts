/**
 * Approver key pairs on disk. The private key stays with its owner: it is
 * written with mode 0600 and used only by the CLI to sign locally; the
 * broker only ever sees the public half.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { brokerError, BrokerErrorCode, isBrokerError } from '../errors';

export const PRIVATE_KEY_MODE = 0o600;
export const PUBLIC_KEY_MODE = 0o644;

export interface KeyPairFiles {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly publicKeyPem: string;
}

/**
 * Writes a new Ed25519 pair: `<base>` (PKCS#8 PEM, 0600) and `<base>.pub`
 * (SPKI PEM). Never overwrites an existing file.
 */
export function generateKeyPairFiles(base: string): KeyPairFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const publicKeyPath = `${base}.pub`;
  try {
    // 'wx': fail if the file exists, so an old key is never lost.
    writeFileSync(base, privatePem, { mode: PRIVATE_KEY_MODE, flag: 'wx' });
    chmodSync(base, PRIVATE_KEY_MODE); // the umask may only narrow the mode; make it exact.
    writeFileSync(publicKeyPath, publicKeyPem, { mode: PUBLIC_KEY_MODE, flag: 'wx' });
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
    throw brokerError(
      exists ? BrokerErrorCode.Conflict : BrokerErrorCode.BadRequest,
      exists ? `a key file already exists at ${base} or ${publicKeyPath}` : `cannot write the key files: ${(err as Error).message}`,
      exists ? 'choose another --out path, or remove the old pair if you really mean to replace it' : 'check the directory exists and is writable',
    );
  }
  return { privateKeyPath: base, publicKeyPath, publicKeyPem };
}

/**
 * Loads an Ed25519 private key, refusing a file that others can read: a
 * key that leaked cannot be trusted to mean its owner approved.
 */
export function loadPrivateKey(path: string): KeyObject {
  let pem: string;
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      throw brokerError(BrokerErrorCode.BadRequest, `${path} can be read by other users`, `run \`chmod 600 ${path}\` (and consider replacing the key)`);
    }
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if (isBrokerError(err)) throw err;
    throw brokerError(BrokerErrorCode.NotFound, `cannot read the private key ${path}`, 'pass the file written by `keyhole keys generate` with --key');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw brokerError(BrokerErrorCode.BadRequest, `${path} is not a PEM private key`, 'pass the file written by `keyhole keys generate`');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw brokerError(BrokerErrorCode.BadRequest, `${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`, 'generate one with `keyhole keys generate`');
  }
  return key;
}

/** Signs grant body bytes locally, as `keyhole grant approve` does. */
export function signGrantBody(privateKey: KeyObject, body: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, body, privateKey));
}
