'use strict';
// Code under test for bench/idle.mjs: four loop bodies whose speed V8's
// debugger is known to change when enabled (shared/research/inspector-costs.md):
// plain sync work, await chains, throw/catch, and eval / new Function.

function makeRequests(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ id: i, path: `/items/${i % 97}`, user: { name: `user${i}`, tier: i % 3 }, tags: ['a', 'b', String(i % 7)] });
  return out;
}

/** A request-handler-shaped sync body: routing on the path, property reads, serializing a small object. */
function syncOp(req) {
  let h = req.id;
  for (const t of req.tags) h = (h * 31 + t.charCodeAt(0)) | 0;
  const segments = req.path.split('/');
  const body = JSON.stringify({ id: req.id, user: req.user.name, route: segments[1], tier: req.user.tier });
  return (h ^ body.length) + segments.length;
}

async function step(x) {
  return x + 1;
}

/** Three awaits per op, the shape of a small async handler. */
async function asyncOp(req) {
  let v = await step(req.id);
  v = await step(v);
  v = await step(v & 1023);
  return v;
}

/** Throws and catches one Error per op (stack capture included). */
function throwOp(req) {
  try {
    if (req.id >= 0) throw new Error(`bad ${req.path}`);
    return 0;
  } catch (err) {
    return err.message.length;
  }
}

/** Compiles a tiny function per op, as template engines and some validators do. */
function evalOp(req) {
  const f = new Function('r', 'return r.id + ' + (req.id & 7));
  return f(req);
}

module.exports = { makeRequests, ops: { sync: syncOp, async: asyncOp, throw: throwOp, eval: evalOp } };
