// The hostile grant corpus against a real agent in a child process: every
// grant the agent cannot prove is refused with its own code (an ErrorFrame to
// the broker), probes under it are REFUSED, and calling the probed function
// captures nothing. A valid grant in the same host does capture, so the
// refusals are the agent's verdicts and not a broken set-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sign } from 'node:crypto';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, drain, nextSnapshot, setProbe } from '../support/agentHarness';
import { grantBody, makeApprover, signGrant, writeTrustFile } from '../support/approvers';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

const CHECKOUT = 'fixtures/plain-service.js';
const line = lineOf(join(agentFixtures, 'plain-service.js'), 'checkout');
const ann = makeApprover('ann');
const bob = makeApprover('bob');
const dev = makeApprover('dev'); // a trusted approver who is also the requester below
const mallory = makeApprover('mallory'); // not in the trust file
const eve = makeApprover('eve');

interface RefusedGrant {
  readonly name: string;
  readonly grantId: string;
  /** Sent before the grant (a revocation). */
  readonly before?: pb.BrokerMessage.$Properties;
  readonly grant: () => pb.SignedGrant.$Properties;
  readonly code: string;
  /** What the probe under it is refused with; the grant was never stored. */
  readonly probeCode: string;
}

const now = Date.now();
const body = (grantId: string, over: Partial<pb.GrantBody.$Properties> = {}): Uint8Array => grantBody({ grantId, ...over });

const refusedGrants: RefusedGrant[] = [
  { name: 'unsigned', grantId: 'g-unsigned', grant: () => ({ body: body('g-unsigned'), approvals: [] }), code: 'KH_GRANT_SIGNATURES', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'signed by untrusted keys', grantId: 'g-untrusted', grant: () => signGrant(body('g-untrusted'), [mallory, eve]), code: 'KH_GRANT_SIGNATURES', probeCode: 'KH_GRANT_UNKNOWN' },
  {
    name: 'trusted keys claimed by untrusted signers',
    grantId: 'g-forged',
    grant: () => {
      const b = body('g-forged');
      return { body: b, approvals: [mallory, eve].map((m, i) => ({ approverId: ['ann', 'bob'][i], signature: sign(null, b, m.privateKey), signedAtMs: now })) };
    },
    code: 'KH_GRANT_SIGNATURES',
    probeCode: 'KH_GRANT_UNKNOWN',
  },
  {
    name: 'body edited after signing',
    grantId: 'g-edited',
    grant: () => {
      const signed = signGrant(body('g-edited', { scopeGlobs: ['src/payments/**'] }), [ann, bob]);
      const edited = pb.GrantBody.decode(signed.body!);
      edited.scopeGlobs = ['**'];
      return { ...signed, body: pb.GrantBody.encode(edited).finish() };
    },
    code: 'KH_GRANT_SIGNATURES',
    probeCode: 'KH_GRANT_UNKNOWN',
  },
  { name: 'expired', grantId: 'g-expired', grant: () => signGrant(body('g-expired', { notBeforeMs: now - 20 * 60_000, notAfterMs: now - 10 * 60_000 }), [ann, bob]), code: 'KH_GRANT_EXPIRED', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'not yet valid', grantId: 'g-future', grant: () => signGrant(body('g-future', { notBeforeMs: now + 10 * 60_000, notAfterMs: now + 20 * 60_000 }), [ann, bob]), code: 'KH_GRANT_NOT_YET_VALID', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'a window longer than the trust file allows', grantId: 'g-long', grant: () => signGrant(body('g-long', { notAfterMs: now + 2 * 3_600_000 }), [ann, bob]), code: 'KH_GRANT_WINDOW', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'another service', grantId: 'g-service', grant: () => signGrant(body('g-service', { service: 'billing' }), [ann, bob]), code: 'KH_GRANT_SERVICE', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'labels this instance does not have', grantId: 'g-labels', grant: () => signGrant(body('g-labels', { selector: { region: 'us' } }), [ann, bob]), code: 'KH_GRANT_LABELS', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'self-approved by the requester', grantId: 'g-self', grant: () => signGrant(body('g-self', { requester: 'dev' }), [dev, ann]), code: 'KH_GRANT_SELF_APPROVED', probeCode: 'KH_GRANT_UNKNOWN' },
  { name: 'fewer than K distinct approvers (one approver signing twice)', grantId: 'g-twice', grant: () => signGrant(body('g-twice'), [ann, ann]), code: 'KH_GRANT_SIGNATURES', probeCode: 'KH_GRANT_UNKNOWN' },
  {
    name: 'revoked before it arrived',
    grantId: 'g-revoked',
    before: { revocation: { grantId: 'g-revoked', reason: 'approver withdrew' } },
    grant: () => signGrant(body('g-revoked'), [ann, bob]),
    code: 'KH_GRANT_REVOKED',
    probeCode: 'KH_GRANT_REVOKED',
  },
];

