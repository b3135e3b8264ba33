import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { TempTree } from './fixtures/tempTree';
import { nodeFileAccess, type FileAccess } from './fileAccess';
import { ScriptIndex, resolveProbeLocation } from './index';

const tree = new TempTree('index');
after(() => tree.dispose());

/** node:fs, with the path of every call recorded. */
function recordingFiles(): { files: FileAccess; paths: string[] } {
  const paths: string[] = [];
  const files: FileAccess = {
    read: (path, max) => (paths.push(path), nodeFileAccess.read(path, max)),
    isFile: (path) => (paths.push(path), nodeFileAccess.isFile(path)),
    readTail: (path, bytes) => (paths.push(path), nodeFileAccess.readTail(path, bytes)),
  };
  return { files, paths };
}

const MAP = (source: string) => JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAAA' });

test('add reads no file; resolving reads the maps V8 reported, once', () => {
  tree.write('app/dist/a.js', 'exports.a = 1;\n//# sourceMappingURL=a.js.map\n');
  tree.write('app/dist/a.js.map', MAP('../src/a.ts'));
  tree.write('app/dist/b.js', 'exports.b = 1;\n//# sourceMappingURL=b.js.map\n');
  tree.write('app/dist/b.js.map', MAP('../src/b.ts'));
  const { files, paths } = recordingFiles();
  const index = new ScriptIndex({ files });
  index.add({ scriptId: '1', url: tree.url('app/dist/a.js'), sourceMapURL: 'a.js.map' });
  index.add({ scriptId: '2', url: tree.url('app/dist/b.js'), sourceMapURL: 'b.js.map' });
  assert.equal(paths.length, 0, "add reads nothing");
  assert.equal(resolveProbeLocation(index, 'src/a.ts', 1).ok, true);
  assert.equal(resolveProbeLocation(index, 'src/b.ts', 1).ok, true);
  assert.equal(resolveProbeLocation(index, 'src/b.ts', 1).ok, true);
  const mapReads = paths.filter((p) => p.endsWith('.map')).sort();
  assert.deepEqual(mapReads, [tree.path('app/dist/a.js.map'), tree.path('app/dist/b.js.map')]);
});

test('maps of scripts under node_modules are not read unless asked, but a script named like the probed file is', () => {
  tree.write('app/node_modules/lib/dist/bundle.js', 'exports.x = 1;\n');
  tree.write('app/node_modules/lib/dist/bundle.js.map', MAP('../src/feature.ts'));
  tree.write('app/node_modules/lib/dist/feature.js', 'exports.y = 1;\n');
  tree.write('app/node_modules/lib/dist/feature.js.map', MAP('../src/feature.ts'));
  const add = (index: ScriptIndex, which: string) => index.add({ scriptId: which, url: tree.url(`app/node_modules/lib/dist/${which}.js`), sourceMapURL: `${which}.js.map` });

  const bundleOnly = new ScriptIndex();
  add(bundleOnly, 'bundle');
  assert.equal(resolveProbeLocation(bundleOnly, 'lib/src/feature.ts', 1).ok, false);
  const optIn = new ScriptIndex({ settings: { readNodeModulesSourceMaps: true } });
  add(optIn, 'bundle');
  assert.equal(resolveProbeLocation(optIn, 'lib/src/feature.ts', 1).ok, true);

  const sameName = new ScriptIndex();
  add(sameName, 'feature');
  assert.equal(resolveProbeLocation(sameName, 'lib/src/feature.ts', 1).ok, true);
});

