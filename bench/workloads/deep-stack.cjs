'use strict';
// A request-handler-like function at the bottom of a deep stack.
const { pathToFileURL } = require('node:url');
Error.stackTraceLimit = 100;

let depthSeen = 0;
function probed(req, i) {
  const user = { id: i, name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin', 'dev'], prefs: { theme: 'dark', lang: 'en' } };
  const items = [{ sku: 'A-1', price: 10, qty: 2 }, { sku: 'B-2', price: 2.5, qty: 4 }];
  const headers = { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r-' + i };
  const total = items.reduce((s, it) => s + it.price * it.qty, 0);
  depthSeen = new Error().stack.split('\n').length - 1;
  return total + user.id + (headers ? 0 : 1) + req.n; // @probe
}
function descend(n, i) {
  const req = { n, path: '/orders/' + i, method: 'GET' };
  return n <= 0 ? probed(req, i) : descend(n - 1, i) + 0;
}
const src = require('node:fs').readFileSync(__filename, 'utf8').split('\n');
module.exports = {
  descend,
  probeLine: src.findIndex((l) => l.includes('// @probe')) + 1,
  url: pathToFileURL(__filename).href,
  lastDepth: () => depthSeen,
};
