// Micro-benchmark of the capture serializer, to compare with the cost of a
// debugger pause. Scenarios:
//   - typical: one serializeVariables of a typical request-handler scope
//     (10 variables, nested objects, arrays, a Map, dates);
//   - probe: every holder the agent serializes for one snapshot of
//     bench/workloads/deep-stack.cjs at its probe with the default limits
//     (frame 0: local, closure = the CommonJS module scope; frames 1-4:
//     local), taken from a real pause through node:inspector, serialized
//     in one context as a capture does;
//   - probe in pause: the same, but one capture inside each of many real
//     pauses, as the agent does (caches are cold after the pause machinery
//     ran); median of the second half of the pauses.
// typical and probe run with a pass-through redactor (the serializer alone)
// and with the real one (createRedactor()), over several rounds; the median
// round is printed, in main-thread CPU time (other load on the machine
// distorts it less than wall time).
//
// Before/after: pass the dist folder of another build of the agent (e.g. a
// `git archive` of an older commit built with tsc) as the third argument;
// both builds then run interleaved in this process, round by round (pause by
// pause), with this tree's redactor, so that only the serializers differ.
//
// Last, the first captures of a fresh process (in child processes), without
// and with scheduleSerializerWarmUp (serializerWarmUp.ts) before the first
// pause (its wall time, spread over event-loop turns, is printed).
//
// Plain Node ESM over the compiled agent: run `npx tsc -b agent` first, then
//   node bench/serializer.bench.mjs [iterations=20000] [rounds=5] [baselineAgentDist]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import inspector from 'node:inspector';

const require = createRequire(import.meta.url);
const { DEFAULT_CAPTURE_LIMITS } = require('../agent/dist/capture/limits.js');
const { createRedactor } = require('../agent/dist/redact/index.js');
const { pb } = require('@keyhole/protocol');

const FIRST_PAUSES = 60;
if (process.argv[2] === '--first-pauses') {
  // Child mode: FIRST_PAUSES captures in a fresh process, optionally warmed up first.
  const serializer = require('../agent/dist/capture/serializer.js');
  const redactor = createRedactor();
  let warm = { rounds: 0, elapsedMs: 0 };
  if (process.argv[3] === 'warm') warm = await require('../agent/dist/capture/serializerWarmUp.js').scheduleSerializerWarmUp(DEFAULT_CAPTURE_LIMITS, redactor).done;
  await new Promise((res) => setTimeout(res, 20)); // let V8 install what it compiled in the background
  const us = [];
  pauseAtProbe(FIRST_PAUSES, (holders) => {
    const t0 = performance.now();
    capture(serializer, holders, holders.kinds, redactor);
    us.push((performance.now() - t0) * 1000);
  });
  process.stdout.write(JSON.stringify({ warm, us }));
  process.exit(0);
}

const iterations = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 5);
const baselineDist = process.argv[4];
const PAUSES = 400;

const builds = [{ label: 'this tree', serializer: require('../agent/dist/capture/serializer.js') }];
if (baselineDist) builds.unshift({ label: 'baseline', serializer: require(resolve(baselineDist, 'capture/serializer.js')) });

const passThrough = { sensitiveName: () => undefined, maskText: (text) => ({ text, kinds: [], dropped: false }) };
const redactors = [
  { name: 'pass-through', redactor: passThrough },
  { name: 'createRedactor()', redactor: createRedactor() },
];

