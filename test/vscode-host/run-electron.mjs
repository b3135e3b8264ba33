#!/usr/bin/env node
// The same extension-host suite (test/vscode-suite) in desktop VS Code, through
// @vscode/test-electron, for machines that have VS Code or can download it.
// CI uses run-tests.mjs (code-server, offline) instead.
//
//   npm run build
//   node test/vscode-host/run-electron.mjs                       # downloads VS Code stable into .vscode-test/
//   VSCODE_EXECUTABLE=/usr/share/code/code node test/vscode-host/run-electron.mjs   # uses an installed VS Code
//
// Env: VSCODE_EXECUTABLE (an installed VS Code), VSCODE_VERSION (default "stable"),
// KEYHOLE_TEST_NODE (Node for the broker CLI; default: the Node running this script),
// VSH_GREP (mocha grep). Screenshots are only taken by run-tests.mjs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'keyhole-electron-'));
writeFileSync(join(workspace, 'README.txt'), 'Keyhole extension test workspace\n');

let code = 1;
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'test', 'vscode-suite', 'index.js'),
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { KEYHOLE_TEST_NODE: process.env.KEYHOLE_TEST_NODE ?? process.execPath, ...(process.env.VSH_GREP ? { VSH_GREP: process.env.VSH_GREP } : {}) },
  });
  code = 0;
} catch (err) {
  console.error(`the VS Code tests failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
