// What masking costs inside a capture: a typical request-handler snapshot is
// serialized with a pass-through redactor and with the real one, in
// interleaved rounds (so machine noise hits both alike), and the median extra
// time of masking is printed as a share of the serialization itself.
// Plain Node ESM over the compiled agent: run `npx tsc -b agent` first, then
//   node bench/masking.bench.mjs [rounds] [iterationsPerRound]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { createSerializeContext, serializeVariables } = require('../agent/dist/capture/serializer.js');
const { DEFAULT_CAPTURE_LIMITS } = require('../agent/dist/capture/limits.js');
const { createRedactor } = require('../agent/dist/redact/index.js');

const rounds = Number(process.argv[2] ?? 31);
const iterations = Number(process.argv[3] ?? 300);

/** A handler's locals as they look in a typical service: request, parsed body, user, config, a few scalars. */
function typicalScope() {
  const req = {
    method: 'POST',
    url: '/api/v1/orders?expand=items&access_token=tok_8f7e6d5c4b3a&limit=20',
    headers: {
      host: 'orders.internal',
      'content-type': 'application/json',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      'x-request-id': 'f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      'x-forwarded-for': '203.0.113.7, 10.0.0.12',
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl',
      cookie: 'sid=s%3Aabc123; theme=dark',
    },
    params: { tenant: 'acme' },
  };
  const body = {
    customer: { id: 42, name: 'Ann Example', email: 'ann.example@example.com', phone: '+44 20 7946 0958', address: { street: '1 High Street', city: 'London', zip: 'SW1A 1AA' } },
    payment: { method: 'card', cardNumber: '4111 1111 1111 1111', iban: 'GB82 WEST 1234 5698 7654 32' },
    items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${1000 + i}`, title: `Widget model ${i} in blue`, qty: i + 1, price: 9.99 * (i + 1) })),
    note: 'please deliver after 6pm, call me first; ref order 20240115-7781',
  };
  return {
    req,
    body,
    user: { id: 42, roles: ['admin', 'billing'], password: 'hunter2', lastLogin: new Date(0), lastIp: '198.51.100.23' },
    config: { retries: 3, timeoutMs: 2500, endpoints: new Map([['payments', 'https://pay.internal/v2'], ['stock', 'https://stock.internal/v1']]) },
    log: 'INFO 2024-01-15T10:30:00Z order accepted for ann.example@example.com from 203.0.113.7 in 12ms',
    error: new Error('upstream timeout after 2500 ms calling https://pay.internal/v2/charges'),
    itemCount: 8,
    discount: 0.1,
    currency: 'EUR',
    started: 1_700_000_000_123,
  };
}

const passThrough = { sensitiveName: () => undefined, maskText: (text) => ({ text, kinds: [], dropped: false }) };
const real = createRedactor();
const scope = typicalScope();
const limits = { ...DEFAULT_CAPTURE_LIMITS, timeBudgetMs: 1000 };

function timeCaptures(redactor) {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) serializeVariables(scope, createSerializeContext(limits, redactor));
  return ((performance.now() - t0) * 1000) / iterations; // µs per snapshot
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm both paths up before measuring.
for (let i = 0; i < 3; i++) {
  timeCaptures(passThrough);
  timeCaptures(real);
}
const plain = [];
const masked = [];
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const a = r % 2 === 0 ? timeCaptures(passThrough) : undefined;
  const b = timeCaptures(real);
  const c = a === undefined ? timeCaptures(passThrough) : a;
  plain.push(c);
  masked.push(b);
  ratios.push((b - c) / c);
}
const sample = createSerializeContext(limits, real);
serializeVariables(scope, sample);
console.log(`typical snapshot: ${Object.keys(scope).length} variables, masked kinds: ${[...sample.maskedKinds].sort().join(', ')}`);
console.log(`rounds ${rounds} x ${iterations} captures, interleaved`);
console.log(`serialize with pass-through redactor: median ${median(plain).toFixed(1)} µs/snapshot`);
console.log(`serialize with the real redactor:     median ${median(masked).toFixed(1)} µs/snapshot`);
console.log(`masking cost: median ${(median(masked) - median(plain)).toFixed(1)} µs/snapshot = ${(median(ratios) * 100).toFixed(0)}% of serialization (median of per-round ratios)`);
