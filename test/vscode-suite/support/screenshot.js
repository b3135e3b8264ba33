// Asks the runner (test/vscode-host/run-tests.mjs) to take a screenshot of the
// workbench: writes <VSH_SIGNAL_DIR>/screenshot-<n>.request holding the file
// name (and tree items to expand first, by label), and waits for the runner's .done file. Without VSH_SIGNAL_DIR (a
// runner that cannot take screenshots) it returns false at once.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let n = 0;

async function screenshot(name, { expand = [], timeoutMs = 20000 } = {}) {
  const dir = process.env.VSH_SIGNAL_DIR;
  if (!dir) return false;
  const base = path.join(dir, `screenshot-${++n}`);
  fs.writeFileSync(`${base}.request.tmp`, JSON.stringify({ name, expand }));
  fs.renameSync(`${base}.request.tmp`, `${base}.request`);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fs.existsSync(`${base}.done`)) return fs.readFileSync(`${base}.done`, 'utf8');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the runner did not take screenshot ${name} within ${timeoutMs} ms`);
}

module.exports = { screenshot };
