'use strict';
// The function bench/memory.mjs snapshots: a few locals of each kind, a
// shallow stack. The probe goes on the line marked PROBE.
const { readFileSync } = require('node:fs');

function small(i) {
  const user = { id: i, name: `user${i % 100}`, roles: ['a', 'b'] };
  const total = i * 2; // PROBE
  return total + user.roles.length;
}

const probeLine = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// PROBE')) + 1;

module.exports = { small, probeLine, probePath: 'workloads/small-function.cjs' };