test('the hostile grant corpus: every refusal has its code, probes under it are REFUSED, nothing is captured', async () => {
  const trustFile = writeTrustFile(h.dir, 'orders', [ann, bob, dev], 2, 3_600_000);
  const { svc, conn } = await h.connect('plain-service.js', { env: h.env({ KEYHOLE_TRUST_FILE: trustFile }), grant: { grantId: 'g-unused' }, start: ROOMY_BUDGETS });
  try {
    // g-unused was signed by the harness's own approver, who is not in this trust file.
    await conn.next((m) => m.body === 'error' && m.error!.code === 'KH_GRANT_SIGNATURES' && m.error!.message.includes('g-unused'), 20_000, 'the refusal of g-unused');

    for (const g of refusedGrants) {
      if (g.before) conn.send(g.before);
      conn.send({ grant: { grant: g.grant() } });
      const err = (await conn.next((m) => m.body === 'error' && m.error!.message.includes(`grant ${g.grantId} `), 20_000, `the refusal of ${g.name}`)).error!;
      assert.equal(err.code, g.code, `${g.name}: ${err.message}`);
      assert.equal(err.fatal, false);
      conn.send(setProbe(`p-${g.grantId}`, CHECKOUT, line, { grantId: g.grantId }));
      const refused = await conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === `p-${g.grantId}`, 20_000, `the status of p-${g.grantId}`);
      assert.equal(pb.ProbeState[refused.probeStatus!.state], 'REFUSED', g.name);
      assert.equal(refused.probeStatus!.code, g.probeCode, g.name);
    }

    // Valid grants whose probes fall outside them.
    conn.send({ grant: { grant: signGrant(body('g-scope', { scopeGlobs: ['src/payments/**'] }), [ann, bob]) } });
    conn.send(setProbe('p-scope', CHECKOUT, line, { grantId: 'g-scope' }));
    assert.equal((await conn.status('p-scope', pb.ProbeState.REFUSED)).code, 'KH_GRANT_SCOPE');
    conn.send({ grant: { grant: signGrant(body('g-kind', { kinds: [pb.ProbeKind.LOGPOINT] }), [ann, bob]) } });
    conn.send(setProbe('p-kind', CHECKOUT, line, { grantId: 'g-kind' }));
    assert.equal((await conn.status('p-kind', pb.ProbeState.REFUSED)).code, 'KH_GRANT_KIND');

    // The control: a grant with two distinct trusted approvals captures in this very host.
    conn.send({ grant: { grant: signGrant(body('g-ok'), [ann, bob]) } });
    conn.send(setProbe('p-ok', CHECKOUT, line, { grantId: 'g-ok' }));
    await conn.status('p-ok', pb.ProbeState.INSTALLED);
    await svc.call('checkout', 7, 7, true);
    assert.equal((await nextSnapshot(conn, 'p-ok')).grantId, 'g-ok');

    // The kill switch: the installed probe goes, a new one under the same valid grant is refused.
    conn.send({ killSwitch: { on: true, scope: 'orders', reason: 'incident' } });
    assert.equal((await conn.status('p-ok', pb.ProbeState.REFUSED)).code, 'KH_KILL_SWITCH');
    conn.send(setProbe('p-ok-again', CHECKOUT, line, { grantId: 'g-ok' }));
    assert.equal((await conn.status('p-ok-again', pb.ProbeState.REFUSED)).code, 'KH_KILL_SWITCH');

    for (let i = 0; i < 3; i++) await svc.call('checkout', i, 1, false);
    await drain(conn, 'grants');
    assert.deepEqual(conn.snapshots().map((s) => s.probeId), ['p-ok']);
    assert.equal(conn.logLines().length, 0);
    for (const p of ['p-scope', 'p-kind', ...refusedGrants.map((g) => `p-${g.grantId}`)]) {
      assert.deepEqual(conn.statuses(p).map((s) => pb.ProbeState[s.state]), ['REFUSED'], `${p} was never installed`);
    }
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
