// What the .vsix would hold, as vsce itself computes it from .vscodeignore:
// the bundle, the manifest, the README and the walkthrough pages, and never
// sources, tests, the agent, the broker, maps or node_modules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/fixtures';

const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/extension\.js$/, /^media\/walkthrough\/[\w-]+\.md$/, /^docs\/images\/vscode-[\w-]+\.png$/];

test('the packaged extension holds only the bundle, its manifest, README and walkthrough pages', { timeout: 60_000 }, () => {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.ok(files.includes('dist/extension.js'), 'the bundle is packaged');
  assert.ok(files.includes('package.json'));
  assert.deepEqual(files.filter((f) => !ALLOWED.some((re) => re.test(f))), [], 'nothing else is packaged');
});
