// The approver's Ed25519 key pair, made in this browser with WebCrypto. The
// private key is created non-extractable and kept in IndexedDB as a
// CryptoKey: script on this page can sign with it, but nothing can read
// its bytes out, and it never leaves the browser.
const DB_NAME = 'keyhole-approver';
const STORE = 'keys';

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = work(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

function pem(spki) {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(spki)));
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** The stored key of this user, or undefined. */
export function loadKey(userId) {
  return tx('readonly', (s) => s.get(userId));
}

/** Makes and stores a new key pair; returns {privateKey, publicKeyPem}. */
export async function generateKey(userId) {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const record = { privateKey: pair.privateKey, publicKeyPem: pem(await crypto.subtle.exportKey('spki', pair.publicKey)), createdAtMs: Date.now() };
  await tx('readwrite', (s) => s.put(record, userId));
  return record;
}

export async function signBytes(privateKey, bytes) {
  return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, bytes));
}
