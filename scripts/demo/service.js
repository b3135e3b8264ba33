'use strict';
// The demo's "production" service: a small orders API over node:http that
// handles personal data (names, emails, phones, addresses, card numbers, an
// Authorization header). `npm start` runs it with the Keyhole agent and
// sends it light traffic; the probes it sets land on the marked lines.
//
// The agent is started from code here (the other way is
// `node --require @keyhole/agent/register`), reading the same KEYHOLE_*
// environment, with a capture time budget for a laptop that runs the
// broker, this service and the load loop at once: the default 5 ms can cut
// a cold first capture short (cut values are marked, never hidden).
require('@keyhole/agent').start({ capture: { timeBudgetMs: 50 } });

const http = require('node:http');
const customers = require('./customers.json');

/** Largest request body the demo reads. */
const MAX_BODY_BYTES = 64 * 1024;
/** Orders kept in memory; the oldest go first. */
const MAX_ORDERS = 500;

const orders = new Map();
let nextOrder = 1;

function priceOf(items) {
  return Math.round(items.reduce((sum, item) => sum + item.price * item.qty, 0) * 100) / 100;
}

function createOrder(headers, body) {
  const customer = customers.find((c) => c.id === body.customerId);
  if (!customer) return { status: 404, json: { error: `no customer ${body.customerId}` } };
  const payment = { card: body.card, expiry: body.expiry, holder: customer.fullName };
  const order = { id: `o-${nextOrder++}`, customerId: customer.id, items: body.items, total: priceOf(body.items), shipTo: customer.address, createdAt: new Date().toISOString() };
  const auth = headers.authorization;
  orders.set(order.id, order); // @probe:snapshot
  if (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value);
  const confirmation = `order ${order.id} confirmed for ${customer.email}, card ending ${String(payment.card).slice(-4)}`; // @probe:log
  return { status: 201, json: { id: order.id, total: order.total, confirmation: confirmation.length > 0 && auth !== undefined } };
}

function getOrder(id) {
  const order = orders.get(id);
  return order ? { status: 200, json: order } : { status: 404, json: { error: `no order ${id}` } };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function route(req) {
  const url = new URL(req.url, 'http://orders');
  if (req.method === 'POST' && url.pathname === '/orders') return createOrder(req.headers, JSON.parse(await readBody(req)));
  const m = /^\/orders\/([\w-]+)$/.exec(url.pathname);
  if (req.method === 'GET' && m) return getOrder(m[1]);
  return { status: 404, json: { error: 'not found' } };
}

const server = http.createServer((req, res) => {
  route(req).then(
    (r) => {
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.json));
    },
    (err) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err && err.message) }));
    },
  );
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`orders service listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive clients (the load loop) would hold close() open
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
