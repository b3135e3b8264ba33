// Probes set on TypeScript lines land through source maps: tsc output with
// .map files, and esbuild bundles with external and inline maps. Captured
// frames map back to the .ts line and show the locals by their source names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, localsOf, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const app = join(agentFixtures, 'ts-app');
const tsLine = lineOf(join(app, 'src', 'orders.ts'), 'ts-total');

const h = AgentHarness.forFile();

/**
 * Emits ts-app with the TypeScript compiler API and the app's own tsconfig
 * (source maps as .map files). Only emit: with lib and @types left out the
 * output is the same as `tsc -p` gives, in a second instead of five.
 */
function compileWithTsc(outDir: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(join(app, 'tsconfig.json'), { outDir }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
  assert.ok(config && config.options.sourceMap);
  const emitted = ts.createProgram(config.fileNames, { ...config.options, types: [], noLib: true, noResolve: true }).emit();
  assert.equal(emitted.emitSkipped, false);
  return join(outDir, 'main.js');
}

async function bundleWithEsbuild(outDir: string, sourcemap: 'linked' | 'external' | 'inline'): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'main.js');
  await build({ entryPoints: [join(app, 'src', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap, outfile, logLevel: 'silent' });
  return outfile;
}

/** Capture limits of a pause-free snapshot: only the probe frame's variables. */
const PAUSE_FREE = { ...ROOMY_BUDGETS, capture: { ...ROOMY_BUDGETS.capture, maxFramesWithLocals: 1 } };

async function probeTheTotal(main: string, label: string, start: object = ROOMY_BUDGETS): Promise<void> {
  const { svc, conn } = await h.connect(main, { start, env: h.env({ KEYHOLE_FIXTURE_SERVE: join(agentFixtures, 'serve.js') }) });
  try {
    conn.send(setProbe(`p-${label}`, 'src/orders.ts', tsLine));
    // Every module is loaded before the service says it is ready: the first status is the verdict.
    const installed = (await conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === `p-${label}`, 20_000, 'a probe status')).probeStatus!;
    assert.equal(pb.ProbeState[installed.state], 'INSTALLED', installed.message);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    assert.match(installed.resolvedUrl, /main\.js$|orders\.js$/);
    assert.equal(await svc.call('total', 3), 27);
    const snap = await nextSnapshot(conn, `p-${label}`);
    const top = snap.frames[0]!;
    assert.equal(top.functionName, 'orderTotal');
    assert.match(top.original!.path, /ts-app\/src\/orders\.ts$/);
    assert.equal(top.original!.line, tsLine);
    assert.match(top.generated!.path, /\.js$/);
    const locals = localsOf(snap);
    const items = byName(locals, 'items');
    assert.equal(items.kind, pb.ValueKind.ARRAY);
    assert.equal(items.properties.length, 1);
    const item = byName(items.properties, '0');
    assert.deepEqual(item.properties.map((p) => [p.name, p.value!.text]), [['sku', 'A-1'], ['price', '10'], ['qty', '3']]);
    const discount = byName(locals, 'discount');
    assert.deepEqual(discount.properties.map((p) => [p.name, p.value!.text]), [['kind', 'percent'], ['value', '10']]);
    assert.equal(byName(locals, 'subtotal').text, '30');
    assert.equal(byName(locals, 'factor').text, '0.9');
    assert.equal(byName(locals, 'total').text, '27');
    // The caller (main.ts's handler) maps back too.
    assert.match(snap.frames[1]!.original!.path, /ts-app\/src\/main\.ts$/);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
}

test('TypeScript compiler output with .map files: a probe on src/orders.ts lands and captures by the TypeScript line', async () => {
  await probeTheTotal(compileWithTsc(join(h.dir, 'tsc')), 'tsc');
});

test('an esbuild bundle with an external source map file it links to', async () => {
  await probeTheTotal(await bundleWithEsbuild(join(h.dir, 'esbuild-linked'), 'linked'), 'esb-linked');
});

test('an esbuild bundle with an inline source map', async () => {
  await probeTheTotal(await bundleWithEsbuild(join(h.dir, 'esbuild-inline'), 'inline'), 'esb-inline');
});

// esbuild's `sourcemap: 'external'` writes main.js.map without a
// sourceMappingURL comment (a "hidden" map, common for production builds),
// and the bundle's name is not the probed file's: found by the index's
// sibling-map sweep on a lookup miss.
test('an esbuild bundle with an external map file and no sourceMappingURL comment', async () => {
  await probeTheTotal(await bundleWithEsbuild(join(h.dir, 'esbuild-external'), 'external'), 'esb-ext');
});

test('a pause-free snapshot in an esbuild bundle: planned on the generated code, mapped back to the .ts line', async () => {
  await probeTheTotal(await bundleWithEsbuild(join(h.dir, 'esbuild-pause-free'), 'linked'), 'esb-free', PAUSE_FREE);
});
