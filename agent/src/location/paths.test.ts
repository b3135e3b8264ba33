import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commonSuffixLength, isFileScriptUrl, lastSegment, pathSegments, stemOf } from './paths';

test('file URLs, plain paths and Windows paths become the same segments', () => {
  const expected = ['srv', 'app', 'src', 'orders', 'handler.ts'];
  assert.deepEqual(pathSegments('file:///srv/app/src/orders/handler.ts'), expected);
  assert.deepEqual(pathSegments('/srv/app/src/orders/handler.ts'), expected);
  assert.deepEqual(pathSegments('\\srv\\app\\src\\orders\\handler.ts'), expected);
  assert.deepEqual(pathSegments('/srv/./app/lib/../src//orders/handler.ts'), expected);
  assert.deepEqual(pathSegments('C:\\srv\\app\\handler.ts'), ['c:', 'srv', 'app', 'handler.ts']);
  assert.deepEqual(pathSegments('file:///C:/srv/app/handler.ts'), ['c:', 'srv', 'app', 'handler.ts']);
});

test('URLs are percent-decoded and lose query and fragment; plain paths keep a literal %', () => {
  assert.deepEqual(pathSegments('file:///srv/my%20app/a%2Bb.ts'), ['srv', 'my app', 'a+b.ts']);
  assert.deepEqual(pathSegments('webpack://shop/./src/a.ts?abc#x'), ['shop', 'src', 'a.ts']);
  assert.deepEqual(pathSegments('file:///srv/100%/a.ts'), ['srv', '100%', 'a.ts']);
  assert.deepEqual(pathSegments('src/50%20off.ts'), ['src', '50%20off.ts']);
});

test('relative paths keep leading .. segments', () => {
  assert.deepEqual(pathSegments('./src/a.ts'), ['src', 'a.ts']);
  assert.deepEqual(pathSegments('../../src/a.ts'), ['..', '..', 'src', 'a.ts']);
});

test('common suffix counts whole segments from the end', () => {
  const deployed = pathSegments('/srv/app/src/orders/handler.ts');
  assert.equal(commonSuffixLength(pathSegments('/home/dev/shop/src/orders/handler.ts'), deployed), 3);
  assert.equal(commonSuffixLength(pathSegments('handler.ts'), deployed), 1);
  assert.equal(commonSuffixLength(pathSegments('xorders/handler.ts'), deployed), 1);
  assert.equal(commonSuffixLength(pathSegments('handler.js'), deployed), 0);
});

test('only file scripts are matchable: url-less, node: and eval scripts are not', () => {
  assert.equal(isFileScriptUrl('file:///srv/app/a.js'), true);
  assert.equal(isFileScriptUrl('/srv/app/a.js'), true);
  assert.equal(isFileScriptUrl('C:\\srv\\a.js'), true);
  for (const url of ['', 'node:internal/modules/cjs/loader', 'node:fs', 'evalmachine.<anonymous>', 'data:text/javascript,1', 'https://x/a.js']) {
    assert.equal(isFileScriptUrl(url), false, url);
  }
});

test('stems drop only the last extension', () => {
  assert.equal(stemOf('handler.ts'), 'handler');
  assert.equal(stemOf('a.test.js'), 'a.test');
  assert.equal(stemOf('.env'), '.env');
  assert.equal(stemOf('Makefile'), 'Makefile');
});

test('the fast basename of add agrees with the full normalisation', () => {
  const segment = fc.oneof(fc.constantFrom('.', '..', '', 'a.js', 'b%20c.ts', 'C:', 'x?y', 'p#q', ' s '), fc.string({ maxLength: 6 }));
  const prefix = fc.constantFrom('', '/', 'file:///', 'file://host/', 'webpack://app/', 'C:\\', '\\\\srv\\');
  fc.assert(
    fc.property(prefix, fc.array(segment, { maxLength: 5 }), fc.constantFrom('/', '\\'), (start, parts, separator) => {
      const input = start + parts.join(separator);
      assert.equal(lastSegment(input), pathSegments(input).at(-1), JSON.stringify(input));
    }),
    { numRuns: 2000 },
  );
});
