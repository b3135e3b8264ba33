// Proves every layering rule in .dependency-cruiser.cjs fires: the fixture
// tree mirrors the repository layout with one planted violation per rule,
// plus imports that must stay allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'layering', 'fixtures');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruiseFixtures(): Violation[] {
  let out: string;
  try {
    out = execFileSync(join(root, 'node_modules', '.bin', 'depcruise'), ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', 'protocol', 'agent', 'broker', 'src'], {
      cwd: fixtures,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // depcruise exits non-zero when it finds violations, which is the point here.
    out = (err as { stdout?: string }).stdout ?? '';
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

const violations = cruiseFixtures();
const found = (rule: string, from: string): boolean => violations.some((v) => v.rule.name === rule && v.from === from);

test('protocol/ importing our code is caught', () => {
  assert.ok(found('protocol-imports-nothing-of-ours', 'protocol/src/imports-agent.ts'));
});

test('agent/ importing broker/, src/ or vscode is caught', () => {
  assert.ok(found('agent-imports-only-protocol', 'agent/src/imports-broker.ts'));
  assert.ok(found('agent-imports-only-protocol', 'agent/src/imports-src.ts'));
  assert.ok(found('agent-imports-only-protocol', 'agent/src/imports-vscode.ts'), 'a type-only vscode import counts too');
});

test('broker/ importing agent/ is caught', () => {
  assert.ok(found('broker-imports-only-protocol', 'broker/src/imports-agent.ts'));
});

test('src/adapter/ importing vscode is caught', () => {
  assert.ok(found('adapter-never-imports-vscode', 'src/adapter/imports-vscode.ts'));
});

test('only src/extension/ may import vscode', () => {
  assert.ok(found('only-extension-imports-vscode', 'src/common/imports-vscode.ts'));
  assert.ok(found('only-extension-imports-vscode', 'src/adapter/imports-vscode.ts'));
  assert.ok(!violations.some((v) => v.from.startsWith('src/extension/')), 'src/extension may import vscode');
});

test('import cycles are caught', () => {
  assert.ok(violations.some((v) => v.rule.name === 'no-circular' && v.from.startsWith('agent/src/cycle-')));
});

test('allowed imports stay allowed', () => {
  assert.ok(!violations.some((v) => v.from === 'agent/src/imports-protocol.ts'));
});

test('src/ importing agent/ or broker/ is caught', () => {
  assert.ok(found('src-never-imports-agent-or-broker', 'src/common/imports-agent.ts'));
});

test('src/client importing the adapter is caught', () => {
  assert.ok(found('client-imports-only-protocol-and-common', 'src/client/imports-adapter.ts'));
});
