// Builds every package: TypeScript project references (protocol, agent,
// broker, src, test) and, when present, the esbuild bundle of the extension.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', 'tsconfig.json'], { stdio: 'inherit' });
if (existsSync('src/extension/extension.ts')) {
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: ['src/extension/extension.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
  });
}
