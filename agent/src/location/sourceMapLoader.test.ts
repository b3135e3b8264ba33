import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { originalPositionFor } from '@jridgewell/trace-mapping';
import { TempTree } from './fixtures/tempTree';
import { nodeFileAccess } from './fileAccess';
import { findSourceMapUrl, loadSourceMap, type SourceMapLoad } from './sourceMapLoader';
import { DEFAULT_LOCATION_SETTINGS, type LocationSettings } from './settings';

const tree = new TempTree('loader');
after(() => tree.dispose());

const settings = DEFAULT_LOCATION_SETTINGS;
const MAP = { version: 3, file: 'a.js', sources: ['../src/a.ts'], names: [], mappings: 'AAAA;AACA' };
const scriptUrl = tree.url('dist/a.js');

function loadedSources(load: SourceMapLoad): readonly string[] {
  assert.equal(load.kind, 'loaded', load.kind === 'failed' ? load.problem.message : 'no map');
  return load.kind === 'loaded' ? load.map.resolvedSources.map(String) : [];
}

test('inline data: URLs in the spellings tools write', () => {
  const json = JSON.stringify(MAP);
  const base64 = Buffer.from(json).toString('base64');
  const urls = [
    `data:application/json;base64,${base64}`,
    `data:application/json;charset=utf-8;base64,${base64}`,
    `data:application/json;charset:utf-8;base64,${base64}`,
    `data:application/json,${encodeURIComponent(json)}`,
  ];
  for (const url of urls) {
    // Sources of an inline map are relative to the script itself.
    assert.deepEqual(loadedSources(loadSourceMap(scriptUrl, url, nodeFileAccess, settings)), [tree.url('src/a.ts')], url.slice(0, 40));
  }
});

test('a map file is found relative to the script, its sources relative to the map and its sourceRoot', () => {
  tree.write('dist/maps/a.js.map', JSON.stringify({ ...MAP, sourceRoot: '../../lib/', sources: ['a.ts'] }));
  assert.deepEqual(loadedSources(loadSourceMap(scriptUrl, 'maps/a.js.map', nodeFileAccess, settings)), [tree.url('lib/a.ts')]);
});

test('an index map with sections is flattened', () => {
  const indexMap = { version: 3, sections: [{ offset: { line: 0, column: 0 }, map: MAP }, { offset: { line: 5, column: 0 }, map: { ...MAP, sources: ['../src/b.ts'] } }] };
  tree.write('dist/sections.js.map', JSON.stringify(indexMap));
  const load = loadSourceMap(scriptUrl, 'sections.js.map', nodeFileAccess, settings);
  assert.deepEqual(loadedSources(load), [tree.url('src/a.ts'), tree.url('src/b.ts')]);
  if (load.kind === 'loaded') assert.equal(originalPositionFor(load.map, { line: 6, column: 0 }).source, tree.url('src/b.ts'));
});

test('corrupt maps come back as KH_SOURCEMAP_INVALID, never as exceptions', () => {
  const cases: Record<string, string> = {
    'not JSON': '{"version":3,"sources":[',
    'version 2': JSON.stringify({ ...MAP, version: 2 }),
    'mappings not VLQ': JSON.stringify({ ...MAP, mappings: 'AA!A;{}' }),
    'sources not strings': JSON.stringify({ ...MAP, sources: [1, 2] }),
    'a bare string': '"hello"',
  };
  for (const [name, text] of Object.entries(cases)) {
    tree.write(`dist/bad/${name}.map`, text);
    const load = loadSourceMap(scriptUrl, `bad/${encodeURIComponent(name)}.map`, nodeFileAccess, settings);
    assert.equal(load.kind === 'failed' && load.problem.code, 'KH_SOURCEMAP_INVALID', name);
  }
  const badData = loadSourceMap(scriptUrl, 'data:application/json;base64,@@@', nodeFileAccess, settings);
  assert.equal(badData.kind === 'failed' && badData.problem.code, 'KH_SOURCEMAP_INVALID');
});

test('maps over maxSourceMapBytes are refused before they are read', () => {
  const small: LocationSettings = { ...settings, maxSourceMapBytes: 64 };
  tree.write('dist/big.js.map', JSON.stringify({ ...MAP, names: ['x'.repeat(200)] }));
  const file = loadSourceMap(scriptUrl, 'big.js.map', nodeFileAccess, small);
  assert.equal(file.kind === 'failed' && file.problem.code, 'KH_SOURCEMAP_TOO_LARGE');
  assert.match(file.kind === 'failed' ? file.problem.message : '', /maxSourceMapBytes \(64\)/);
  const inline = loadSourceMap(scriptUrl, `data:application/json;base64,${Buffer.from(JSON.stringify({ ...MAP, names: ['x'.repeat(200)] })).toString('base64')}`, nodeFileAccess, small);
  assert.equal(inline.kind === 'failed' && inline.problem.code, 'KH_SOURCEMAP_TOO_LARGE');
});

test('missing and remote maps are KH_SOURCEMAP_UNREADABLE', () => {
  const missing = loadSourceMap(scriptUrl, 'nowhere.js.map', nodeFileAccess, settings);
  assert.equal(missing.kind === 'failed' && missing.problem.code, 'KH_SOURCEMAP_UNREADABLE');
  const remote = loadSourceMap(scriptUrl, 'https://cdn.example/a.js.map', nodeFileAccess, settings);
  assert.equal(remote.kind === 'failed' && remote.problem.code, 'KH_SOURCEMAP_UNREADABLE');
});

test('the sourceMappingURL comment is read from the last lines of the script file', () => {
  const path = tree.write('dist/commented.js', 'exports.a = 1;\n//# sourceMappingURL=commented.js.map\n\n');
  assert.equal(findSourceMapUrl(path, undefined, nodeFileAccess, settings), 'commented.js.map');
  const legacy = tree.write('dist/legacy.js', 'exports.a = 1;\n//@ sourceMappingURL=legacy.js.map');
  assert.equal(findSourceMapUrl(legacy, undefined, nodeFileAccess, settings), 'legacy.js.map');
  // A comment followed by code is not the script's map comment.
  const notLast = tree.write('dist/notlast.js', '//# sourceMappingURL=old.js.map\nexports.a = 1;\n');
  assert.equal(findSourceMapUrl(notLast, undefined, nodeFileAccess, settings), undefined);
  // What V8 reported wins without reading the file.
  assert.equal(findSourceMapUrl('/does/not/exist.js', 'reported.map', nodeFileAccess, settings), 'reported.map');
});

test('an inline map comment longer than the tail that is read is followed back to its start', () => {
  const dataUrl = `data:application/json;base64,${Buffer.from(JSON.stringify({ ...MAP, names: ['n'.repeat(20_000)] })).toString('base64')}`;
  const path = tree.write('dist/inline-long.js', `exports.a = 1;\n//# sourceMappingURL=${dataUrl}\n`);
  assert.equal(findSourceMapUrl(path, undefined, nodeFileAccess, { ...settings, sourceMapCommentTailBytes: 256 }), dataUrl);
});
