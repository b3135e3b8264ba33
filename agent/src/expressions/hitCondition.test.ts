import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHitCondition } from './hitCondition';

function hitsThatPass(text: string, upTo = 10): number[] {
  const parsed = parseHitCondition(text);
  assert.ok(parsed.ok, text);
  const passing: number[] = [];
  for (let hit = 1; hit <= upTo; hit++) if (parsed.test(hit)) passing.push(hit);
  return passing;
}

test('each operator selects the hits VS Code users expect', () => {
  assert.deepEqual(hitsThatPass('5'), [5]);
  assert.deepEqual(hitsThatPass('== 5'), [5]);
  assert.deepEqual(hitsThatPass('=5'), [5]);
  assert.deepEqual(hitsThatPass('=== 5'), [5]);
  assert.deepEqual(hitsThatPass('>= 8'), [8, 9, 10]);
  assert.deepEqual(hitsThatPass('> 8'), [9, 10]);
  assert.deepEqual(hitsThatPass('< 3'), [1, 2]);
  assert.deepEqual(hitsThatPass('<= 3'), [1, 2, 3]);
  assert.deepEqual(hitsThatPass('% 3'), [3, 6, 9]);
  assert.deepEqual(hitsThatPass('  %3  '), [3, 6, 9]);
});

test('anything else is refused with KH_HIT_CONDITION', () => {
  for (const text of ['', 'five', '> -1', '!= 3', '>> 2', '5 5', '1.5', 'hits > 3', '% 0', '99999999999999999999']) {
    const parsed = parseHitCondition(text);
    assert.equal(parsed.ok, false, text);
    if (!parsed.ok) {
      assert.equal(parsed.code, 'KH_HIT_CONDITION');
      assert.ok(parsed.message.startsWith(`hit condition ${JSON.stringify(text)} `), parsed.message);
    }
  }
});
