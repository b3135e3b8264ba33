import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, parseLabels, DEFAULT_RATE } from './config';
import { DEFAULT_CAPTURE_LIMITS } from './capture/limits';
import { DEFAULT_LOCATION_SETTINGS } from './location/settings';

const good = { KEYHOLE_BROKER: 'ws://127.0.0.1:7070/agent', KEYHOLE_SERVICE: 'orders', KEYHOLE_TRUST_FILE: '/etc/keyhole/trust.json' };

test('unconfigured means disabled, with no problems', () => {
  const r = resolveConfig({}, {});
  assert.ok(r.ok);
  assert.equal(r.config.enabled, false);
});

test('environment configures the agent and defaults fill the rest', () => {
  const r = resolveConfig({}, { ...good, KEYHOLE_LABELS: 'region=eu, tier=web', KEYHOLE_AGENT_TOKEN: 't' });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.config.enabled, true);
  assert.deepEqual(r.config.labels, { region: 'eu', tier: 'web' });
  assert.deepEqual(r.config.capture, DEFAULT_CAPTURE_LIMITS);
  assert.deepEqual(r.config.rate, DEFAULT_RATE);
  assert.equal(r.config.capture.maxFrames, 20);
  assert.equal(r.config.capture.maxFramesWithLocals, 5);
  assert.equal(r.config.capture.maxStringLength, 255);
});

test('explicit options win over the environment', () => {
  const r = resolveConfig({ service: 'billing', capture: { maxDepth: 1 } }, good);
  assert.ok(r.ok);
  assert.equal(r.config.service, 'billing');
  assert.equal(r.config.capture.maxDepth, 1);
  assert.equal(r.config.capture.maxFrames, 20);
});

test('KEYHOLE_ENABLED=false turns a configured agent off', () => {
  const r = resolveConfig({}, { ...good, KEYHOLE_ENABLED: 'false' });
  assert.ok(r.ok);
  assert.equal(r.config.enabled, false);
});

test('bad settings are reported, each with what to fix', () => {
  const r = resolveConfig({ capture: { maxFrames: -1 } }, { KEYHOLE_BROKER: 'http://x', KEYHOLE_SERVICE: 'a b', KEYHOLE_ENABLED: 'maybe', KEYHOLE_LABELS: '=x' });
  assert.equal(r.ok, false);
  const text = !r.ok ? r.problems.join('\n') : '';
  assert.match(text, /KEYHOLE_ENABLED must be true or false/);
  assert.match(text, /KEYHOLE_LABELS/);
  assert.match(text, /KEYHOLE_BROKER must be a ws:\/\/ or wss:\/\/ URL/);
  assert.match(text, /KEYHOLE_SERVICE/);
  assert.match(text, /KEYHOLE_TRUST_FILE/);
  assert.match(text, /capture.maxFrames must be a positive integer/);
});

test('labels parse', () => {
  assert.deepEqual(parseLabels('a=1,b=two'), { a: '1', b: 'two' });
  assert.equal(typeof parseLabels('novalue'), 'string');
});

test('KEYHOLE_SETTINGS sets nested limits; code options still win', () => {
  const r = resolveConfig({ capture: { maxDepth: 1 } }, { ...good, KEYHOLE_SETTINGS: '{"capture":{"maxDepth":2,"timeBudgetMs":50},"rate":{"snapshotBurst":2}}' });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.config.capture.maxDepth, 1);
  assert.equal(r.config.capture.timeBudgetMs, 50);
  assert.equal(r.config.rate.snapshotBurst, 2);
  assert.equal(r.config.capture.maxFrames, 20);
});

test('KEYHOLE_SETTINGS refuses unknown groups and keys by name', () => {
  for (const [text, pattern] of [
    ['{"captur":{}}', /unknown group "captur"/],
    ['{"capture":{"maxDept":2}}', /unknown setting "maxDept"/],
    ['{"capture":{"maxDepth":"2"}}', /must be a number/],
    ['{"location":{"siblingSourceMaps":1}}', /location.siblingSourceMaps must be a boolean/],
    ['{"location":{"maxSourceMaps":true}}', /location.maxSourceMaps must be a number/],
    ['[1]', /must be a JSON object/],
    ['{', /is not JSON/],
  ] as const) {
    const r = resolveConfig({}, { ...good, KEYHOLE_SETTINGS: text });
    assert.equal(r.ok, false, text);
    assert.match(!r.ok ? r.problems.join() : '', pattern);
  }
});

test('the location limits are settings too: counts and sizes, two switches, and a search window that 0 turns off', () => {
  const r = resolveConfig({}, { ...good, KEYHOLE_SETTINGS: '{"location":{"maxSourceMaps":4,"readNodeModulesSourceMaps":true,"nextCodeLineWindow":0}}' });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.config.location, { ...DEFAULT_LOCATION_SETTINGS, maxSourceMaps: 4, readNodeModulesSourceMaps: true, nextCodeLineWindow: 0 });
  const plain = resolveConfig({}, good);
  assert.deepEqual(plain.ok && plain.config.location, DEFAULT_LOCATION_SETTINGS);
  const bad = resolveConfig({ location: { maxSourceMapBytes: 0, maxCandidates: 2.5 } }, good);
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.problems.join('; ') : '', /location.maxSourceMapBytes must be a positive integer, got 0; location.maxCandidates must be a positive integer, got 2.5/);
});
