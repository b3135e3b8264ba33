// Micro-benchmark of the capture serializer: µs per serialization of a
// typical request-handler scope (10 variables, nested objects and arrays),
// to compare with the cost of a debugger pause. Plain Node ESM over the
// compiled agent: run `npx tsc -b agent` first, then
//   node bench/serializer.bench.mjs [iterations]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { createSerializeContext, serializeVariables } = require('../agent/dist/capture/serializer.js');
const { DEFAULT_CAPTURE_LIMITS } = require('../agent/dist/capture/limits.js');
const { pb } = require('@keyhole/protocol');

/** The real PII redactor when it is built; otherwise a pass-through, so the serializer alone is measured. */
function loadRedactor() {
  try {
    const { createRedactor } = require('../agent/dist/redact/index.js');
    if (typeof createRedactor === 'function') return { name: 'agent/dist/redact createRedactor()', redactor: createRedactor() };
  } catch {
    // not built yet
  }
  return { name: 'real redactor not built', redactor: { sensitiveName: () => undefined, maskText: (text) => ({ text, kinds: [], dropped: false }) } };
}

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

const iterations = Number(process.argv[2] ?? 20000);
const scope = requestScope();
const passThrough = { name: 'pass-through (serializer alone)', redactor: { sensitiveName: () => undefined, maskText: (text) => ({ text, kinds: [], dropped: false }) } };
console.log(`Node ${process.version}, ${iterations} iterations, typical request-handler scope`);
for (const { name, redactor } of [passThrough, loadRedactor()]) {
  const run = () => {
    const ctx = createSerializeContext(DEFAULT_CAPTURE_LIMITS, redactor);
    return { out: serializeVariables(scope, ctx), ctx };
  };
  for (let i = 0; i < 2000; i++) run(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) run();
  const perCall = ((performance.now() - t0) * 1000) / iterations;
  const { out, ctx } = run();
  const bytes = pb.Scope.encode({ kind: pb.ScopeKind.LOCAL, variables: out.variables }).finish().length;
  console.log(`${name}: ${perCall.toFixed(1)} µs per serializeVariables; ${out.variables.length} variables, ${bytes} encoded bytes (estimate ${ctx.budget.bytesUsed}), masked [${[...ctx.maskedKinds].join(', ')}], ${ctx.errors.length} errors`);
}
