import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAUNCH_ARG_DESCRIPTIONS, LAUNCH_DEFAULTS, LAUNCH_LIMITS, resolveLaunchArgs } from './launchConfig';

test('a minimal configuration gets the documented defaults', () => {
  const r = resolveLaunchArgs({ broker: 'http://127.0.0.1:7070', service: 'orders' }, '/ws');
  assert.deepEqual(r, {
    ok: true,
    args: { broker: 'http://127.0.0.1:7070', service: 'orders', labels: {}, token: { kind: 'env', name: LAUNCH_DEFAULTS.tokenEnv }, localRoot: '/ws', remoteRoot: '', snapshotHistoryLimit: 50, framesWithLocals: undefined },
  });
});

test('a token file wins over the token variable', () => {
  const r = resolveLaunchArgs({ broker: 'https://b', service: 's', tokenEnv: 'T', tokenFile: '/t' }, '/');
  assert.ok(r.ok);
  assert.deepEqual(r.args.token, { kind: 'file', path: '/t' });
});

test('every problem is listed, and a token in launch.json is refused', () => {
  const r = resolveLaunchArgs({ broker: 'ftp://x', token: 'secret', labels: { a: 1 }, snapshotHistoryLimit: 0 }, '/');
  assert.ok(!r.ok);
  assert.equal(r.problems.length, 5, r.problems.join('\n'));
  assert.ok(r.problems.some((p) => p.includes('never put a token in launch.json')));
  assert.ok(!r.problems.join(' ').includes('secret'), 'the token value is never echoed');
});

test('framesWithLocals: left out means the agent\'s setting; 1 to the limit is kept; anything else is a listed problem', () => {
  const base = { broker: 'http://127.0.0.1:7070', service: 'orders' };
  const absent = resolveLaunchArgs(base, '/ws');
  assert.ok(absent.ok);
  assert.equal(absent.args.framesWithLocals, undefined);
  assert.equal(LAUNCH_LIMITS.maxFramesWithLocals, 64);
  for (const n of [1, 5, 64]) {
    const r = resolveLaunchArgs({ ...base, framesWithLocals: n }, '/ws');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.args.framesWithLocals, n);
  }
  for (const bad of [0, -1, 1.5, 65, '3', null, true]) {
    const r = resolveLaunchArgs({ ...base, framesWithLocals: bad }, '/ws');
    assert.ok(!r.ok, `${JSON.stringify(bad)} is refused`);
    assert.deepEqual(r.problems, ['"framesWithLocals" must be a whole number from 1 to 64 (leave it out for the agent\'s setting)']);
  }
  const many = resolveLaunchArgs({ service: 's', framesWithLocals: 0, snapshotHistoryLimit: 0 }, '/ws');
  assert.ok(!many.ok);
  assert.equal(many.problems.length, 3, 'listed with the other problems: ' + many.problems.join('; '));
});

test('every launch argument is described (the package.json schema is checked against this)', () => {
  assert.deepEqual(Object.keys(LAUNCH_ARG_DESCRIPTIONS).sort(), ['broker', 'framesWithLocals', 'labels', 'localRoot', 'remoteRoot', 'service', 'snapshotHistoryLimit', 'tokenEnv', 'tokenFile']);
});
