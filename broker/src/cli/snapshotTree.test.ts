import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { parseLocation } from './commands/probes';
import { DEFAULT_TREE_LIMITS, renderSnapshotTree, type SnapshotJson, valueText } from './snapshotTree';

const snapshot = pb.Snapshot.toObject(
  pb.Snapshot.create({
    id: 's1',
    probeId: 'p1',
    service: 'orders',
    instanceId: 'i-1',
    capturedAtMs: Date.UTC(2025, 0, 2, 3, 4, 5),
    maskedKinds: ['email'],
    frames: [
      {
        functionName: 'checkout',
        generated: { path: 'dist/cart.js', line: 40, column: 3 },
        original: { path: 'src/cart.ts', line: 12, column: 5 },
        scopes: [
          {
            kind: pb.ScopeKind.LOCAL,
            variables: [
              { name: 'email', value: { kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] } },
              { name: 'note', value: { kind: pb.ValueKind.STRING, text: 'hello', cut: { reason: pb.CutReason.STRING_LENGTH, originalSize: 900 } } },
              {
                name: 'items',
                value: { kind: pb.ValueKind.ARRAY, text: 'Array(30)', properties: Array.from({ length: 3 }, (_, i) => ({ name: String(i), value: { kind: pb.ValueKind.NUMBER, text: String(i) } })) },
              },
            ],
          },
          { kind: pb.ScopeKind.MODULE, variables: [{ name: 'hidden', value: { kind: pb.ValueKind.NUMBER, text: '1' } }] },
        ],
      },
      { functionName: '', generated: { path: 'dist/main.js', line: 1 } },
    ],
  }),
  { enums: String, longs: Number, defaults: false },
) as SnapshotJson;

test('a snapshot renders as a stack with the variables of its frames, masks as the agent wrote them', () => {
  const text = renderSnapshotTree(snapshot, { maxFrames: 8, maxFramesWithVariables: 1, maxDepth: 3, maxChildren: 2, scopeKinds: ['LOCAL'] });
  assert.equal(
    text,
    [
      'snapshot s1  probe p1  orders/i-1  2025-01-02T03:04:05.000Z',
      'masked: email',
      '#0 checkout  src/cart.ts:12:5',
      '   local',
      '     email = [MASKED:email]',
      '     note = "hello" (cut: string_length, was 900)',
      '     items = Array(30)',
      '       0 = 0',
      '       1 = 1',
      '       … 1 more',
      '#1 (anonymous)  dist/main.js:1',
      '',
    ].join('\n'),
  );
});

test('values: strings quoted unless they are a marker, empty values named by kind', () => {
  assert.equal(valueText({ kind: 'STRING', text: 'a"b' }), '"a\\"b"');
  assert.equal(valueText({ kind: 'STRING', text: '[DROPPED:masking]' }), '[DROPPED:masking]');
  assert.equal(valueText({ kind: 'NULL' }), 'null');
  assert.equal(valueText({ kind: 'OBJECT', className: 'Order', text: '' }), 'Order');
  assert.equal(valueText(undefined), 'undefined');
});

test('probe locations are file:line, split at the last colon', () => {
  assert.deepEqual(parseLocation('src/a.ts:42'), { path: 'src/a.ts', line: 42 });
  assert.deepEqual(parseLocation('C:/src/a.ts:7'), { path: 'C:/src/a.ts', line: 7 });
  assert.throws(() => parseLocation('src/a.ts'), /file:line/);
  assert.throws(() => parseLocation('src/a.ts:0'), /file:line/);
});

test('only the innermost frames show their variables', () => {
  const text = renderSnapshotTree(snapshot, { ...DEFAULT_TREE_LIMITS, maxFramesWithVariables: 0 });
  assert.doesNotMatch(text, /email =/);
  assert.match(text, /#0 checkout/);
});
