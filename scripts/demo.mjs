#!/usr/bin/env node
// `npm start`: the whole of Keyhole on this machine, in one terminal.
// Starts the broker on SQLite in .keyhole/demo/, creates the demo people
// (developer dev, approver ann, ops ops) with their tokens and ann's signing
// key, writes the trust file, starts a demo orders service with the agent
// and light traffic on it, requests and approves a grant, sets a snapshot
// probe and a logpoint, prints what they capture (masked), then keeps running
// for VS Code and the CLI until Ctrl-C, which stops every process it started.
//
//   node scripts/demo.mjs [--data <dir>] [--fresh] [--port <n>] [--exit-after-capture]
//
// A second run reuses the data folder (same people, tokens and key; a new
// grant); --fresh wipes it first. See scripts/demo/README.md.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Children, cliMain, keyhole, lineMatching, repoRoot, waitFor } from './demo/processes.mjs';
import { startLoad } from './demo/load.mjs';

const DEFAULTS = {
  data: join(repoRoot, '.keyhole', 'demo'),
  /** A fixed port, so the launch.json printed below stays valid across runs; 0 picks a free one. */
  port: '7070',
  /** One request to the demo service every this many ms. */
  loadIntervalMs: 200,
  /** How long each start-up step may take before the demo gives up. */
  stepTimeoutMs: 60_000,
};
const SERVICE = 'orders';
const SERVICE_FILE = join(repoRoot, 'scripts', 'demo', 'service.js');
const SERVICE_PATH = 'scripts/demo/service.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULTS.data },
    fresh: { type: 'boolean', default: false },
    port: { type: 'string', default: DEFAULTS.port },
    'exit-after-capture': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(readFileSync(new URL('./demo/README.md', import.meta.url), 'utf8'));
  process.exit(0);
}

const say = (text = '') => process.stdout.write(text + '\n');
const indent = (text, prefix = '    ') => text.replace(/\n$/, '').split('\n').map((l) => prefix + l).join('\n');
const dataDir = resolve(args.data);
const shown = relative(process.cwd(), dataDir) || '.';
const children = new Children();
let load;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  load?.stop();
  const names = children.pids().map((p) => p.split(' ')[0]);
  await children.stopAll();
  say(`stopped: ${names.join(', ') || 'nothing was running'}`);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function lineOf(file, marker) {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`@probe:${marker}`));
  if (i < 0) throw new Error(`no @probe:${marker} in ${file}`);
  return i + 1;
}

