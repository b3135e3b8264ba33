import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { SnapshotModel } from './snapshotModel';

const local = (name: string, text: string): pb.IScope => ({ kind: pb.ScopeKind.LOCAL, variables: [{ name, value: { kind: pb.ValueKind.NUMBER, text } }] });
const frame = (functionName: string, localsCaptured: boolean, scopes: pb.IScope[] = []): pb.IStackFrame => ({ functionName, generated: { path: '/srv/app.js', line: 3, column: 1 }, localsCaptured, scopes });

test('a frame whose variables were not captured says so, and how many frames have them, instead of showing nothing', () => {
  const model = new SnapshotModel();
  const open = model.open({ id: 's1', frames: [frame('handle', true, [local('qty', '2')]), frame('route', true, [local('req', '1')]), frame('dispatch', false)] }, 'p');
  const id = (i: number) => open.threadId * SnapshotModel.FRAME_ID_STRIDE + i;
  assert.deepEqual(model.scopes(id(0))!.map((s) => s.name), ['Local']);
  assert.deepEqual(model.scopes(id(2)), [{ name: 'Variables not captured: this snapshot has them for its first 2 frames only (framesWithLocals)', variablesReference: 0, expensive: false }]);
  const one = model.open({ id: 's2', frames: [frame('handle', true, [local('qty', '2')]), frame('route', false)] }, 'p');
  assert.equal(model.scopes(one.threadId * SnapshotModel.FRAME_ID_STRIDE + 1)![0]!.name, 'Variables not captured: this snapshot has them for its first frame only (framesWithLocals)');
  const none = model.open({ id: 's3', frames: [frame('handle', false)] }, 'p');
  assert.equal(model.scopes(none.threadId * SnapshotModel.FRAME_ID_STRIDE)![0]!.name, 'Variables not captured in this snapshot');
});

test('a frame with variables captured but no scopes to show (nothing in scope) shows no placeholder', () => {
  const model = new SnapshotModel();
  const open = model.open({ id: 's1', frames: [frame('empty', true)] }, 'p');
  assert.deepEqual(model.scopes(open.threadId * SnapshotModel.FRAME_ID_STRIDE), []);
});
