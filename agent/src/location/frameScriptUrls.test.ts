import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameScriptUrls } from './frameScriptUrls';

test('scripts without a URL and file scripts are not held; Node builtins are', () => {
  const urls = new FrameScriptUrls(10);
  for (let i = 0; i < 1000; i++) urls.add(`fn${i}`, ''); // new Function per request
  urls.add('f1', 'file:///app/server.js');
  urls.add('f2', '/app/plain-path.js');
  urls.add('n1', 'node:internal/timers');
  assert.equal(urls.size, 1);
  assert.equal(urls.get('n1'), 'node:internal/timers');
  assert.equal(urls.get('fn1'), undefined);
  assert.equal(urls.get('f1'), undefined, 'the script index answers for files');
});

test('other scripts are bounded: a vm script per request keeps only the most recent, and builtins stay', () => {
  const urls = new FrameScriptUrls(100);
  urls.add('n1', 'node:events');
  for (let i = 0; i < 100_000; i++) urls.add(`vm${i}`, 'evalmachine.<anonymous>');
  assert.equal(urls.size, 101);
  assert.equal(urls.get('vm99999'), 'evalmachine.<anonymous>');
  assert.equal(urls.get('vm0'), undefined);
  assert.equal(urls.get('n1'), 'node:events');
  urls.clear();
  assert.equal(urls.size, 0);
});