/** The people and tokens of this data folder: created once, reused by later runs. */
async function ensureState(broker, statePath) {
  if (existsSync(statePath)) return JSON.parse(readFileSync(statePath, 'utf8'));
  const root = (await keyhole(['init', '--admin', 'root'], { broker })).trim();
  const tokens = { root };
  for (const [id, role] of [['dev', 'developer'], ['ann', 'approver'], ['ops', 'ops']]) tokens[id] = (await keyhole(['user', 'add', id, '--role', role], { broker, token: root })).trim();
  const key = join(dataDir, 'ann.key');
  await keyhole(['keys', 'generate', '--out', key]);
  await keyhole(['keys', 'register', '--pub', `${key}.pub`], { broker, token: tokens.ann });
  // Ops adds masking for what the agent cannot recognise by value: names and addresses.
  const agentToken = (await keyhole(['service', 'add', SERVICE, '--approvals', '1', '--max-window', '1h', '--mask-name', 'fullName', 'holder', 'address', 'shipTo'], { broker, token: tokens.ops })).trim();
  const state = { tokens, agentToken, annKey: key };
  writeFileSync(statePath, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  return state;
}

async function startBroker(dbPath) {
  const lines = [];
  const listeners = [];
  const child = children.start('broker', [cliMain, 'broker', 'start', '--db', dbPath, '--port', args.port], {
    onLine: (line) => {
      lines.push(line);
      listeners.forEach((l) => l(line));
    },
  });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the broker exited (${code}): ${lines.join(' ')}${args.port !== '0' ? ` (is port ${args.port} taken? try --port 0)` : ''}`))));
  const url = await Promise.race([lineMatching((l) => listeners.push(l), (l) => (/^http:\/\/\S+$/.test(l) ? l : undefined), 'the broker URL', DEFAULTS.stepTimeoutMs), exited]);
  return { child, url };
}

async function main() {
  if (!existsSync(cliMain) || !existsSync(join(repoRoot, 'agent', 'dist', 'index.js'))) {
    throw new Error('Keyhole is not built yet: run `npm run build` (or `npm start`, which builds first)');
  }
  if (args.fresh) rmSync(dataDir, { recursive: true, force: true });
  const statePath = join(dataDir, 'state.json');
  // The tokens are shown once; a database without the state file that holds them is of no use to the demo.
  if (existsSync(dataDir) && !existsSync(statePath)) rmSync(dataDir, { recursive: true, force: true });
  const reused = existsSync(statePath);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);

  say('Keyhole demo');
  const broker = await startBroker(join(dataDir, 'keyhole.db'));
  const state = await ensureState(broker.url, statePath);
  const as = (user) => ({ broker: broker.url, token: state.tokens[user] });
  say(`  data      ${shown} (${reused ? 'reused; --fresh starts over' : 'new'})`);
  say(`  broker    ${broker.url}`);

  const trustFile = join(dataDir, `${SERVICE}.trust.json`);
  await keyhole(['trust', 'build', SERVICE, '--out', trustFile], as('ops'));

  const serviceLines = [];
  const serviceListeners = [];
  children.start(SERVICE, [SERVICE_FILE], {
    env: {
      ...process.env,
      KEYHOLE_BROKER: broker.url.replace(/^http/, 'ws') + '/agent',
      KEYHOLE_SERVICE: SERVICE,
      KEYHOLE_LABELS: 'env=demo',
      KEYHOLE_INSTANCE_ID: `${SERVICE}-demo-1`,
      KEYHOLE_TRUST_FILE: trustFile,
      KEYHOLE_AGENT_TOKEN: state.agentToken,
    },
    onLine: (line) => {
      serviceLines.push(line);
      serviceListeners.forEach((l) => l(line));
      if (line.startsWith('[keyhole]')) say(`  agent     ${line}`);
    },
  });
  const serviceUrl = await lineMatching((l) => serviceListeners.push(l), (l) => /listening on (http:\/\/\S+)/.exec(l)?.[1], 'the orders service', DEFAULTS.stepTimeoutMs);
  say(`  service   ${SERVICE} at ${serviceUrl}, agent loaded; traffic every ${DEFAULTS.loadIntervalMs} ms`);
  load = startLoad(serviceUrl, DEFAULTS.loadIntervalMs);
  await waitFor('the agent to connect', async () => (JSON.parse(await keyhole(['agent', 'list', '--json', '--service', SERVICE], as('ops'))).length > 0 ? true : undefined), DEFAULTS.stepTimeoutMs);

  // A run starts clean: grants a previous run left open (and so their probes) are revoked.
  const open = JSON.parse(await keyhole(['grant', 'list', '--service', SERVICE, '--requester', 'dev', '--json'], as('dev'))).filter((g) => g.state === 'active' || g.state === 'pending');
  for (const g of open) await keyhole(['grant', 'revoke', g.id, '--reason', 'a new demo run'], as('dev'));
  const grant = (await keyhole(['grant', 'request', '--service', SERVICE, '--glob', 'scripts/demo/**', '--kind', 'SNAPSHOT', 'LOGPOINT', '--duration', '30m', '--reason', 'demo: look at order creation', '--ticket', 'DEMO-1'], as('dev'))).trim();
  await keyhole(['grant', 'approve', grant, '--key', state.annKey], as('ann'));
  say(`  grant     ${grant}: requested by dev, approved and signed by ann, verified by the agent`);

  // Log lines are held back until the snapshot is printed, then stream live.
  const heldLog = [];
  const logListeners = [];
  let logLive = false;
  children.start('log-tail', [cliMain, 'log', 'tail', '--service', SERVICE], {
    env: { ...process.env, KEYHOLE_BROKER: broker.url, KEYHOLE_TOKEN: state.tokens.dev },
    onLine: (line, which) => {
      if (which !== 'out') return;
      if (logLive) say(`  log │ ${line}`);
      else heldLog.push(line);
      logListeners.forEach((l) => l(line));
    },
  });

  const snapshotLine = lineOf(SERVICE_FILE, 'snapshot');
  const logLine = lineOf(SERVICE_FILE, 'log');
  const snapshotProbe = (await keyhole(['probe', 'set', `${SERVICE_PATH}:${snapshotLine}`, '--grant', grant, '--max-hits', '3'], as('dev'))).trim();
  const logProbe = (await keyhole(['probe', 'set', `${SERVICE_PATH}:${logLine}`, '--grant', grant, '--max-hits', '5', '--log', 'order {order.id} for {customer.email}: {order.items.length} item(s), total {order.total}'], as('dev'))).trim();
  say(`  probes    snapshot ${snapshotProbe} at ${SERVICE_PATH}:${snapshotLine}, logpoint ${logProbe} at ${SERVICE_PATH}:${logLine}`);
  say(`  pids:     ${children.pids().join(', ')}, demo ${process.pid}`);
  say();

  const snapshotId = await waitFor(
    'the first snapshot',
    async () => JSON.parse(await keyhole(['snapshot', 'list', '--json', '--probe', snapshotProbe], as('dev')))[0]?.id,
    DEFAULTS.stepTimeoutMs,
  );
  const tree = await keyhole(['snapshot', 'show', snapshotId], as('dev'));
  say('Captured snapshot (masked inside the service before it left; read as dev, and the read is audited):');
  say(indent(tree));
  say();
  if (heldLog.length === 0) await lineMatching((l) => logListeners.push(l), (l) => l, 'the first log line', DEFAULTS.stepTimeoutMs);
  say(`Logpoint output (masked the same way; \`keyhole log tail\` prints it too):`);
  logLive = true;
  for (const line of heldLog.splice(0)) say(`  log │ ${line}`);
  say();

  const port = new URL(broker.url).port;
  say('Attach VS Code (the Keyhole extension arrives in a later issue; this is the configuration it takes):');
  say(`    .vscode/launch.json: {"type": "keyhole", "request": "attach", "name": "Keyhole: ${SERVICE}", "broker": "http://127.0.0.1:${port}", "service": "${SERVICE}"}`);
  say(`    developer token (dev): ${state.tokens.dev}`);
  say();
  say('Use the CLI against it, in another terminal:');
  say(`    export KEYHOLE_BROKER=${broker.url} KEYHOLE_TOKEN=${state.tokens.dev}   # as dev`);
  say(`    alias keyhole="node ${relative(process.cwd(), cliMain)}"`);
  say(`    keyhole probe list --grant ${grant}`);
  say(`    keyhole snapshot list && keyhole snapshot show <id>`);
  say(`    keyhole log tail --service ${SERVICE}`);
  say(`    keyhole probe set ${SERVICE_PATH}:${logLine} --grant ${grant} --log 'total {order.total}'`);
  say(`    KEYHOLE_TOKEN=${state.tokens.ops} keyhole audit verify               # as ops`);
  say(`    KEYHOLE_TOKEN=${state.tokens.ann} keyhole grant approve <id> --key ${relative(process.cwd(), state.annKey)}   # as ann`);
  say(`    tokens: ${relative(process.cwd(), statePath)}`);
  say();
  if (args['exit-after-capture']) return shutdown(0);
  say('Running. Ctrl-C stops the broker, the service and everything else the demo started.');
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  void shutdown(1);
});
