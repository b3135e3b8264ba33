import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { presentationHint, valueText } from './valueText';

test('masked, cut, getter, proxy and cycle values say what they are; nothing reads as empty', () => {
  assert.equal(valueText({ kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] }), '[MASKED:email]');
  assert.deepEqual(presentationHint({ kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] }), { kind: 'data', attributes: ['readOnly'], visibility: 'public' });
  assert.equal(valueText({ kind: pb.ValueKind.STRING, text: 'abc', cut: { reason: pb.CutReason.STRING_LENGTH, originalSize: 5000 } }), '"abc" … (cut at the string length limit; 5000 characters in all)');
  assert.equal(valueText({ kind: pb.ValueKind.STRING, text: '' }), '""');
  assert.equal(valueText({ kind: pb.ValueKind.GETTER, text: '[Getter]' }), '[Getter] (not run by Keyhole)');
  assert.equal(valueText({ kind: pb.ValueKind.PROXY, text: 'Proxy' }), 'Proxy (not looked into)');
  assert.equal(valueText({ kind: pb.ValueKind.CYCLE, text: '[Circular]', className: 'Node' }), '[Circular] Node');
  assert.equal(valueText({ kind: pb.ValueKind.OBJECT, text: 'Order', masked: ['card'], cut: { reason: pb.CutReason.DEPTH } }), 'Order … (not captured: depth limit) (masked inside: card)');
  assert.equal(valueText({ kind: pb.ValueKind.OBJECT }), 'object');
});
