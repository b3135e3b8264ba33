// Shared set-up for agent end-to-end tests: one ProtocolPeer per test file,
// a trust file with one approver, services started with the agent and
// `--unhandled-rejections=strict` (so any rejection the agent leaks kills the
// child and fails the test), and small readers for captured values.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { ProtocolPeer, type AgentConnection } from './protocolPeer';
import { makeApprover, writeTrustFile, grantBody, signGrant, type Approver } from './approvers';
import { Service } from './service';
import { agentFixtures, registerPath } from './fixtures';

/** Every fixture runs with these: a leaked rejection must crash the child, not pass unnoticed. */
export const STRICT_EXEC_ARGV = ['--unhandled-rejections=strict'];

/** The agent preloaded through start(options) instead of register.js. */
export const startAgentPath = join(agentFixtures, 'start-agent.js');

/**
 * Capture settings for tests that assert every captured value: the default
 * 5 ms capture time budget and 10 ms/s blocked-time budget are sized for
 * production hosts, and a loaded 2-core test machine can exceed them on a
 * cold first capture, which (correctly) cuts values or skips hits.
 */
export const ROOMY_BUDGETS = { capture: { timeBudgetMs: 2000 }, rate: { blockedMsPerSecond: 1000 } } as const;

export interface ServiceStart {
  readonly env?: Record<string, string>;
  readonly execArgv?: string[];
  readonly withAgent?: boolean;
  /** Options for start(options); the agent's other settings still come from the environment. */
  readonly start?: object;
}

export class AgentHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'keyhole-e2e-'));
  readonly approver: Approver = makeApprover('ann');
  readonly trustFile: string = writeTrustFile(this.dir, 'orders', [this.approver]);
  private readonly services: Service[] = [];
  private openPeer: ProtocolPeer | undefined;

  private constructor() {}

  /**
   * The harness of one test file, declared in one line: node:test's hooks
   * open it before the file's first test and close it after its last.
   */
  static forFile(): AgentHarness {
    const h = new AgentHarness();
    before(() => h.open());
    after(() => h.close());
    return h;
  }

  /** The protocol peer the agents dial; there once the harness is open. */
  get peer(): ProtocolPeer {
    if (!this.openPeer) throw new Error('the harness is not open yet: AgentHarness.forFile() opens it before the first test');
    return this.openPeer;
  }

  private async open(): Promise<void> {
    this.openPeer = await ProtocolPeer.start();
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { KEYHOLE_BROKER: this.peer.url, KEYHOLE_SERVICE: 'orders', KEYHOLE_TRUST_FILE: this.trustFile, KEYHOLE_LABELS: 'region=eu', KEYHOLE_INSTANCE_ID: 'orders-1', ...extra };
  }

  /**
   * Starts a fixture (a file under test/agent/fixtures, or an absolute path)
   * with the agent: through register.js, or through start(options) when
   * `start` is given (see fixtures/start-agent.js).
   */
  async service(script: string, o: ServiceStart = {}): Promise<Service> {
    const path = script.startsWith('/') ? script : join(agentFixtures, script);
    const env = { ...(o.env ?? this.env()), ...(o.start ? { KEYHOLE_TEST_START_OPTIONS: JSON.stringify(o.start) } : {}) };
    const preload = o.start ? startAgentPath : registerPath;
    const svc = await Service.start(path, { env, registerPath: preload, execArgv: [...STRICT_EXEC_ARGV, ...(o.execArgv ?? [])], ...(o.withAgent === false ? { withAgent: false } : {}) });
    this.services.push(svc);
    return svc;
  }

  /** Starts a fixture, takes its connection, welcomes it and sends grant g1 (snapshots and logpoints, scope **). */
  async connect(script: string, o: ServiceStart & { grant?: Partial<pb.GrantBody.$Properties> } = {}): Promise<{ svc: Service; conn: AgentConnection }> {
    const svc = await this.service(script, o);
    const conn = await this.peer.nextAgent();
    conn.welcome();
    conn.send({ grant: { grant: signGrant(grantBody(o.grant), [this.approver]) } });
    return { svc, conn };
  }

  /** Stops every service this harness started; for finally blocks and after(). */
  async stopAll(): Promise<void> {
    await Promise.all(this.services.splice(0).map((s) => s.stop()));
  }

  async close(): Promise<void> {
    await this.stopAll();
    await this.openPeer?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const setProbe = (id: string, path: string, line: number, over: Partial<pb.Probe.$Properties> = {}): pb.BrokerMessage.$Properties => ({
  setProbe: { probe: { id, grantId: 'g1', kind: pb.ProbeKind.SNAPSHOT, location: { path, line }, ...over } },
});

export function byName(vars: readonly pb.Property[] | undefined, name: string): pb.Value {
  const v = vars?.find((p) => p.name === name)?.value;
  assert.ok(v, `variable ${name} captured; have ${(vars ?? []).map((p) => p.name).join(', ')}`);
  return v;
}

/** The variables of a snapshot frame's local scope (top frame by default), in the order captured. */
export function localsOf(snap: pb.Snapshot, frame = 0): pb.Property[] {
  const f = snap.frames[frame];
  assert.ok(f, `frame ${frame} captured`);
  const local = f.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL);
  assert.ok(local, `frame ${frame} has a local scope`);
  return local.variables;
}

/** Local and block-scoped variables (a loop's `let i`) of a snapshot frame. */
export function inScopeOf(snap: pb.Snapshot, frame = 0): pb.Property[] {
  const f = snap.frames[frame];
  assert.ok(f, `frame ${frame} captured`);
  return f.scopes.filter((s) => s.kind === pb.ScopeKind.LOCAL || s.kind === pb.ScopeKind.BLOCK).flatMap((s) => s.variables);
}

/** The first snapshot for a probe, waiting for it. */
export async function nextSnapshot(conn: AgentConnection, probeId: string, timeoutMs = 20_000): Promise<pb.Snapshot> {
  return (await conn.next((m) => m.body === 'snapshot' && m.snapshot!.probeId === probeId, timeoutMs, `a snapshot of ${probeId}`)).snapshot!;
}

/** The stderr lines of a child, without blank lines. */
export function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}

/**
 * Nothing but the agent's own one-line warnings on stderr: no stack trace, no
 * unhandled rejection or exception, no Node warning the agent caused.
 */
export function assertOnlyKeyholeLines(stderr: string): void {
  for (const line of stderrLines(stderr)) assert.match(line, /^\[keyhole\] KH_[A-Z_]+: /, `unexpected stderr line: ${line}\n--- full stderr ---\n${stderr}`);
}

/**
 * A barrier: resolves once everything the agent captured before it was called
 * has arrived. The agent hands snapshots and log lines to the transport on a
 * timer after the pause, and a starved host can read a broker message before
 * running a timer that fell due meanwhile; so one round trip proves nothing,
 * but two do (the timer runs in the loop turn between them). Each round trip
 * sets a probe on a file that does not exist (FILE_NOT_FOUND, or REFUSED once
 * the grant is gone) and waits for its status; the markers are removed after.
 */
export async function drain(conn: AgentConnection, tag: string): Promise<void> {
  const ids = [`drain-${tag}-1`, `drain-${tag}-2`];
  for (const id of ids) {
    conn.send(setProbe(id, `no-such-dir/${id}.js`, 1));
    await conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === id, 20_000, `the drain marker ${id}`);
  }
  for (const id of ids) conn.send({ removeProbe: { probeId: id, reason: 'drain marker' } });
}
