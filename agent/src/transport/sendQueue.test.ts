import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendQueue, type QueuedFrame } from './sendQueue';

const log = (n: number, size = 10): QueuedFrame => ({ kind: 'logLine', bytes: new Uint8Array(size).fill(n) });
const snap = (n: number, size = 10): QueuedFrame => ({ kind: 'snapshot', bytes: new Uint8Array(size).fill(n) });
const status = (probe: string, n: number, size = 10): QueuedFrame => ({ kind: 'probeStatus', bytes: new Uint8Array(size).fill(n), coalesceKey: `probeStatus:${probe}` });

function drain(q: SendQueue): string[] {
  const out: string[] = [];
  for (let f = q.shift(); f; f = q.shift()) out.push(`${f.kind}:${f.bytes[0] ?? ''}`);
  return out;
}

test('frames come out in the order they went in', () => {
  const q = new SendQueue({ maxFrames: 10, maxBytes: 1000 });
  q.push(log(1));
  q.push(snap(2));
  q.push(status('p', 3));
  assert.equal(q.length, 3);
  assert.equal(q.bytes, 30);
  assert.deepEqual(drain(q), ['logLine:1', 'snapshot:2', 'probeStatus:3']);
  assert.equal(q.bytes, 0);
});

test('when full by frame count the oldest frames are dropped and counted per kind', () => {
  const q = new SendQueue({ maxFrames: 3, maxBytes: 1000 });
  q.push(snap(1));
  q.push(log(2));
  q.push(log(3));
  const r = q.push(log(4));
  assert.deepEqual(r, { accepted: true, evicted: 1, coalesced: false });
  q.push(log(5));
  assert.deepEqual(q.dropped(), { probeStatus: 0, snapshot: 1, logLine: 1, heartbeat: 0, error: 0 });
  assert.deepEqual(drain(q), ['logLine:3', 'logLine:4', 'logLine:5']);
});

test('when full by bytes as many old frames go as the new one needs', () => {
  const q = new SendQueue({ maxFrames: 100, maxBytes: 100 });
  for (let i = 1; i <= 5; i++) q.push(log(i, 20));
  const r = q.push(snap(9, 50));
  assert.equal(r.accepted && r.evicted, 3);
  assert.equal(q.bytes, 90);
  assert.deepEqual(drain(q), ['logLine:4', 'logLine:5', 'snapshot:9']);
});

test('a frame larger than the whole byte budget is refused, and nothing else is lost', () => {
  const q = new SendQueue({ maxFrames: 10, maxBytes: 100 });
  q.push(log(1));
  assert.deepEqual(q.push(snap(2, 101)), { accepted: false, reason: 'frame-too-large' });
  assert.equal(q.dropped()['snapshot'], 1);
  assert.deepEqual(drain(q), ['logLine:1']);
});

test('a newer status of the same probe replaces the queued one and moves behind what came before it', () => {
  const q = new SendQueue({ maxFrames: 10, maxBytes: 1000 });
  q.push(status('a', 1));
  q.push(snap(2));
  q.push(status('b', 3));
  const r = q.push(status('a', 4));
  assert.deepEqual(r, { accepted: true, evicted: 0, coalesced: true });
  assert.equal(q.coalesced, 1);
  assert.equal(q.dropped()['probeStatus'], 0, 'a replaced status is not a loss');
  assert.deepEqual(drain(q), ['snapshot:2', 'probeStatus:3', 'probeStatus:4']);
});

test('overflow evicts snapshots and log lines before any probe status', () => {
  const q = new SendQueue({ maxFrames: 3, maxBytes: 1000 });
  q.push(status('a', 1));
  q.push(status('b', 2));
  q.push(log(3));
  q.push(status('c', 4));
  assert.deepEqual(q.dropped(), { probeStatus: 0, snapshot: 0, logLine: 1, heartbeat: 0, error: 0 });
  // Only statuses now: a snapshot gives way to them rather than evicting one.
  assert.deepEqual(q.push(snap(5)), { accepted: false, reason: 'queue-full' });
  assert.equal(q.dropped()['snapshot'], 1);
  assert.deepEqual(drain(q), ['probeStatus:1', 'probeStatus:2', 'probeStatus:4']);
});

test('with more probes than slots the oldest status makes room for a newer one', () => {
  const q = new SendQueue({ maxFrames: 2, maxBytes: 1000 });
  q.push(status('a', 1));
  q.push(status('b', 2));
  q.push(status('c', 3));
  assert.equal(q.dropped()['probeStatus'], 1);
  assert.deepEqual(drain(q), ['probeStatus:2', 'probeStatus:3']);
});

test('clear() counts what it discards', () => {
  const q = new SendQueue({ maxFrames: 10, maxBytes: 1000 });
  q.push(log(1));
  q.push(snap(2));
  q.clear();
  assert.equal(q.length, 0);
  assert.equal(q.bytes, 0);
  assert.deepEqual(q.dropped(), { probeStatus: 0, snapshot: 1, logLine: 1, heartbeat: 0, error: 0 });
});
