// Mocha entry point. VS Code's extension host require()s this file (the path
// given as extensionTestsPath) and awaits run(). When run() settles the
// extension host exits with code 0 (resolved) or 1 (rejected), and the
// workbench reports that code to the page (window.codeAutomationExit).
//
// Extra channel: if VSH_RESULT_FILE is set (the runner sets it in code-server's
// environment, which the extension host inherits) a JSON summary is written
// there, so the runner gets exact pass/fail counts and failure messages.
'use strict';
const path = require('path');
const fs = require('fs');
// mocha is installed with the VS Code host (test/vscode-host), not at the repository root.
const Mocha = (() => {
  try {
    return require(path.join(__dirname, '..', 'vscode-host', 'node_modules', 'mocha'));
  } catch {
    return require('mocha'); // run-electron.mjs on a machine that installed mocha elsewhere
  }
})();

function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20000, reporter: 'spec', bail: false });
  const grep = process.env.VSH_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }

  const summary = { passed: 0, failed: 0, pending: 0, failures: [] };
  const writeSummary = () => {
    const out = process.env.VSH_RESULT_FILE;
    if (!out) return;
    try {
      fs.writeFileSync(out + '.tmp', JSON.stringify(summary, null, 2));
      fs.renameSync(out + '.tmp', out); // atomic: the runner never sees half a file
    } catch (e) {
      console.error('vsh: could not write result file', e);
    }
  };

  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run((failures) => {
        summary.failed = Math.max(summary.failed, failures);
        writeSummary();
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      // e.g. a syntax error in a test file
      summary.failed += 1;
      summary.failures.push({ title: 'loading test files', error: String(err && err.stack || err) });
      writeSummary();
      reject(err);
      return;
    }
    runner.on('pass', () => { summary.passed++; });
    runner.on('pending', () => { summary.pending++; });
    runner.on('fail', (test, err) => {
      summary.failed++;
      summary.failures.push({ title: test.fullTitle(), error: String(err && (err.stack || err.message) || err) });
    });
  });
}

module.exports = { run };
