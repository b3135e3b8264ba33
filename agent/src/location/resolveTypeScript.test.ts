import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import ts from 'typescript';
import { TempTree, lineOf, textAt } from './fixtures/tempTree';
import { AUDIT_TS, ORDERS_TS, PRICING_TS } from './fixtures/shopSources';
import { ScriptIndex, resolveProbeLocation, mapGeneratedToOriginal, type Resolution, type ScriptIndexOptions } from './index';

const tree = new TempTree('tsc');
after(() => tree.dispose());

/** Compiles the shop sources with the TypeScript compiler (what `tsc` runs) into `<project>/dist`. */
function compile(project: string, options: ts.CompilerOptions): void {
  const sources = { 'src/orders/orders.ts': ORDERS_TS, 'src/orders/pricing.ts': PRICING_TS, 'src/orders/audit.ts': AUDIT_TS };
  const rootNames = Object.entries(sources).map(([rel, text]) => tree.write(`${project}/${rel}`, text));
  const program = ts.createProgram(rootNames, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    rootDir: tree.path(`${project}/src`),
    outDir: tree.path(`${project}/dist`),
    ...options,
  });
  const result = program.emit();
  const problems = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(problems, []);
}

compile('mapfiles', { sourceMap: true });
compile('inline', { inlineSourceMap: true, inlineSources: true });

/** Indexes the compiled scripts as V8 reports them; `reportMapUrl` false leaves the map comment for the index to find. */
function indexOf(project: string, reportMapUrl: boolean, options: ScriptIndexOptions = {}): ScriptIndex {
  const index = new ScriptIndex(options);
  ['orders', 'pricing', 'audit'].forEach((name, i) => {
    const url = tree.url(`${project}/dist/orders/${name}.js`);
    const js = tree.read(`${project}/dist/orders/${name}.js`);
    const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(js)?.[1];
    index.add(reportMapUrl && comment ? { scriptId: String(100 + i), url, sourceMapURL: comment } : { scriptId: String(100 + i), url });
  });
  return index;
}

function expectOk(r: Resolution): Extract<Resolution, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r;
}

for (const [project, reportMapUrl] of [['mapfiles', true], ['mapfiles', false], ['inline', true], ['inline', false]] as const) {
  const variant = `${project}${reportMapUrl ? '' : ', map comment not reported by V8'}`;

  test(`tsc (${variant}): a probe on a .ts line lands on that statement in the .js, and maps back`, () => {
    const index = indexOf(project, reportMapUrl);
    const js = tree.read(`${project}/dist/orders/orders.js`);
    for (const [marker, statement] of [['@probe:lineCount', 'const lineCount = order.items.length;'], ['@probe:orderTotal', 'const orderTotal = order.items.reduce(']] as const) {
      const tsLine = lineOf(ORDERS_TS, marker);
      const r = expectOk(resolveProbeLocation(index, '/home/dev/shop/src/orders/orders.ts', tsLine));
      assert.equal(r.scriptId, '100');
      assert.equal(r.originalPath, tree.path(`${project}/src/orders/orders.ts`));
      assert.ok(textAt(js, r.line, r.column).startsWith(statement), `${marker}: "${textAt(js, r.line, r.column)}"`);
      assert.equal(r.note, undefined);
      const back = mapGeneratedToOriginal(index, r.scriptId, r.line, r.column);
      assert.deepEqual(back && { path: back.path, line: back.line, column: back.column }, { path: tree.path(`${project}/src/orders/orders.ts`), line: tsLine, column: 3 });
    }
  });
}

