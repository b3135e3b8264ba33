'use strict';
// The request handler of bench/workloads/http-server.mjs. The probe
// benchmarks set their probes on the line marked PROBE, which every request
// runs; `req` is in scope there for conditions such as req.url === "/never".
const { readFileSync } = require('node:fs');

function render(req, n) {
  const parts = req.url.split('/');
  let h = n;
  for (const p of parts) h = (h * 31 + p.length) | 0;
  return `{"ok":true,"n":${n},"h":${h}}`;
}

let served = 0;
function handle(req, res) {
  const body = render(req, served++); // PROBE
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Never called by requests: a probe here arms the debugger without being on the request path. */
function elsewhere(x) {
  return x + 1; // ELSEWHERE
}

const lines = readFileSync(__filename, 'utf8').split('\n');
const probeLine = lines.findIndex((l) => l.includes('// PROBE')) + 1;
const elsewhereLine = lines.findIndex((l) => l.includes('// ELSEWHERE')) + 1;

module.exports = { handle, elsewhere, probeLine, elsewhereLine, probePath: 'workloads/http-handler.cjs', served: () => served };
