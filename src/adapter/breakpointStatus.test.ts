import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { viewOfProbe } from './breakpointStatus';

const st = (instanceId: string, state: pb.ProbeState, over: Partial<pb.IProbeStatus> = {}): pb.IProbeStatus => ({ instanceId, state, ...over });

test('no report yet: pending, waiting for an instance', () => {
  assert.deepEqual(viewOfProbe(undefined, 'orders'), { verified: false, reason: 'pending', message: 'set; waiting for an instance of orders to report it' });
});

test('installed on some instances: verified, with hits and what the others say', () => {
  const v = viewOfProbe({ targeted: 3, instances: [st('a', pb.ProbeState.INSTALLED, { hits: 2 }), st('b', pb.ProbeState.INSTALLED), st('c', pb.ProbeState.FILE_NOT_FOUND, { candidates: ['x/a.js'] })] }, 'orders');
  assert.equal(v.verified, true);
  assert.equal(v.message, 'installed on 2 of 3 instances, 2 hits; c: file not found; candidates: x/a.js (the probe installs if the file loads later)');
});

test('refusal outranks waiting; expiry and ambiguity fail with their reasons', () => {
  const refused = viewOfProbe({ targeted: 2, instances: [st('a', pb.ProbeState.PENDING), st('b', pb.ProbeState.REFUSED, { code: 'KH_GRANT_SCOPE', message: 'outside' })] }, 's');
  assert.deepEqual(refused, { verified: false, reason: 'failed', message: 'b: refused: outside (KH_GRANT_SCOPE); a: waiting for the file to load' });
  assert.equal(viewOfProbe({ targeted: 1, instances: [st('a', pb.ProbeState.EXPIRED, { code: 'KH_PROBE_EXPIRED', message: 'window ended' })] }, 's').message, 'a: grant expired: window ended (KH_PROBE_EXPIRED)');
  const many = Array.from({ length: 7 }, (_, i) => `f${i}.js`);
  assert.match(viewOfProbe({ targeted: 1, instances: [st('a', pb.ProbeState.AMBIGUOUS, { candidates: many })] }, 's').message, /f4\.js and 2 more; give more of the path/);
});

test("installed: the agents' notes are shown once each, so a snapshot that never hits says why", () => {
  const budget = "the agent's budget of 10 ms per second for probes (rate.blockedMsPerSecond) ran out";
  const v = viewOfProbe(
    { targeted: 2, instances: [st('a', pb.ProbeState.INSTALLED, { message: budget }), st('b', pb.ProbeState.INSTALLED, { message: budget, hits: 1 })] },
    'orders',
  );
  assert.deepEqual(v, { verified: true, message: `installed on 2 of 2 instances, 1 hit; ${budget}` });
});

test("waiting for another reason than a file not loaded yet: the agent's own sentence and code", () => {
  const vm = st('a', pb.ProbeState.FILE_NOT_FOUND, { code: 'KH_PROBE_VM_CONTEXT', message: 'plugin.js runs only in a vm context of its own; the probe waits' });
  assert.deepEqual(viewOfProbe({ targeted: 1, instances: [vm] }, 's'), {
    verified: false,
    reason: 'pending',
    message: 'a: plugin.js runs only in a vm context of its own; the probe waits (KH_PROBE_VM_CONTEXT)',
  });
  const plain = st('a', pb.ProbeState.FILE_NOT_FOUND, { code: 'KH_LOCATION_NOT_FOUND', message: 'no loaded script is x.js' });
  assert.equal(viewOfProbe({ targeted: 1, instances: [plain] }, 's').message, 'a: file not found (the probe installs if the file loads later)');
});
