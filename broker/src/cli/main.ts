#!/usr/bin/env node
// The `keyhole` executable.
import { runCli } from './program';

void runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
