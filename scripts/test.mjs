// The one test command (`npm test`): build, generated-code check, lint,
// layering, then every test runner. Each runner's counts are summed into the
// closing line `N passed, N failed, N skipped`; the exit code is non-zero on
// any failure. Checks that are not test runners (build, lint, layering) count
// as one test each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const only = process.env.KEYHOLE_TEST_ONLY?.split(',').filter(Boolean);
const wants = (step) => !only || only.includes(step);

function run(label, cmd, args, opts = {}) {
  console.log(`\n=== ${label}: ${[cmd, ...args].join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  const ok = r.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok;
}

function check(label, cmd, args, opts) {
  if (run(label, cmd, args, opts)) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
}

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/**
 * Longest any one test may take before the runner cancels it (counted as a
 * failure, with its name): a test that waits for an event that never comes
 * must fail, not hang the run until CI's own limit. Default 120 s, about nine
 * times the slowest test today; a test that needs longer says so itself.
 */
const PER_TEST_TIMEOUT_MS = 120_000;

/** Runs node's test runner; spec output to the terminal, TAP to a file for the counts. */
function nodeTests(label, files, extraArgs = []) {
  if (!files.length) return;
  const tmp = mkdtempSync(join(tmpdir(), 'keyhole-tap-'));
  const tap = join(tmp, 'out.tap');
  const ok = run(label, process.execPath, [
    '--test', `--test-timeout=${PER_TEST_TIMEOUT_MS}`, '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...extraArgs, ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(tmp, { recursive: true, force: true });
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += count('skipped') + count('todo');
  if (failed || !ok) failures.push(label);
  if (!ok && !failed) totals.failed++; // the runner itself failed without counting a test
}

const npx = (bin) => join('node_modules', '.bin', bin);

if (wants('build')) {
  check('generated protocol code is current', process.execPath, ['protocol/scripts/generate.mjs', '--check']);
  check('build', process.execPath, ['scripts/build.mjs']);
}
if (wants('lint')) check('lint', npx('eslint'), ['--max-warnings', '0', '.']);
if (wants('layering')) {
  const roots = ['protocol/src', 'agent/src', 'broker/src', 'src'].filter((d) => existsSync(d));
  check('layering', npx('depcruise'), ['--config', '.dependency-cruiser.cjs', ...roots]);
}
if (wants('unit')) {
  const files = ['protocol/dist', 'agent/dist', 'broker/dist', 'out/src'].flatMap((d) => findTests(d));
  nodeTests('unit tests', files);
}
if (wants('integration')) {
  nodeTests('integration tests', findTests('out/test'));
}

// Last: the extension's tests inside a real VS Code extension host (test/vscode-host).
// Its install needs Node 24 (see .ci/run); a developer machine without it skips
// the step visibly, CI never does.
if (wants('vscode')) {
  const label = 'VS Code extension host tests';
  if (!existsSync('test/vscode-host/node_modules') && !process.env.CI) {
    console.log(`\n=== ${label}: skipped (test/vscode-host/node_modules is missing; install it as .ci/run does)`);
    totals.skipped++;
  } else {
    const tmp = mkdtempSync(join(tmpdir(), 'keyhole-vscode-'));
    const resultFile = join(tmp, 'result.json');
    const ok = run(label, process.execPath, ['test/vscode-host/run-tests.mjs'], { env: { ...process.env, VSH_RESULT_OUT: resultFile } });
    let summary;
    try {
      summary = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch {
      summary = undefined;
    }
    rmSync(tmp, { recursive: true, force: true });
    const passed = Number(summary?.passed ?? 0);
    const failed = Number(summary?.failed ?? 0);
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += Number(summary?.pending ?? 0);
    if (failed || !ok) failures.push(label);
    if (!ok && !failed) totals.failed++; // the runner failed without counting a test
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
