// The broker under test: the real `keyhole broker start` CLI in its own
// process, on a fresh SQLite file in a temporary directory, and readings of
// that process's memory and CPU from /proc (Linux), so the benchmark never
// measures itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BROKER_CLI = join(here, '..', '..', 'broker', 'dist', 'cli', 'main.js');
/** How long the broker may take to print its URL. Default 15 s. */
export const BROKER_START_TIMEOUT_MS = 15_000;
/** How long the broker may take to exit after SIGTERM (it flushes a CPU profile when asked to write one). Default 20 s. */
export const BROKER_STOP_TIMEOUT_MS = 20_000;

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Starts a broker. `cpuProfDir`: write a V8 CPU profile of the whole run
 * there (node --cpu-prof), for naming hot functions when a goal is missed.
 */
export async function startBroker({ cpuProfDir } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kh-broker-bench-'));
  const db = join(dir, 'keyhole.db');
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, BROKER_CLI, 'broker', 'start', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the broker printed no URL within ${BROKER_START_TIMEOUT_MS} ms: ${stderr}`)), BROKER_START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the broker exited (${code}) before listening: ${stderr}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid: child.pid,
    dir,
    db,
    rssBytes: () => rssBytes(child.pid),
    cpuSeconds: () => cpuSeconds(child.pid),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), BROKER_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident set size of a process, from /proc/<pid>/status VmRSS. */
export function rssBytes(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** User + system CPU time a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14, 15)
}

/** Rows in the broker's snapshots table, read through a read-only connection beside the running broker (WAL lets it read while the broker writes). */
export function countStoredSnapshots(dbPath) {
  const require = createRequire(join(here, '..', '..', 'broker', 'package.json'));
  const Database = require('better-sqlite3');
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return Number(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get().n);
  } finally {
    db.close();
  }
}
