import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StableNames } from './support/stableNames';

test('grant and probe ids are named stably, also when they start or end with - or _', () => {
  const names = new StableNames();
  const text = 'grant g_O9aKOnvstTQ- expired; grant g_-abcdefghijk ok; probe p_abcdefghij_k, p_abcdefghij_k again; g_O9aKOnvstTQ-.';
  assert.equal(
    names.normalise(text),
    'grant <grant-1> expired; grant <grant-2> ok; probe <probe-1>, <probe-1> again; <grant-1>.',
  );
});

test('a longer token that merely contains an id-like run is left alone', () => {
  assert.equal(new StableNames().normalise('xg_abcdefghijkl g_abcdefghijklm'), 'xg_abcdefghijkl g_abcdefghijklm');
});

test('literals go first, then ports and times', () => {
  const names = new StableNames([['/tmp/kh-123', '<tmp>']]);
  assert.equal(names.normalise('/tmp/kh-123/a.js at 127.0.0.1:40123 12:01:02.345'), '<tmp>/a.js at 127.0.0.1:<port> <time>');
});
