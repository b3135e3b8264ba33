import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromV8Position, toV8Position } from './v8Positions';

test('1-based positions convert to V8 0-based ones and back', () => {
  assert.deepEqual(toV8Position(1, 1), { lineNumber: 0, columnNumber: 0 });
  assert.deepEqual(fromV8Position({ lineNumber: 41, columnNumber: 4 }), { line: 42, column: 5 });
  assert.deepEqual(fromV8Position({ lineNumber: 9 }), { line: 10, column: 1 });
  assert.deepEqual(fromV8Position(toV8Position(7, 3)), { line: 7, column: 3 });
});
