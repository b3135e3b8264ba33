import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TempTree, lineOf } from './fixtures/tempTree';
import { ScriptIndex, resolveProbeLocation, mapGeneratedToOriginal, type Resolution } from './index';

const tree = new TempTree('plain');
after(() => tree.dispose());

const HANDLER_JS = `'use strict';
// Orders handler, plain JavaScript.

function handle(order) {
  const count = order.items.length; // @probe:count
  /* a block comment
     spanning lines */ // @probe:in-block-comment

  return count * 2; // @probe:return
}
const banner = \`multi
line
template\`; // @probe:template-end
module.exports = { handle, banner };
`;
const BILLING_JS = `exports.handle = function (invoice) {\n  return invoice.total; // @probe:billing\n};\n`;

tree.write('srv/app/orders/handler.js', HANDLER_JS);
tree.write('srv/app/billing/handler.js', BILLING_JS);

function indexWithBothHandlers(): ScriptIndex {
  const index = new ScriptIndex();
  index.add({ scriptId: '10', url: tree.url('srv/app/orders/handler.js') });
  index.add({ scriptId: '11', url: tree.url('srv/app/billing/handler.js') });
  return index;
}

function expectOk(r: Resolution): Extract<Resolution, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r;
}

test('a bare basename that two scripts share is ambiguous, with both paths as candidates', () => {
  const r = resolveProbeLocation(indexWithBothHandlers(), 'handler.js', 2);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'KH_LOCATION_AMBIGUOUS');
  assert.deepEqual(r.candidates, [tree.path('srv/app/billing/handler.js'), tree.path('srv/app/orders/handler.js')]);
});

test('one more folder makes it unique; the line with code stays as asked', () => {
  const line = lineOf(HANDLER_JS, '@probe:count');
  const r = expectOk(resolveProbeLocation(indexWithBothHandlers(), 'orders/handler.js', line));
  assert.equal(r.scriptId, '10');
  assert.equal(r.url, tree.url('srv/app/orders/handler.js'));
  assert.equal(r.line, line);
  assert.equal(r.column, 3, 'the first token of the line');
  assert.equal(r.originalPath, tree.path('srv/app/orders/handler.js'));
  assert.equal(r.note, undefined);
  const billing = expectOk(resolveProbeLocation(indexWithBothHandlers(), 'C:\\work\\shop\\billing\\handler.js', lineOf(BILLING_JS, '@probe:billing')));
  assert.equal(billing.scriptId, '11');
});

test('the content hash of plain JS is the sha256 of the script file', () => {
  const r = expectOk(resolveProbeLocation(indexWithBothHandlers(), '/home/dev/shop/orders/handler.js', 5));
  const expected = createHash('sha256').update(readFileSync(tree.path('srv/app/orders/handler.js'))).digest('hex');
  assert.equal(r.deployedSha256, expected);
});

test('a developer column is kept', () => {
  const line = lineOf(HANDLER_JS, '@probe:count');
  assert.equal(expectOk(resolveProbeLocation(indexWithBothHandlers(), 'orders/handler.js', line, 17)).column, 17);
});

test('a probe on a blank or comment line moves to the next line with code, and says so', () => {
  const index = indexWithBothHandlers();
  const blank = lineOf(HANDLER_JS, '@probe:count') + 3; // the blank line after the block comment
  const r = expectOk(resolveProbeLocation(index, 'orders/handler.js', lineOf(HANDLER_JS, '@probe:in-block-comment')));
  assert.equal(r.line, lineOf(HANDLER_JS, '@probe:return'));
  assert.equal(r.column, 3);
  assert.match(r.note ?? '', /has no code; the probe is on line/);
  assert.equal(expectOk(resolveProbeLocation(index, 'orders/handler.js', blank)).line, lineOf(HANDLER_JS, '@probe:return'));
  // Inside a multi-line template literal no token starts: the next line with one is used.
  const templateEnd = lineOf(HANDLER_JS, '@probe:template-end');
  assert.equal(expectOk(resolveProbeLocation(index, 'orders/handler.js', templateEnd - 1)).line, templateEnd);
});

test('no code within the window, or past the end of the file, is KH_LOCATION_NO_CODE_ON_LINE', () => {
  tree.write('srv/app/comments/only.js', `exports.a = 1;\n${'// nothing here\n'.repeat(8)}exports.b = 2;\n`);
  const index = new ScriptIndex({ settings: { nextCodeLineWindow: 3 } });
  index.add({ scriptId: '1', url: tree.url('srv/app/comments/only.js') });
  const r = resolveProbeLocation(index, 'only.js', 2);
  assert.equal(r.ok ? 'ok' : r.code, 'KH_LOCATION_NO_CODE_ON_LINE');
  const past = resolveProbeLocation(index, 'only.js', 500);
  assert.equal(past.ok ? 'ok' : past.code, 'KH_LOCATION_NO_CODE_ON_LINE');
  assert.match(past.ok ? '' : past.message, /has 11 lines/);
});

