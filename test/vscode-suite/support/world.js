// A real broker and a real agent-carrying service for the tests that run
// inside the VS Code extension host. Mirrors test/adapter/support/brokerWorld.ts
// with one difference: the broker CLI runs under KEYHOLE_TEST_NODE (the
// system Node the repository was installed with), because its better-sqlite3
// native module is built for that Node, while this extension host runs the
// Node 24 that code-server needs. The agent service runs under the extension
// host's own Node (process.execPath), which the agent supports.
'use strict';
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const brokerMain = path.join(repoRoot, 'broker', 'dist', 'cli', 'main.js');
const agentFixtures = path.join(repoRoot, 'test', 'agent', 'fixtures');
// The compiled shared test helpers (npm run build puts them in out/test).
const { Service } = require(path.join(repoRoot, 'out', 'test', 'support', 'service.js'));
const { lineOf } = require(path.join(repoRoot, 'out', 'test', 'support', 'fixtures.js'));
/** Roomy capture budgets: the defaults are sized for production hosts, not a loaded 2-core test machine. */
const ROOMY = { capture: { timeBudgetMs: 2000 }, rate: { blockedMsPerSecond: 1000 } };

class World {
  constructor(dir, child, url) {
    this.dir = dir;
    this.child = child;
    this.url = url;
    this.tokens = {};
    this.agentToken = '';
    this.services = [];
    this.trustFile = path.join(dir, 'orders.trust.json');
  }

  /** Starts the broker and adds root, dev (developer), ann (approver), ops1 (ops) and the service `orders`. */
  static async start() {
    const node = process.env.KEYHOLE_TEST_NODE || 'node';
    const dir = mkdtempSync(path.join(tmpdir(), 'keyhole-vscode-'));
    const child = spawn(node, [brokerMain, 'broker', 'start', '--db', path.join(dir, 'keyhole.db'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d.toString()));
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d.toString();
        const m = /^(http:\/\/\S+)\n/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`broker (${node}) exited (${code}) before listening: ${err}`)));
    });
    const w = new World(dir, child, url);
    const admin = (await w.http('', 'POST', '/v1/init', { adminId: 'root' })).token;
    const add = async (id, role) => (await w.http(admin, 'POST', '/v1/users', { id, roles: [role] })).token;
    w.tokens.dev = await add('dev', 'developer');
    w.tokens.ann = await add('ann', 'approver');
    w.tokens.ops = await add('ops1', 'ops');
    w.agentToken = (await w.http(w.tokens.ops, 'POST', '/v1/services', { name: 'orders', policy: { approvalsRequired: 1 } })).agentToken;
    return w;
  }

  async http(token, method, p, body) {
    const res = await fetch(this.url + p, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Ops builds the trust file from the keys approvers registered (as `keyhole trust build orders` does). */
  async buildTrustFile() {
    const trust = await this.http(this.tokens.ops, 'GET', '/v1/services/orders/trust');
    writeFileSync(this.trustFile, JSON.stringify(trust));
    return trust;
  }

  /** Starts a fixture from test/agent/fixtures with the agent, connected to this broker as orders-1 (region=eu). */
  async service(script) {
    const svc = await Service.start(path.join(agentFixtures, script), {
      registerPath: path.join(agentFixtures, 'start-agent.js'),
      execArgv: ['--unhandled-rejections=strict'],
      env: {
        KEYHOLE_BROKER: this.url.replace(/^http/, 'ws') + '/agent',
        KEYHOLE_AGENT_TOKEN: this.agentToken,
        KEYHOLE_SERVICE: 'orders',
        KEYHOLE_TRUST_FILE: this.trustFile,
        KEYHOLE_LABELS: 'region=eu',
        KEYHOLE_INSTANCE_ID: 'orders-1',
        KEYHOLE_TEST_START_OPTIONS: JSON.stringify(ROOMY),
      },
    });
    this.services.push(svc);
    for (let i = 0; i < 200; i++) {
      if ((await this.http(this.tokens.ops, 'GET', '/v1/agents?service=orders')).length) return svc;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the agent did not connect to the broker');
  }

  async close() {
    await Promise.all(this.services.splice(0).map((s) => s.stop()));
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

module.exports = { World, repoRoot, agentFixtures, lineOf };
