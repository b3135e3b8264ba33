import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as inspector from 'node:inspector';
import type { pb } from '@keyhole/protocol';
import { TEST_LIMITS } from './fixtures/testLimits';
import { createSerializeContext, serializeVariables } from './serializer';
import { createRedactor } from '../redact';

test('a binding in its temporal dead zone reads as <uninitialized>, not as a capture error', async () => {
  // `const result = await work()` inside a try block of an async function: while
  // work() runs, the caller's block scope holds `result` uninitialized, and
  // reading it from the scope object throws a ReferenceError. Real snapshots
  // meet this in every awaiting request handler up the stack.
  const session = new inspector.Session();
  session.connect();
  let variables: pb.Property.$Properties[] = [];
  let errors: pb.CaptureError.$Properties[] = [['unset'] as never];
  const g = globalThis as Record<string, unknown>;
  g['__keyholeTdzReceive'] = (holder: object) => {
    const ctx = createSerializeContext(TEST_LIMITS, createRedactor());
    variables = serializeVariables(holder, ctx).variables;
    errors = ctx.errors;
  };
  session.on('Debugger.paused', (m) => {
    // The awaiting caller's frame: its block scope holds `result`, not yet initialized.
    const caller = m.params.callFrames[1]!;
    const block = caller.scopeChain.find((s) => s.type === 'block');
    session.post('Runtime.callFunctionOn', { objectId: block!.object.objectId!, functionDeclaration: 'function () { globalThis.__keyholeTdzReceive(this); }' });
  });
  session.post('Debugger.enable');
  try {
    async function work(): Promise<number> {
      debugger;
      return 2;
    }
    async function handler(): Promise<number> {
      try {
        const result = await work();
        return result;
      } finally {
        // A finally block makes `result` live in its own block scope.
      }
    }
    assert.equal(await handler(), 2);
  } finally {
    session.post('Debugger.disable');
    session.disconnect();
    delete g['__keyholeTdzReceive'];
  }
  // Node 20's V8 reads such a binding as undefined; newer V8 (Node 24, as in
  // VS Code's extension host) throws a ReferenceError, which must come out as
  // <uninitialized> and never as a capture error.
  assert.deepEqual(errors, []);
  const result = variables.find((v) => v.name === 'result')?.value;
  assert.equal(result?.kind, 1);
  assert.ok(result?.text === '<uninitialized>' || result?.text === 'undefined', result?.text);
});