test('not found lists close candidates: the same basename in another case, then the same stem', () => {
  const index = indexWithBothHandlers();
  tree.write('srv/app/admin/Handler.js', 'exports.x = 1;\n');
  index.add({ scriptId: '12', url: tree.url('srv/app/admin/Handler.js') });
  const r = resolveProbeLocation(index, 'src/orders/handler.ts', 3);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'KH_LOCATION_NOT_FOUND');
  assert.deepEqual(r.candidates, [tree.path('srv/app/admin/Handler.js'), tree.path('srv/app/billing/handler.js'), tree.path('srv/app/orders/handler.js')]);
  const none = resolveProbeLocation(index, 'src/nothing/like/this.ts', 3);
  assert.deepEqual(none.ok ? 'ok' : [none.code, none.candidates], ['KH_LOCATION_NOT_FOUND', []]);
});

test('a probe on a file not loaded yet resolves once the script is added, and not after it is removed', () => {
  const index = new ScriptIndex();
  assert.equal(resolveProbeLocation(index, 'orders/handler.js', 5).ok, false);
  index.add({ scriptId: '20', url: tree.url('srv/app/orders/handler.js') });
  assert.equal(expectOk(resolveProbeLocation(index, 'orders/handler.js', 5)).scriptId, '20');
  index.remove('20');
  assert.equal(index.size, 0);
  assert.equal(resolveProbeLocation(index, 'orders/handler.js', 5).ok, false);
});

test('url-less, node: and other non-file scripts are not indexed', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '1', url: '' });
  index.add({ scriptId: '2', url: 'node:internal/modules/cjs/loader' });
  index.add({ scriptId: '3', url: 'node:fs' });
  index.add({ scriptId: '4', url: 'evalmachine.<anonymous>' });
  assert.equal(index.size, 0);
  const r = resolveProbeLocation(index, 'internal/modules/cjs/loader.js', 1);
  assert.equal(r.ok ? 'ok' : r.code, 'KH_LOCATION_NOT_FOUND');
  assert.equal(mapGeneratedToOriginal(index, '2', 1, 1), undefined);
});

test('a script URL given as a plain path works like a file: URL', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '30', url: tree.path('srv/app/orders/handler.js') });
  assert.equal(expectOk(resolveProbeLocation(index, 'orders/handler.js', 5)).scriptId, '30');
});

test('the same file loaded twice gives one location and the other in alsoAt', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '40', url: tree.url('srv/app/orders/handler.js') });
  index.add({ scriptId: '41', url: tree.url('srv/app/orders/handler.js') });
  const r = expectOk(resolveProbeLocation(index, 'orders/handler.js', 5));
  assert.equal(r.scriptId, '40');
  assert.deepEqual(r.alsoAt, [{ scriptId: '41', url: tree.url('srv/app/orders/handler.js'), line: 5, column: 3 }]);
});

test('bad requests are KH_LOCATION_INVALID_REQUEST', () => {
  const index = indexWithBothHandlers();
  for (const [path, line, column] of [['orders/handler.js', 0, undefined], ['orders/handler.js', 1.5, undefined], ['orders/handler.js', 1, 0], ['', 1, undefined], ['./', 1, undefined]] as const) {
    const r = resolveProbeLocation(index, path, line, column);
    assert.equal(r.ok ? 'ok' : r.code, 'KH_LOCATION_INVALID_REQUEST', `${path}:${line}:${column}`);
  }
});

test('a frame in a plain script maps to itself', () => {
  const index = indexWithBothHandlers();
  assert.deepEqual(mapGeneratedToOriginal(index, '10', 5, 3), { path: tree.path('srv/app/orders/handler.js'), line: 5, column: 3 });
  assert.deepEqual(mapGeneratedToOriginal(index, tree.url('srv/app/billing/handler.js'), 2, 3), { path: tree.path('srv/app/billing/handler.js'), line: 2, column: 3 });
  assert.equal(mapGeneratedToOriginal(index, 'unknown', 1, 1), undefined);
});

test('a file changed on disk after V8 loaded it reports the hash of the code that runs, and its lines are not trusted', () => {
  tree.write('srv/app/deployed/handler.js', HANDLER_JS);
  const running = createHash('sha256').update(HANDLER_JS).digest('hex');
  const same = new ScriptIndex();
  same.add({ scriptId: '20', url: tree.url('srv/app/deployed/handler.js'), hash: running });
  const unchanged = expectOk(resolveProbeLocation(same, 'deployed/handler.js', lineOf(HANDLER_JS, '@probe:count') + 3));
  assert.equal(unchanged.deployedSha256, running);
  assert.match(unchanged.note ?? '', /has no code; the probe is on line/, 'an unchanged file is checked for code as before');
  // The next release lands on disk; V8 still runs the old code.
  tree.write('srv/app/deployed/handler.js', '// v2\n' + HANDLER_JS);
  const changed = new ScriptIndex();
  changed.add({ scriptId: '21', url: tree.url('srv/app/deployed/handler.js'), hash: running });
  const r = expectOk(resolveProbeLocation(changed, 'deployed/handler.js', lineOf(HANDLER_JS, '@probe:count')));
  assert.equal(r.deployedSha256, running);
  assert.equal(r.line, lineOf(HANDLER_JS, '@probe:count'));
  assert.match(r.note ?? '', /changed on disk after it was loaded/);
});
