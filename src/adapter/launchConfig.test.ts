import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAUNCH_ARG_DESCRIPTIONS, LAUNCH_DEFAULTS, resolveLaunchArgs } from './launchConfig';

test('a minimal configuration gets the documented defaults', () => {
  const r = resolveLaunchArgs({ broker: 'http://127.0.0.1:7070', service: 'orders' }, '/ws');
  assert.deepEqual(r, {
    ok: true,
    args: { broker: 'http://127.0.0.1:7070', service: 'orders', labels: {}, token: { kind: 'env', name: LAUNCH_DEFAULTS.tokenEnv }, localRoot: '/ws', remoteRoot: '', snapshotHistoryLimit: 50 },
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

test('every launch argument is described (the package.json schema is checked against this)', () => {
  assert.deepEqual(Object.keys(LAUNCH_ARG_DESCRIPTIONS).sort(), ['broker', 'labels', 'localRoot', 'remoteRoot', 'service', 'snapshotHistoryLimit', 'tokenEnv', 'tokenFile']);
});
