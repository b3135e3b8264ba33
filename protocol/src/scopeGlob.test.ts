import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inScope } from './scopeGlob';

test('scope globs match whole paths or tails at segment boundaries, the way the agent does', () => {
  const cases: [string, string[], boolean][] = [
    ['src/orders/cart.ts', ['src/orders/**'], true],
    ['/home/dev/shop/src/orders/cart.ts', ['src/orders/**'], true],
    ['mysrc/orders/cart.ts', ['src/orders/**'], false],
    ['src/billing/pay.ts', ['src/orders/**'], false],
    ['src/a.ts', ['src/*.ts'], true],
    ['src/deep/a.ts', ['src/*.ts'], false],
    ['lib/x/handler.ts', ['**/handler.ts'], true],
    ['src/orders/../billing/pay.ts', ['src/**'], true],
    ['../secrets/key.ts', ['**'], false],
    ['src\\orders\\cart.ts', ['src/orders/**'], true],
    ['src/a.js', ['src/?.js'], true],
    ['src/ab.js', ['src/?.js'], false],
  ];
  for (const [path, globs, expected] of cases) assert.equal(inScope(path, globs), expected, `${path} in ${globs.join(',')}`);
});
