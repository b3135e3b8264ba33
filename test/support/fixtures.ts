import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from compiled tests in out/test/... */
export const repoRoot = resolve(__dirname, '..', '..', '..');
export const agentFixtures = join(repoRoot, 'test', 'agent', 'fixtures');
export const registerPath = join(repoRoot, 'agent', 'dist', 'register.js');

/** 1-based line of the `@probe:<name>` marker in a fixture file. */
export function lineOf(file: string, name: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`@probe:${name}`));
  if (i < 0) throw new Error(`no @probe:${name} in ${file}`);
  return i + 1;
}
