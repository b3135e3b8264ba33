// Sets up a fresh broker the way people would, through its HTTP API: the
// first admin, an ops user, a developer and an approver with a real Ed25519
// key, a service with its agent token, a grant the developer requests and
// the approver signs, and a snapshot probe under that grant. The broker
// then accepts snapshots for that probe from that service's agents.
import { generateKeyPairSync, sign } from 'node:crypto';

export const BENCH_SERVICE = 'orders';
/** The grant's window; longer than any run. Default 60 min (the default policy's maximum). */
export const BENCH_GRANT_MS = 60 * 60_000;

async function call(url, method, path, token, body) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${json.code}: ${json.message}`);
  return json;
}

/** Returns what the load needs: the agent token, grant id and probe id. */
export async function setUpCapture(url, service = BENCH_SERVICE) {
  const admin = (await call(url, 'POST', '/v1/init', undefined, { adminId: 'root' })).token;
  const user = async (id, roles) => (await call(url, 'POST', '/v1/users', admin, { id, roles })).token;
  const ops = await user('ops1', ['ops']);
  const dev = await user('dev1', ['developer']);
  const ann = await user('ann', ['approver']);

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await call(url, 'PUT', '/v1/users/ann/key', ann, { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  const { agentToken } = await call(url, 'POST', '/v1/services', ops, { name: service, policy: { approvalsRequired: 1 } });

  const grant = await call(url, 'POST', '/v1/grants', dev, {
    service,
    scopeGlobs: ['src/orders/**'],
    kinds: ['SNAPSHOT'],
    durationMs: BENCH_GRANT_MS,
    reason: 'broker benchmark: checkout fails for some carts',
    ticket: 'BENCH-1',
  });
  const signing = await call(url, 'GET', `/v1/grants/${grant.id}/signing-body`, ann);
  const body = Buffer.from(signing.body, 'base64');
  const approved = await call(url, 'POST', `/v1/grants/${grant.id}/approvals`, ann, { body: signing.body, signature: sign(null, body, privateKey).toString('base64') });
  if (approved.state !== 'active') throw new Error(`the grant is ${approved.state} after approval`);

  const probe = await call(url, 'POST', '/v1/probes', dev, { grantId: grant.id, kind: 'SNAPSHOT', path: 'src/orders/checkout.ts', line: 133 });
  return { service, agentToken, grantId: grant.id, probeId: probe.id, opsToken: ops, devToken: dev };
}

/** The newest stored snapshot, read back as the developer would (GET /v1/snapshots, then /v1/snapshots/:id). */
export async function readBackNewestSnapshot(url, devToken) {
  const [newest] = await call(url, 'GET', '/v1/snapshots?limit=1', devToken);
  return newest && call(url, 'GET', `/v1/snapshots/${encodeURIComponent(newest.id)}`, devToken);
}

/** The agents the broker lists as connected for `service` (GET /v1/agents). */
export async function connectedAgents(url, token, service = BENCH_SERVICE) {
  return (await call(url, 'GET', `/v1/agents?service=${encodeURIComponent(service)}`, token)).length;
}
