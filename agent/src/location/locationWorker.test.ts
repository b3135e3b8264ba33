// The location worker answers what the same functions answer in place, from
// a script index of its own, and fails as data: a cleared worker forgets its
// scripts, one that runs out of heap answers every waiting question, and the
// next question starts a fresh one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { TempTree, lineOf } from './fixtures/tempTree';
import { ORDERS_TS } from './fixtures/shopSources';
import { LocationWorker, type GeneratedPosition } from './locationWorker';
import { DEFAULT_LOCATION_SETTINGS, ScriptIndex, mapGeneratedToOriginal, resolveProbeLocation, type Resolution, type ScriptRecord } from './index';

const tree = new TempTree('worker');
after(() => tree.dispose());

// One TypeScript file compiled with a source map beside it, as tsc writes it.
const out = ts.transpileModule(ORDERS_TS, { fileName: 'orders.ts', compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true } });
tree.write('app/src/orders/orders.ts', ORDERS_TS);
tree.write('app/dist/orders/orders.js', out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=orders.js.map'));
tree.write('app/dist/orders/orders.js.map', out.sourceMapText!.replace('"sources":["orders.ts"]', '"sources":["../../src/orders/orders.ts"]'));
const RECORD: ScriptRecord = { scriptId: '7', url: tree.url('app/dist/orders/orders.js'), sourceMapURL: 'orders.js.map' };
const PROBE_LINE = lineOf(ORDERS_TS, '@probe:lineCount');

/** The worker is unref'd, as it must be in a host: the test keeps its own event loop alive meanwhile. */
function ask<T>(question: (done: (r: T) => void) => void): Promise<T> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => undefined, 1000);
    question((r) => {
      clearInterval(keepAlive);
      resolve(r);
    });
  });
}

/** A worker over its own main-thread index, told about `records` the way the probe manager tells it. */
function workerWith(records: readonly ScriptRecord[], settings = DEFAULT_LOCATION_SETTINGS): { worker: LocationWorker; index: ScriptIndex } {
  const index = new ScriptIndex();
  const worker = new LocationWorker(settings, index);
  for (const r of records) {
    index.add(r);
    worker.add(r);
  }
  return { worker, index };
}

function inPlace(): ScriptIndex {
  const index = new ScriptIndex();
  index.add(RECORD);
  return index;
}

test('the worker resolves a probe and maps frames exactly as the same code does in place', async () => {
  const { worker } = workerWith([RECORD]);
  try {
    const resolved = await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done));
    assert.ok(resolved.ok, JSON.stringify(resolved));
    assert.deepEqual(resolved, resolveProbeLocation(inPlace(), 'src/orders/orders.ts', PROBE_LINE));
    const positions: GeneratedPosition[] = [
      { script: '7', line: resolved.line, column: resolved.column },
      { script: RECORD.url, line: 1, column: 1 },
      { script: 'no-such-script', line: 3, column: 1 },
    ];
    const mapped = await ask<readonly unknown[]>((done) => worker.map(positions, done));
    assert.deepEqual(mapped, positions.map((p) => mapGeneratedToOriginal(inPlace(), p.script, p.line, p.column)));
    assert.equal((mapped[0] as { line: number }).line, PROBE_LINE);
    assert.equal(mapped[2], undefined);
  } finally {
    worker.stop();
  }
});

test('a cleared worker forgets its scripts (and their maps); scripts added again are found again', async () => {
  const { worker, index } = workerWith([RECORD]);
  try {
    assert.ok((await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done))).ok);
    index.clear();
    worker.clear();
    const gone = await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done));
    assert.equal(gone.ok ? '' : gone.code, 'KH_LOCATION_NOT_FOUND');
    index.add(RECORD);
    worker.add(RECORD);
    assert.ok((await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done))).ok);
  } finally {
    worker.stop();
  }
});

test('a map that needs more than the worker heap fails that question as data; the next question gets a fresh worker', async () => {
  // A bundle-sized map: about 400k mappings to decode, far more than a 16 MB heap holds.
  const lines = 20_000;
  const generated = Array.from({ length: lines }, (_, i) => `var v${i} = ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i} + ${i};`).join('\n');
  const mappings = Array.from({ length: lines }, (_, i) => ['AACA', ...Array.from({ length: 19 }, () => 'IAAA')].map((s, j) => (i === 0 && j === 0 ? 'AAAA' : s)).join(',')).join(';');
  tree.write('big/dist/bundle.js', generated + '\n//# sourceMappingURL=bundle.js.map\n');
  tree.write('big/dist/bundle.js.map', JSON.stringify({ version: 3, sources: ['../src/big.ts'], names: [], mappings }));
  tree.write('big/src/big.ts', generated);
  const big: ScriptRecord = { scriptId: '9', url: tree.url('big/dist/bundle.js'), sourceMapURL: 'bundle.js.map' };
  const { worker } = workerWith([big, RECORD], { ...DEFAULT_LOCATION_SETTINGS, workerHeapMb: 16 });
  try {
    const failed = await ask<Resolution>((done) => worker.resolve('src/big.ts', lines - 1, undefined, done));
    assert.equal(failed.ok, false);
    assert.equal(failed.ok ? '' : failed.code, 'KH_LOCATION_INTERNAL');
    assert.match(failed.ok ? '' : failed.message, /source map worker (stopped|failed)/);
    // A fresh worker, with every script it was told about, answers the next question.
    const next = await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done));
    assert.ok(next.ok, JSON.stringify(next));
  } finally {
    worker.stop();
  }
});

test('a stopped worker answers at once, as a failure', async () => {
  const { worker } = workerWith([RECORD]);
  worker.stop();
  const r = await ask<Resolution>((done) => worker.resolve('src/orders/orders.ts', PROBE_LINE, undefined, done));
  assert.equal(r.ok ? '' : r.code, 'KH_LOCATION_INTERNAL');
  assert.match(r.ok ? '' : r.message, /the agent stopped/);
});


test('a location worker never keeps its host alive: a process that used one ends on its own', () => {
  const script = `
    const { LocationWorker } = require(${JSON.stringify(require.resolve('./locationWorker'))});
    const { ScriptIndex, DEFAULT_LOCATION_SETTINGS } = require(${JSON.stringify(require.resolve('./index'))});
    const index = new ScriptIndex();
    index.add(${JSON.stringify(RECORD)});
    const worker = new LocationWorker(DEFAULT_LOCATION_SETTINGS, index);
    worker.resolve('src/orders/orders.ts', ${PROBE_LINE}, undefined, (r) => process.stdout.write(r.ok ? 'located' : r.message));
    // Keeps the loop alive until the answer has come back, then nothing does.
    setTimeout(() => undefined, 300);`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.stdout, 'located');
  assert.deepEqual([r.status, r.signal], [0, null], r.stderr);
});
