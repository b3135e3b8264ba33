'use strict';
// Cause check for bench/memory.mjs, without the agent: a bare in-process
// inspector session pauses on a breakpoint N times and does nothing else
// ("keep"), releases the "backtrace" object group in its Debugger.paused
// handler ("release"), or disables and re-enables the Debugger domain every
// N/4 pauses ("reset"). Heap after
// forced GC every N/4 pauses; prints one JSON line.
//
//   node --expose-gc backtrace-retention.cjs <keep|release|reset> [pauses=4000]
const inspector = require('node:inspector');
const { pathToFileURL } = require('node:url');

const mode = process.argv[2];
const pauses = Number(process.argv[3] ?? 4000);

function small(i) {
  const user = { id: i, name: `user${i % 100}`, roles: ['a', 'b'] };
  const total = i * 2; // BREAK
  return total + user.roles.length;
}
const breakLine = require('node:fs').readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// BREAK'));

const session = new inspector.Session();
session.connect();
const arm = () => {
  session.post('Debugger.enable');
  session.post('Debugger.setBreakpointByUrl', { url: pathToFileURL(__filename).href, lineNumber: breakLine });
};
session.on('Debugger.paused', () => {
  if (mode === 'release') session.post('Runtime.releaseObjectGroup', { objectGroup: 'backtrace' });
});
arm();
const heapMB = () => {
  global.gc();
  global.gc();
  return +(process.memoryUsage().heapUsed / 1e6).toFixed(2);
};
const checkpoints = [];
for (let k = 1; k <= 4; k++) {
  for (let i = 0; i < pauses / 4; i++) small(i);
  if (mode === 'reset') {
    session.post('Debugger.disable');
    arm();
  }
  checkpoints.push({ pauses: (k * pauses) / 4, heapMB: heapMB() });
}
session.disconnect();
process.stdout.write(JSON.stringify({ mode, checkpoints }) + '\n');