test('tsc with map files and no sourceMappingURL comment: the .map beside the script is used', () => {
  const project = 'external';
  compile(project, { sourceMap: true });
  for (const name of ['orders', 'pricing', 'audit']) {
    tree.write(`${project}/dist/orders/${name}.js`, tree.read(`${project}/dist/orders/${name}.js`).replace(/\/\/# sourceMappingURL=.*\n?$/, ''));
  }
  const index = indexOf(project, false);
  const r = expectOk(resolveProbeLocation(index, 'src/orders/pricing.ts', lineOf(PRICING_TS, '@probe:gross')));
  assert.ok(textAt(tree.read(`${project}/dist/orders/pricing.js`), r.line, r.column).startsWith('const gross'));
  const off = resolveProbeLocation(indexOf(project, false, { settings: { siblingSourceMaps: false } }), 'src/orders/pricing.ts', 3);
  assert.deepEqual(off.ok ? 'ok' : [off.code, off.candidates], ['KH_LOCATION_NOT_FOUND', [tree.path(`${project}/dist/orders/pricing.js`)]]);
});

test('tsc with map files: a comment line moves to the next mapped line, with a note', () => {
  const index = indexOf('mapfiles', true);
  const r = expectOk(resolveProbeLocation(index, 'src/orders/orders.ts', lineOf(ORDERS_TS, '@probe:comment-before-total')));
  assert.ok(textAt(tree.read('mapfiles/dist/orders/orders.js'), r.line, r.column).startsWith('const orderTotal'));
  assert.match(r.note ?? '', /has no code; the probe is on line 14/);
});

test('tsc: a type-only line past the window is KH_LOCATION_NO_CODE_ON_LINE', () => {
  const index = indexOf('mapfiles', true, { settings: { nextCodeLineWindow: 2 } });
  const r = resolveProbeLocation(index, 'orders/orders.ts', lineOf(ORDERS_TS, 'export interface Order'));
  assert.equal(r.ok ? 'ok' : r.code, 'KH_LOCATION_NO_CODE_ON_LINE');
});

test('tsc: the content hash is the sha256 of the original .ts, from disk or from sourcesContent', () => {
  for (const project of ['mapfiles', 'inline']) {
    const r = expectOk(resolveProbeLocation(indexOf(project, true), 'orders/pricing.ts', lineOf(PRICING_TS, '@probe:gross')));
    const expected = createHash('sha256').update(readFileSync(tree.path(`${project}/src/orders/pricing.ts`))).digest('hex');
    assert.equal(r.deployedSha256, expected, project);
    assert.ok(textAt(tree.read(`${project}/dist/orders/pricing.js`), r.line, r.column).startsWith('const gross = item.quantity * item.unitCents;'));
  }
});

test('tsc: with the .ts gone and no sourcesContent, the probe still lands and the note says there is no hash', () => {
  const project = 'mapfiles-no-src';
  compile(project, { sourceMap: true });
  rmSync(tree.path(`${project}/src/orders/audit.ts`));
  const r = expectOk(resolveProbeLocation(indexOf(project, true), 'orders/audit.ts', lineOf(AUDIT_TS, '@probe:auditPush')));
  assert.equal(r.deployedSha256, '');
  assert.match(r.note ?? '', /no content hash/);
});

test('tsc: a corrupt map file gives KH_SOURCEMAP_INVALID, without throwing', () => {
  const project = 'corrupt';
  compile(project, { sourceMap: true });
  tree.write(`${project}/dist/orders/orders.js.map`, '{"version":3,"sources":["../../src/orders/orders.ts"],"mappings":"AAAA;;;%%%"');
  const index = indexOf(project, true);
  const r = resolveProbeLocation(index, 'src/orders/orders.ts', 3);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'KH_SOURCEMAP_INVALID');
  assert.deepEqual(r.candidates, [tree.path(`${project}/dist/orders/orders.js`)]);
  assert.equal(mapGeneratedToOriginal(index, '100', 1, 1), undefined);
  // The other scripts' maps are fine.
  assert.equal(resolveProbeLocation(index, 'src/orders/pricing.ts', lineOf(PRICING_TS, '@probe:gross')).ok, true);
});

test('tsc: with room for one source map, probes across files still resolve (maps are read again)', () => {
  const index = indexOf('mapfiles', true, { settings: { maxSourceMaps: 1 } });
  for (let round = 0; round < 2; round++) {
    for (const [path, text, marker] of [['orders.ts', ORDERS_TS, '@probe:orderTotal'], ['pricing.ts', PRICING_TS, '@probe:gross'], ['audit.ts', AUDIT_TS, '@probe:auditPush']] as const) {
      const r = expectOk(resolveProbeLocation(index, path, lineOf(text, marker)));
      assert.equal(mapGeneratedToOriginal(index, r.url, r.line, r.column)?.line, lineOf(text, marker));
    }
  }
});

test('tsc: a map bigger than maxSourceMapBytes is KH_SOURCEMAP_TOO_LARGE', () => {
  const r = resolveProbeLocation(indexOf('mapfiles', true, { settings: { maxSourceMapBytes: 100 } }), 'orders.ts', 3);
  assert.equal(r.ok ? 'ok' : r.code, 'KH_SOURCEMAP_TOO_LARGE');
});

test('tsc: the .js itself can still be probed by its own path', () => {
  const r = expectOk(resolveProbeLocation(indexOf('mapfiles', true), 'dist/orders/orders.js', 1));
  assert.equal(r.originalPath, tree.path('mapfiles/dist/orders/orders.js'));
});
