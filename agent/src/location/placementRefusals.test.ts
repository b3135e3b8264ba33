// Places location never puts a probe: inside a `with` body (withStatements.ts)
// and in the agent's own code (ownCode.ts, here through the index's
// `offLimits` option so the test can name its own files).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TempTree, lineOf } from './fixtures/tempTree';
import { ScriptIndex, nodeFileAccess, resolveProbeLocation, type FileAccess, type Resolution } from './index';
import { findWithBodies } from './withStatements';

const tree = new TempTree('refusals');
after(() => tree.dispose());

const SLOPPY_JS = `// sloppy-mode script: "with" is allowed here
function render(view) {
  const before = view.title; // @probe:before
  with (view) {
    title.trim(); // @probe:in-with
    [1].forEach(function (n) {
      return n + count; // @probe:nested
    });
  }
  return before; // @probe:after
}
module.exports = { render };
`;
tree.write('app/render.js', SLOPPY_JS);

function failed(r: Resolution): Extract<Resolution, { ok: false }> {
  assert.equal(r.ok, false, r.ok ? `placed at ${r.line}` : '');
  return r as Extract<Resolution, { ok: false }>;
}

test('a probe inside a with body, or in a function defined there, is refused; lines around it are placed', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '1', url: tree.url('app/render.js') });
  for (const marker of ['in-with', 'nested']) {
    const r = failed(resolveProbeLocation(index, 'render.js', lineOf(SLOPPY_JS, `@probe:${marker}`)));
    assert.equal(r.code, 'KH_PROBE_IN_WITH', marker);
    assert.match(r.message, /inside a with statement \(lines 4-9\).*getters and Proxy traps/);
  }
  for (const marker of ['before', 'after']) {
    const r = resolveProbeLocation(index, 'render.js', lineOf(SLOPPY_JS, `@probe:${marker}`));
    assert.ok(r.ok, marker);
    assert.equal(r.note, undefined, 'checked, so no note');
  }
});

test('the with search: the words in comments, array.with() and a module parse to no with at all', () => {
  assert.deepEqual(findWithBodies('const a = [1, 2].with(0, 3); // works with (any) array\n', 1000), { kind: 'checked', bodies: [] });
  assert.deepEqual(findWithBodies('export const x = 1; // deals with (x)\n', 1000), { kind: 'checked', bodies: [] });
  assert.deepEqual(findWithBodies('with /* odd */ (o)\n  f(a);\n', 1000), { kind: 'checked', bodies: [{ startLine: 2, endLine: 2 }] });
  assert.deepEqual(findWithBodies('class A { with(x) { return x; } }', 1000), { kind: 'checked', bodies: [] });
  const big = findWithBodies(`with (o) {}\n${' '.repeat(100)}`, 50);
  assert.equal(big.kind, 'unchecked');
  assert.match((big as { reason: string }).reason, /more than the 50 searched/);
  assert.equal(findWithBodies('with (o) { a b }', 1000).kind, 'unchecked', 'a script that does not parse cannot be vouched for');
});

test('placing a probe reads the script once: the with check searches the text placement read', () => {
  const reads: string[] = [];
  const files: FileAccess = { ...nodeFileAccess, read: (path, maxBytes) => (reads.push(path), nodeFileAccess.read(path, maxBytes)) };
  const index = new ScriptIndex({ files });
  index.add({ scriptId: '1', url: tree.url('app/render.js') });
  failed(resolveProbeLocation(index, 'render.js', lineOf(SLOPPY_JS, '@probe:in-with')));
  assert.deepEqual(reads, [tree.path('app/render.js')]);
  // The answer is kept per script: a second probe reads for placement only.
  assert.ok(resolveProbeLocation(index, 'render.js', lineOf(SLOPPY_JS, '@probe:after')).ok);
  assert.equal(reads.length, 2);
});

test('a file changed on disk since V8 loaded it is placed, with a note that it was not checked', () => {
  tree.write('app/changed.js', SLOPPY_JS);
  const index = new ScriptIndex();
  index.add({ scriptId: '2', url: tree.url('app/changed.js'), hash: createHash('sha256').update('other code').digest('hex') });
  const r = resolveProbeLocation(index, 'changed.js', lineOf(SLOPPY_JS, '@probe:in-with'));
  assert.ok(r.ok);
  assert.match(r.note ?? '', /was not checked for a with statement: .*changed on disk/);
});

test('off-limits scripts never match: a service file named like one is found; a path that names one best waits', () => {
  tree.write('agent/dist/config.js', 'exports.x = 1;\n');
  tree.write('svc/dist/config.js', 'exports.y = 2;\n');
  const agentUrl = tree.url('agent/dist/config.js');
  const index = new ScriptIndex({ offLimits: (url) => url === agentUrl });
  index.add({ scriptId: '3', url: agentUrl });
  const onlyAgent = failed(resolveProbeLocation(index, 'agent/dist/config.js', 1));
  assert.equal(onlyAgent.code, 'KH_PROBE_AGENT_CODE', 'before the service file loads');
  assert.match(onlyAgent.message, /the Keyhole agent's own code, better than any file of the service.*never probes its own code.*waits/);
  assert.deepEqual(onlyAgent.candidates, []);

  index.add({ scriptId: '4', url: tree.url('svc/dist/config.js') });
  for (const path of ['config.js', 'dist/config.js', 'svc/dist/config.js']) {
    const r = resolveProbeLocation(index, path, 1);
    assert.ok(r.ok, path);
    assert.equal(r.scriptId, '4', `${path} lands in the service's file`);
  }
  assert.equal(failed(resolveProbeLocation(index, 'agent/dist/config.js', 1)).code, 'KH_PROBE_AGENT_CODE', 'the path names the agent file best');
  const near = failed(resolveProbeLocation(index, 'Config.js', 1));
  assert.deepEqual(near.candidates, [tree.path('svc/dist/config.js')], 'the agent file is no candidate either');
});

test('a file loaded only in a vm context of its own waits; once also in the main context, it is placed there', () => {
  tree.write('app/plugin.js', 'module.exports = 1;\n');
  const index = new ScriptIndex();
  index.add({ scriptId: '5', url: tree.url('app/plugin.js'), inVmContext: true });
  const waiting = failed(resolveProbeLocation(index, 'plugin.js', 1));
  assert.equal(waiting.code, 'KH_PROBE_VM_CONTEXT');
  index.add({ scriptId: '6', url: tree.url('app/plugin.js') });
  const r = resolveProbeLocation(index, 'plugin.js', 1);
  assert.ok(r.ok);
  assert.equal(r.scriptId, '6');
  assert.equal(r.alsoAt, undefined, 'the vm copy is no place for it');
  assert.match(r.note ?? '', /also loaded in a vm context of its own, where it is not probed/);
});

test('an ES module is never searched for with statements: V8 would not have compiled one', () => {
  tree.write('app/view.mjs', SLOPPY_JS);
  const index = new ScriptIndex({ files: { read: () => assert.fail('a module is not read for the with check'), isFile: () => false, readTail: () => undefined } });
  index.add({ scriptId: '7', url: tree.url('app/view.mjs'), isModule: true });
  const script = index.get('7');
  assert.ok(script);
  assert.deepEqual(index.withCheckOf(script), { kind: 'checked', bodies: [] });
});