test('a lookup miss finds a hidden map beside a bundle, checking each script at most once and a bounded number per lookup', () => {
  // A bundle built with "external" maps: bundle.js names no map, bundle.js.map sits beside it.
  tree.write('hidden/dist/bundle.js', 'exports.total = 1;\n');
  tree.write('hidden/dist/bundle.js.map', MAP('../src/orders.ts'));
  tree.write('hidden/src/orders.ts', 'export const total = 1;\n');
  for (const n of [1, 2, 3]) tree.write(`hidden/dist/other${n}.js`, 'exports.x = 1;\n');
  const { files, paths } = recordingFiles();
  const index = new ScriptIndex({ files, settings: { siblingMapChecksPerLookup: 2 } });
  for (const n of [1, 2, 3]) index.add({ scriptId: `o${n}`, url: tree.url(`hidden/dist/other${n}.js`) });
  index.add({ scriptId: 'b', url: tree.url('hidden/dist/bundle.js') });
  index.add({ scriptId: 'nm', url: tree.url('hidden/node_modules/dep/index.js') });
  const siblingChecks = () => paths.filter((p) => p.endsWith('.map')).length;
  const first = resolveProbeLocation(index, 'src/orders.ts', 1);
  assert.equal(first.ok, false, 'two checks per lookup do not reach the fourth script');
  assert.equal(siblingChecks(), 2);
  const second = resolveProbeLocation(index, 'src/orders.ts', 1);
  assert.ok(second.ok, JSON.stringify(second));
  assert.match(second.ok ? second.url : '', /bundle\.js$/);
  const checked = paths.filter((p) => p.endsWith('.map') && p.includes('hidden/dist/')).map((p) => p.replace(/^.*\/dist\//, ''));
  assert.ok(!paths.some((p) => p.includes('node_modules')), 'node_modules is not swept');
  assert.equal(new Set(checked.filter((c) => c.startsWith('other'))).size, checked.filter((c) => c.startsWith('other')).length, 'each script is checked once');
});

test('clear forgets every script', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '1', url: 'file:///srv/a.js' });
  index.clear();
  assert.equal(index.size, 0);
  assert.equal(index.get('1'), undefined);
});

test('200k scripts: add stays cheap and lookups stay exact', (t) => {
  const index = new ScriptIndex();
  const count = 200_000;
  const records = Array.from({ length: count }, (_, i) =>
    i % 10 === 0
      ? { scriptId: String(i), url: `file:///srv/app/dist/module${i}/handler.js`, sourceMapURL: '' }
      : { scriptId: String(i), url: `file:///srv/app/node_modules/pkg${i % 5000}/lib/file${i}.js`, sourceMapURL: `file${i}.js.map` },
  );
  const start = performance.now();
  for (const record of records) index.add(record);
  const ms = performance.now() - start;
  t.diagnostic(`added ${count} scripts in ${ms.toFixed(0)} ms: ${Math.round(count / (ms / 1000))} adds/s`);
  assert.equal(index.size, count);

  // 20k handler.js files: a bare basename is ambiguous, a folder makes it unique (the file is not on disk: placed unchecked, with a note).
  const ambiguous = resolveProbeLocation(index, 'handler.js', 1);
  assert.deepEqual(ambiguous.ok ? 'ok' : [ambiguous.code, ambiguous.candidates.length], ['KH_LOCATION_AMBIGUOUS', 10]);
  const one = resolveProbeLocation(index, 'module4200/handler.js', 1);
  assert.equal(one.ok, true, 'an unreadable script still places the probe');
  assert.equal(one.ok && one.scriptId, '4200');
  assert.match(one.ok ? one.note ?? '' : '', /not checked/);

  for (let i = 0; i < count; i += 2) index.remove(String(i));
  assert.equal(index.size, count / 2);
  assert.equal(resolveProbeLocation(index, 'module4200/handler.js', 1).ok, false);
});

test('a URL loaded again and again keeps its newest maxScriptsPerUrl scripts; add names the one it dropped', () => {
  tree.write('app/views/order.tpl.js', 'module.exports = 1;\n');
  const url = tree.url('app/views/order.tpl.js');
  const index = new ScriptIndex({ settings: { maxScriptsPerUrl: 3 } });
  const dropped = [];
  for (let i = 1; i <= 1000; i++) dropped.push(index.add({ scriptId: String(i), url }));
  index.add({ scriptId: 'other', url: tree.url('app/dist/a.js') });
  assert.equal(index.size, 4, 'three copies of the template and the other file');
  assert.deepEqual(dropped.slice(0, 4), [undefined, undefined, undefined, '1']);
  assert.equal(dropped.at(-1), '997');
  assert.equal(index.get(url)?.record.scriptId, '1000', 'the newest answers for the URL');
  assert.equal(index.get('998')?.record.url, url);
  assert.equal(index.get('997'), undefined);
  assert.equal(resolveProbeLocation(index, 'app/views/order.tpl.js', 1).ok, true, 'a probe still finds the file');
});

test('with maxScriptsPerUrl 1 each new copy replaces the last', () => {
  const url = tree.url('app/views/one.js');
  tree.write('app/views/one.js', 'module.exports = 1;\n');
  const index = new ScriptIndex({ settings: { maxScriptsPerUrl: 1 } });
  assert.equal(index.add({ scriptId: 'a', url }), undefined);
  assert.equal(index.add({ scriptId: 'b', url }), 'a');
  assert.equal(index.size, 1);
  assert.equal(index.get(url)?.record.scriptId, 'b');
});
