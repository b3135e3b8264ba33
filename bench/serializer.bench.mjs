// Micro-benchmark of the capture serializer, to compare with the cost of a
// debugger pause. Two scenarios:
//   - typical: one serializeVariables of a typical request-handler scope
//     (10 variables, nested objects, arrays, a Map, dates);
//   - probe: every holder the agent serializes for one snapshot of
//     bench/workloads/deep-stack.cjs at its probe with the default limits
//     (frame 0: local, closure = the CommonJS module scope; frames 1-4:
//     local), taken from a real pause through node:inspector, serialized
//     in one context as a capture does.
// Each is run with a pass-through redactor (the serializer alone) and with
// the real one (createRedactor()), over several rounds; the median round is
// printed, in main-thread CPU time (other load on the machine distorts it
// less than wall time). Plain Node ESM over the compiled agent: run `npx tsc -b agent`
// first, then
//   node bench/serializer.bench.mjs [iterations=20000] [rounds=5]
import { createRequire } from 'node:module';
import inspector from 'node:inspector';

const require = createRequire(import.meta.url);
const { createSerializeContext, serializeValue, serializeVariables } = require('../agent/dist/capture/serializer.js');
const { DEFAULT_CAPTURE_LIMITS } = require('../agent/dist/capture/limits.js');
const { createRedactor } = require('../agent/dist/redact/index.js');
const { pb } = require('@keyhole/protocol');

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
 * The holders the agent would serialize at the deep-stack probe, in its
 * order: per frame (first maxFramesWithLocals), its local/block/catch scopes,
 * closure/module scopes only in the first maxFramesWithClosures, then `this`
 * when it is an object. Taken once from a real pause; the objects stay valid.
 */
function probeHolders() {
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
  const holders = [];
  globalThis.__khBenchReceive = (args) => {
    for (let i = 0; i < args.length; i++) holders.push(args[i]);
  };
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
    } finally {
      post('Debugger.resume');
    }
  });
  post('Debugger.enable');
  post('Debugger.setBreakpointByUrl', { url: work.url, lineNumber: work.probeLine - 1 });
  work.descend(16, 7);
  post('Debugger.disable');
  session.disconnect();
  delete globalThis.__khBenchReceive;
  return holders;
}

function captureOf(holders, kinds) {
  return (redactor) => {
    const ctx = createSerializeContext(DEFAULT_CAPTURE_LIMITS, redactor);
    let variables = 0;
    for (let i = 0; i < holders.length; i++) {
      if (kinds[i] === 'this') {
        serializeValue(holders[i], ctx);
        variables++;
      } else variables += serializeVariables(holders[i], ctx).variables.length;
    }
    return { ctx, variables };
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function measure(run, iterations, rounds) {
  for (let i = 0; i < Math.min(iterations, 2000); i++) run(); // warm up
  const perCall = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) run();
    const c = process.cpuUsage(c0);
    perCall.push((c.user + c.system) / iterations);
  }
  return median(perCall);
}

const iterations = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 5);
const typical = requestScope();
const probe = probeHolders();
const scenarios = [
  { name: 'typical scope', holders: [typical], kinds: ['local'] },
  { name: `probe (${probe.kinds.join(', ')})`, holders: probe, kinds: probe.kinds },
];
console.log(`Node ${process.version}, ${rounds} rounds of ${iterations} iterations, median round`);
console.log('| scenario | redactor | µs per capture | holders | variables | encoded bytes | masked |');
console.log('|---|---|---|---|---|---|---|');
for (const s of scenarios) {
  const capture = captureOf(s.holders, s.kinds);
  for (const { name, redactor } of redactors) {
    const us = measure(() => capture(redactor), s === scenarios[0] ? iterations : Math.ceil(iterations / 5), rounds);
    const { ctx, variables } = capture(redactor);
    const bytes = s === scenarios[0] ? pb.Scope.encode({ kind: pb.ScopeKind.LOCAL, variables: serializeVariables(typical, createSerializeContext(DEFAULT_CAPTURE_LIMITS, redactor)).variables }).finish().length : `~${ctx.budget.bytesUsed}`;
    console.log(`| ${s.name} | ${name} | ${us.toFixed(1)} | ${s.holders.length} | ${variables} | ${bytes} | ${[...ctx.maskedKinds].join(', ')} |`);
    if (ctx.errors.length) console.log(`  errors: ${ctx.errors.map((e) => e.code).join(', ')}`);
  }
}