function requestScope() {
  class IncomingRequest {
    constructor() {
      this.method = 'POST';
      this.url = '/api/v1/orders?expand=items&limit=20';
      this.headers = { host: 'orders.internal', 'content-type': 'application/json', 'user-agent': 'curl/8.5.0', 'x-request-id': 'f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', authorization: 'Bearer abc.def.ghi' };
      this.params = { tenant: 'acme' };
    }
  }
  const order = {
    id: 'ord_9f8e7d6c',
    customer: { id: 42, name: 'Ann Example', email: 'ann@example.com', tags: ['vip', 'eu'] },
    items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${1000 + i}`, qty: i + 1, price: 9.99 * (i + 1) })),
    total: 359.64,
    createdAt: new Date(1_700_000_000_000),
  };
  return {
    req: new IncomingRequest(),
    res: { statusCode: 200, headersSent: false, locals: { user: 'ann' } },
    order,
    user: { id: 42, roles: ['admin', 'billing'], password: 'hunter2', lastLogin: new Date(0) },
    config: { retries: 3, timeoutMs: 2500, endpoints: new Map([['payments', 'https://pay.internal'], ['stock', 'https://stock.internal']]) },
    itemCount: 8,
    discount: 0.1,
    currency: 'EUR',
    started: 1_700_000_000_123,
    err: null,
  };
}

/**
 * Pauses at the deep-stack probe `pauses` times; in each pause, takes the
 * holders the agent would serialize, in its order (per frame of the first
 * maxFramesWithLocals: local/block/catch scopes, closure/module scopes only
 * in the first maxFramesWithClosures, then `this` when it is an object), and
 * hands them to onPause (inside the pause). The objects stay valid after.
 */
function pauseAtProbe(pauses, onPause) {
  const work = require('./workloads/deep-stack.cjs');
  const limits = DEFAULT_CAPTURE_LIMITS;
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => {
    let out;
    session.post(method, params, (err, res) => {
      if (err) throw err;
      out = res;
    });
    return out;
  };
  let holders = [];
  globalThis.__khBenchReceive = (args) => {
    holders = [];
    for (let i = 0; i < args.length; i++) holders.push(args[i]);
  };
  let pause = 0;
  session.on('Debugger.paused', ({ params }) => {
    try {
      const ids = [];
      const kinds = [];
      const frames = params.callFrames.slice(0, limits.maxFramesWithLocals);
      frames.forEach((f, i) => {
        for (const s of f.scopeChain) {
          const closure = s.type === 'closure' || s.type === 'module';
          if (!['local', 'block', 'catch'].includes(s.type) && !closure) continue;
          if (closure && i >= limits.maxFramesWithClosures) continue;
          ids.push({ objectId: s.object.objectId });
          kinds.push(s.type);
        }
        if (f.this.objectId) {
          ids.push({ objectId: f.this.objectId });
          kinds.push('this');
        }
      });
      post('Runtime.callFunctionOn', { objectId: ids[0].objectId, functionDeclaration: 'function () { globalThis.__khBenchReceive(arguments); }', arguments: ids });
      holders.kinds = kinds;
      onPause(holders, pause++);
    } finally {
      post('Debugger.resume');
    }
  });
  post('Debugger.enable');
  post('Debugger.setBreakpointByUrl', { url: work.url, lineNumber: work.probeLine - 1 });
  for (let i = 0; i < pauses; i++) work.descend(16, i);
  post('Debugger.disable');
  session.disconnect();
  delete globalThis.__khBenchReceive;
}

function capture(serializer, holders, kinds, redactor) {
  const ctx = serializer.createSerializeContext(DEFAULT_CAPTURE_LIMITS, redactor);
  let variables = 0;
  for (let i = 0; i < holders.length; i++) {
    if (kinds[i] === 'this') {
      serializer.serializeValue(holders[i], ctx);
      variables++;
    } else variables += serializer.serializeVariables(holders[i], ctx).variables.length;
  }
  return { ctx, variables };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median µs (CPU) per call of each build's run, the builds interleaved round by round. */
function measure(runs, n) {
  for (const run of runs) for (let i = 0; i < Math.min(n, 2000); i++) run(); // warm up
  const perCall = runs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    runs.forEach((run, b) => {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) run();
      const c = process.cpuUsage(c0);
      perCall[b].push((c.user + c.system) / n);
    });
  }
  return perCall.map(median);
}

const typical = requestScope();
let probe;
pauseAtProbe(1, (holders) => (probe = holders));
const scenarios = [
  { name: 'typical scope', holders: [typical], kinds: ['local'], n: iterations },
  { name: `probe (${probe.kinds.join(', ')})`, holders: probe, kinds: probe.kinds, n: Math.ceil(iterations / 5) },
];
const buildColumns = builds.map((b) => `µs ${b.label}`).join(' | ');
console.log(`Node ${process.version}, ${rounds} rounds of ${iterations} (probe: ${iterations / 5}) iterations, median round; in pause: ${PAUSES} pauses`);
console.log(`| scenario | redactor | ${buildColumns} | holders | variables | encoded bytes | masked |`);
console.log(`|---|---|${builds.map(() => '---|').join('')}---|---|---|---|`);
const last = builds[builds.length - 1].serializer;
for (const s of scenarios) {
  for (const { name, redactor } of redactors) {
    const us = measure(
      builds.map((b) => () => capture(b.serializer, s.holders, s.kinds, redactor)),
      s.n,
    );
    const { ctx, variables } = capture(last, s.holders, s.kinds, redactor);
    const bytes = s.holders.length === 1 ? pb.Scope.encode({ kind: pb.ScopeKind.LOCAL, variables: last.serializeVariables(s.holders[0], last.createSerializeContext(DEFAULT_CAPTURE_LIMITS, redactor)).variables }).finish().length : `~${ctx.budget.bytesUsed}`;
    console.log(`| ${s.name} | ${name} | ${us.map((u) => u.toFixed(1)).join(' | ')} | ${s.holders.length} | ${variables} | ${bytes} | ${[...ctx.maskedKinds].join(', ')} |`);
    if (ctx.errors.length) console.log(`  errors: ${ctx.errors.map((e) => e.code).join(', ')}`);
  }
}

// One capture per real pause, builds taking turns; wall time of the capture.
const inPause = builds.map(() => []);
const realRedactor = redactors[1].redactor;
pauseAtProbe(PAUSES * builds.length, (holders, pause) => {
  const b = pause % builds.length;
  const t0 = performance.now();
  capture(builds[b].serializer, holders, holders.kinds, realRedactor);
  inPause[b].push((performance.now() - t0) * 1000);
});
const later = (xs) => median(xs.slice(xs.length >> 1));
console.log(`| probe in pause (wall) | createRedactor() | ${inPause.map((xs) => later(xs).toFixed(1)).join(' | ')} | ${probe.length} | | | |`);

// First captures of a fresh process, without and with a warm-up.
console.log(`\nfirst ${FIRST_PAUSES} captures of a fresh process (wall µs, createRedactor()):`);
console.log('| warm-up | warm-up wall ms | 1st capture | median 2-10 | median 11-30 | median 31-60 |');
console.log('|---|---|---|---|---|---|');
for (const mode of ['none', 'warm']) {
  const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--first-pauses', mode], { encoding: 'utf8' }));
  const m = (a, b) => median(out.us.slice(a, b)).toFixed(0);
  console.log(`| ${mode === 'warm' ? `scheduleSerializerWarmUp (${out.warm.rounds} rounds)` : 'none'} | ${out.warm.elapsedMs.toFixed(1)} | ${out.us[0].toFixed(0)} | ${m(1, 10)} | ${m(10, 30)} | ${m(30, 60)} |`);
}
