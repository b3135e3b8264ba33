import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSync } from 'esbuild';
import { TempTree, lineOf, textAt } from './fixtures/tempTree';
import { AUDIT_TS, ORDERS_TS, PRICING_TS } from './fixtures/shopSources';
import { ScriptIndex, resolveProbeLocation, mapGeneratedToOriginal, type Resolution } from './index';

const tree = new TempTree('esbuild');
after(() => tree.dispose());

tree.write('shop/src/orders/orders.ts', ORDERS_TS);
tree.write('shop/src/orders/pricing.ts', PRICING_TS);
tree.write('shop/src/orders/audit.ts', AUDIT_TS);

/** Bundles the three modules into `shop/<outDir>/bundle.js` with esbuild. */
function bundle(outDir: string, sourcemap: 'linked' | 'external' | 'inline', minify = false): string {
  const result = buildSync({
    entryPoints: [tree.path('shop/src/orders/orders.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    outfile: tree.path(`shop/${outDir}/bundle.js`),
    sourcemap,
    minify,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  return tree.read(`shop/${outDir}/bundle.js`);
}

const linked = bundle('dist-linked', 'linked');
const inline = bundle('dist-inline', 'inline');
// The same map rewritten to use sourceRoot, as some build pipelines do.
const rooted = bundle('dist-rooted', 'linked');
const rootedMap = JSON.parse(tree.read('shop/dist-rooted/bundle.js.map')) as { sources: string[]; sourceRoot?: string };
rootedMap.sourceRoot = '../src/orders/';
rootedMap.sources = rootedMap.sources.map((s) => s.replace('../src/orders/', ''));
tree.write('shop/dist-rooted/bundle.js.map', JSON.stringify(rootedMap));

const PROBES = [
  { file: 'src/orders/orders.ts', text: ORDERS_TS, marker: '@probe:orderTotal', statement: 'const orderTotal = order.items.reduce(' },
  { file: 'src/orders/orders.ts', text: ORDERS_TS, marker: '@probe:lineCount', statement: 'const lineCount = order.items.length;' },
  { file: 'src/orders/pricing.ts', text: PRICING_TS, marker: '@probe:gross', statement: 'const gross = item.quantity * item.unitCents;' },
  { file: 'src/orders/audit.ts', text: AUDIT_TS, marker: '@probe:auditPush', statement: 'auditTrail.push(`${orderId}:${cents}`);' },
] as const;

function expectOk(r: Resolution): Extract<Resolution, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r;
}

const VARIANTS = [
  { name: 'linked map file', outDir: 'dist-linked', js: linked, reported: 'bundle.js.map' },
  { name: 'inline map', outDir: 'dist-inline', js: inline, reported: /sourceMappingURL=(\S+)/.exec(inline)?.[1] },
  { name: 'map with sourceRoot', outDir: 'dist-rooted', js: rooted, reported: 'bundle.js.map' },
];

for (const variant of VARIANTS) {
  test(`esbuild bundle (${variant.name}): probes on three modules land on their statements and map back`, () => {
    const index = new ScriptIndex();
    const url = tree.url(`shop/${variant.outDir}/bundle.js`);
    index.add(variant.reported ? { scriptId: '7', url, sourceMapURL: variant.reported } : { scriptId: '7', url });
    for (const probe of PROBES) {
      const tsLine = lineOf(probe.text, probe.marker);
      const r = expectOk(resolveProbeLocation(index, `/home/dev/shop/${probe.file}`, tsLine));
      assert.equal(r.scriptId, '7');
      assert.equal(r.url, url);
      assert.equal(r.originalPath, tree.path(`shop/${probe.file}`));
      assert.ok(textAt(variant.js, r.line, r.column).startsWith(probe.statement), `${probe.marker} at ${r.line}:${r.column}: "${textAt(variant.js, r.line, r.column)}"`);
      const back = mapGeneratedToOriginal(index, url, r.line, r.column);
      assert.equal(back?.path, tree.path(`shop/${probe.file}`));
      assert.equal(back?.line, tsLine);
    }
  });
}

test('esbuild, minified: a probe at a column lands on that expression, and the frame maps back with its original name', () => {
  const minified = bundle('dist-min', 'linked', true);
  const index = new ScriptIndex();
  index.add({ scriptId: '9', url: tree.url('shop/dist-min/bundle.js'), sourceMapURL: 'bundle.js.map' });
  const tsLine = lineOf(ORDERS_TS, '@probe:orderTotal');
  const tsColumn = (ORDERS_TS.split('\n')[tsLine - 1] ?? '').indexOf('priceOf(item)') + 1;
  const r = expectOk(resolveProbeLocation(index, 'src/orders/orders.ts', tsLine, tsColumn));
  // priceOf was renamed by the minifier; the call's argument is still `item`-shaped: `<short>(<short>)`.
  assert.match(textAt(minified, r.line, r.column), /^[\w$]+\([\w$]+\)/);
  assert.deepEqual(mapGeneratedToOriginal(index, '9', r.line, r.column), { path: tree.path('shop/src/orders/orders.ts'), line: tsLine, column: tsColumn, name: 'priceOf' });
});

test('esbuild: two bundles holding the same module give one location and the other in alsoAt', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '1', url: tree.url('shop/dist-linked/bundle.js'), sourceMapURL: 'bundle.js.map' });
  index.add({ scriptId: '2', url: tree.url('shop/dist-inline/bundle.js'), sourceMapURL: /sourceMappingURL=(\S+)/.exec(inline)?.[1] ?? '' });
  const r = expectOk(resolveProbeLocation(index, 'pricing.ts', lineOf(PRICING_TS, '@probe:gross')));
  assert.equal(r.scriptId, '1');
  assert.equal(r.alsoAt?.length, 1);
  const other = r.alsoAt?.[0];
  assert.equal(other?.scriptId, '2');
  assert.ok(textAt(inline, other?.line ?? 0, other?.column ?? 0).startsWith('const gross'));
});

test('esbuild: bundler helpers outside any module map to nothing', () => {
  const index = new ScriptIndex();
  index.add({ scriptId: '7', url: tree.url('shop/dist-linked/bundle.js'), sourceMapURL: 'bundle.js.map' });
  const helperLine = linked.split('\n').findIndex((l) => l.includes('__defProp')) + 1;
  assert.ok(helperLine > 0);
  assert.equal(mapGeneratedToOriginal(index, '7', helperLine, 1), undefined);
});
