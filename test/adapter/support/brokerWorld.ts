// A real broker (the `keyhole broker start` CLI as a child process, SQLite in
// a temp dir, 127.0.0.1 port 0) with a developer, an approver holding a real
// Ed25519 key, an ops user, the service `orders`, its agent token and trust
// file; plus a real agent-carrying fixture service connected to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentFixtures, repoRoot } from '../../support/fixtures';
import { Service } from '../../support/service';

export const brokerMain = join(repoRoot, 'broker', 'dist', 'cli', 'main.js');
export const startAgentPath = join(agentFixtures, 'start-agent.js');
/** Roomy capture budgets: the defaults are sized for production hosts, not a loaded 2-core test machine. */
const ROOMY = { capture: { timeBudgetMs: 2000 }, rate: { blockedMsPerSecond: 1000 } };

export interface Grant {
  readonly id: string;
  readonly state: string;
}

export class BrokerWorld {
  readonly services: Service[] = [];
  devToken = '';
  private annToken = '';
  private opsToken = '';
  /** The service's agent token (for a hand-made agent connection). */
  agentToken = '';
  private readonly annKey: KeyObject;
  readonly trustFile: string;
  readonly devTokenFile: string;

  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.annKey = privateKey;
    this.annPub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.trustFile = join(dir, 'orders.trust.json');
    this.devTokenFile = join(dir, 'dev.token');
  }

  private readonly annPub: string;

  static async start(): Promise<BrokerWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-adapter-'));
    const child = spawn(process.execPath, [brokerMain, 'broker', 'start', '--db', join(dir, 'keyhole.db'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\/\/\S+)\n/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`broker exited (${code}) before listening: ${err}`)));
    });
    const w = new BrokerWorld(dir, child, url);
    await w.setUp();
    return w;
  }

  async http<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  private async setUp(): Promise<void> {
    const admin = (await this.http<{ token: string }>('', 'POST', '/v1/init', { adminId: 'root' })).token;
    const add = async (id: string, role: string) => (await this.http<{ token: string }>(admin, 'POST', '/v1/users', { id, roles: [role] })).token;
    this.devToken = await add('dev', 'developer');
    this.annToken = await add('ann', 'approver');
    this.opsToken = await add('ops1', 'ops');
    writeFileSync(this.devTokenFile, `${this.devToken}\n`, { mode: 0o600 });
    await this.http(this.annToken, 'PUT', '/v1/users/ann/key', { publicKeyPem: this.annPub });
    this.agentToken = (await this.http<{ agentToken: string }>(this.opsToken, 'POST', '/v1/services', { name: 'orders', policy: { approvalsRequired: 1 } })).agentToken;
    writeFileSync(this.trustFile, JSON.stringify(await this.http(this.opsToken, 'GET', '/v1/services/orders/trust')));
  }

  /** The developer asks for a grant on `orders` (pending until approved). */
  requestGrant(over: Record<string, unknown> = {}): Promise<Grant> {
    return this.http<Grant>(this.devToken, 'POST', '/v1/grants', {
      service: 'orders',
      selector: { region: 'eu' },
      scopeGlobs: ['test/agent/fixtures/**'],
      kinds: ['SNAPSHOT', 'LOGPOINT'],
      reason: 'adapter transcript test',
      ticket: 'T-7',
      ...over,
    });
  }

  /** Ann fetches the signing body, signs it with her own key, and posts the approval. */
  async approve(grantId: string): Promise<Grant> {
    const s = await this.http<{ body: string }>(this.annToken, 'GET', `/v1/grants/${grantId}/signing-body`);
    const signature = sign(null, Buffer.from(s.body, 'base64'), this.annKey).toString('base64');
    return this.http<Grant>(this.annToken, 'POST', `/v1/grants/${grantId}/approvals`, { body: s.body, signature });
  }

  revoke(grantId: string): Promise<Grant> {
    return this.http<Grant>(this.opsToken, 'POST', `/v1/grants/${grantId}/revoke`, { reason: 'test over' });
  }

  /** The /agent WebSocket URL. */
  get agentUrl(): string {
    return this.url.replace(/^http/, 'ws') + '/agent';
  }

  /** Starts a fixture under test/agent/fixtures with the agent, connected to this broker as orders-1. */
  async service(script: string): Promise<Service> {
    const svc = await Service.start(join(agentFixtures, script), {
      registerPath: startAgentPath,
      execArgv: ['--unhandled-rejections=strict'],
      env: {
        KEYHOLE_BROKER: this.agentUrl,
        KEYHOLE_AGENT_TOKEN: this.agentToken,
        KEYHOLE_SERVICE: 'orders',
        KEYHOLE_TRUST_FILE: this.trustFile,
        KEYHOLE_LABELS: 'region=eu',
        KEYHOLE_INSTANCE_ID: 'orders-1',
        KEYHOLE_TEST_START_OPTIONS: JSON.stringify(ROOMY),
      },
    });
    this.services.push(svc);
    await this.waitForAgent();
    return svc;
  }

  private async waitForAgent(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const agents = await this.http<unknown[]>(this.opsToken, 'GET', '/v1/agents?service=orders');
      if (agents.length) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the agent did not connect to the broker');
  }

  /** Stops the broker process (SIGTERM), as an outage would. */
  async stopBroker(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }

  async close(): Promise<void> {
    await Promise.all(this.services.splice(0).map((s) => s.stop()));
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
