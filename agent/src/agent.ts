import { hostname } from 'node:os';
import { currentVersion, pb } from '@keyhole/protocol';
import type { ResolvedAgentConfig } from './config';
import { ScopeHandoff } from './capture/scopeHandoff';
import { UNINITIALIZED_VALUE } from './capture/serializerProperties';
import { createExpressionRuntime } from './expressions';
import { GrantBook } from './grants/grantBook';
import type { TrustPolicy } from './grants/trustFile';
import { DebuggerControl } from './inspector/debuggerControl';
import { otherDebuggerUrl, SyncSession } from './inspector/session';
import { createTraceIdSource } from './otel';
import { RUNTIME_GLOBAL } from './probes/conditionBuilder';
import { ProbeManager } from './probes/probeManager';
import { createRedactor, mergeAdditions, type MaskingPolicy } from './redact';
import type { Redactor } from './redact/redactor';
import { BrokerTransport } from './transport';
import type { AgentLog } from './util/log';


export const AGENT_VERSION = '0.1.0';

export interface AgentStatus {
  readonly state: 'running' | 'stood-down' | 'stopped';
  readonly reason: string;
  readonly connected: boolean;
  /** Probes the agent holds, whatever their state (some may still be being located or planned). */
  readonly probes: number;
  /** Probes whose breakpoint is set right now: their line will be captured when it runs. */
  readonly probesArmed: number;
  readonly serviceEnabled: boolean;
}

/**
 * One agent in one process: composes the inspector session, grant
 * verification, probes and the broker transport. Everything it does is
 * reached from here, and nothing here throws into the host.
 */
export class Agent {
  private readonly session = new SyncSession();
  private readonly handoff = new ScopeHandoff();
  private readonly grants: GrantBook;
  private readonly probes: ProbeManager;
  private readonly transport: BrokerTransport;
  private readonly debuggerControl: DebuggerControl;
  private redactor: Redactor;
  private sweepTimer: NodeJS.Timeout | undefined;
  private state: AgentStatus['state'] = 'running';
  private reason = '';
  private serviceEnabled = false;

  constructor(
    private readonly config: ResolvedAgentConfig,
    trust: TrustPolicy,
    private readonly masking: MaskingPolicy,
    private readonly log: AgentLog,
  ) {
    this.redactor = createRedactor(masking);
    this.grants = new GrantBook(trust, config.labels);
    this.debuggerControl = new DebuggerControl(
      this.session,
      (s) => this.probes.onScript(s),
      (p) => this.probes.onPaused(p),
      (code, message) => this.log(code, message),
    );
    const declaration = ScopeHandoff.declaration(RUNTIME_GLOBAL);
    this.probes = new ProbeManager({
      debuggerControl: this.debuggerControl,
      authority: this.grants,
      redactor: () => this.redactor,
      limits: config.capture,
      location: config.location,
      rate: config.rate,
      service: config.service,
      instanceId: config.instanceId,
      handOff: (ids) => {
        this.debuggerControl.callWithObjects(ids, declaration);
        return this.handoff.take();
      },
      traceIds: createTraceIdSource(),
      onStatus: (status) => this.transport.send({ probeStatus: status }),
      onSnapshot: (snapshot) => this.transport.send({ snapshot }),
      onLog: (logLine) => this.transport.send({ logLine }),
      onError: (code, message) => this.log(code, message),
    });
    this.transport = new BrokerTransport({
      url: config.brokerUrl,
      settings: config.transport,
      hello: () => ({
        version: currentVersion(),
        service: config.service,
        labels: { ...config.labels },
        instanceId: config.instanceId,
        runtimeVersion: process.version,
        agentVersion: AGENT_VERSION,
        pid: process.pid,
        hostname: hostname(),
        token: config.agentToken,
      }),
      stats: () => {
        const s = this.probes.stats();
        const t = this.transport.counters();
        const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
        return { probesArmed: s.probesArmed, queueLength: t.queued, droppedFrames: dropped, snapshotsCaptured: s.snapshotsCaptured, hitsDeclined: s.hitsDeclined, budgetUsedMicros: s.budgetUsedMicros, pauses: s.pauses };
      },
      handlers: {
        onMessage: (m) => this.guard(() => this.onBrokerMessage(m)),
        onConnected: (w) => this.guard(() => this.onWelcome(w)),
        onDisconnected: () => undefined,
        onBrokerLost: () =>
          this.guard(() => {
            const n = this.probes.removeWhere(() => true, pb.ProbeState.REMOVED, 'KH_BROKER_LOST', 'lost the broker for longer than the grace period; a revocation could have been missed');
            if (n) this.log('KH_BROKER_LOST', `lost the broker; removed ${n} probe(s) until it is back`);
          }),
      },
      log: (code, message) => this.log(code, message),
    });
  }

  start(): void {
    const other = otherDebuggerUrl();
    if (other) {
      this.standDown(`another debugger is active (${other}); the agent stands down`);
      return;
    }
    this.session.connect();
    Object.defineProperty(globalThis, RUNTIME_GLOBAL, {
      value: Object.freeze({ ...createExpressionRuntime(), gate: this.probes.gate, hit: this.probes.hit, inline: this.probes.inline, uninitialized: UNINITIALIZED_VALUE, receive: this.handoff.receive }),
      enumerable: false,
      configurable: true,
      writable: false,
    });
    this.transport.start();
    this.sweepTimer = setInterval(() => this.guard(() => this.sweep()), this.config.transport.sweepMs);
    this.sweepTimer.unref();
  }

  status(): AgentStatus {
    return { state: this.state, reason: this.reason, connected: this.transport.connected, probes: this.probes.size, probesArmed: this.probes.stats().probesArmed, serviceEnabled: this.serviceEnabled };
  }

  /** Stops everything and leaves no inspector state behind. Idempotent. */
  stop(reason = 'stopped'): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.reason = reason;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.guard(() => this.probes.close());
    this.guard(() => this.transport.close());
    this.session.disconnect();
    const g = globalThis as Record<string, unknown>;
    if (Object.getOwnPropertyDescriptor(g, RUNTIME_GLOBAL)) delete g[RUNTIME_GLOBAL];
  }

  private standDown(reason: string): void {
    this.log('KH_OTHER_DEBUGGER', reason);
    this.stop(reason);
    this.state = 'stood-down';
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log('KH_AGENT_INTERNAL', err instanceof Error ? err.message : String(err));
    }
  }

  private sweep(): void {
    const other = otherDebuggerUrl();
    if (other) {
      this.standDown(`a debugger attached (${other}); the agent removed its probes and stands down`);
      return;
    }
    for (const id of this.grants.sweep()) {
      this.probes.removeWhere((r) => r.grantId === id, pb.ProbeState.EXPIRED, 'KH_GRANT_EXPIRED', `grant ${id} ended`);
    }
    this.probes.expireDue(Date.now());
  }

  private onWelcome(w: pb.Welcome): void {
    this.serviceEnabled = w.serviceEnabled;
    if (!w.serviceEnabled) {
      this.log('KH_SERVICE_DISABLED', w.message || `service ${this.config.service} is unknown or disabled at the broker; the agent stays idle`);
      this.probes.removeWhere(() => true, pb.ProbeState.REMOVED, 'KH_SERVICE_DISABLED', 'the service is disabled');
      return;
    }
    if (w.masking && (w.masking.names.length || w.masking.valuePatterns.length)) {
      const merged = mergeAdditions(this.masking, w.masking);
      if (merged.ok) this.redactor = createRedactor(merged.policy);
      else this.log('KH_MASKING_ADDITIONS', `masking additions from the broker were refused: ${merged.problems.join('; ')}`);
    }
    for (const status of this.probes.probeStatuses()) this.transport.send({ probeStatus: status });
  }

  private onBrokerMessage(m: pb.BrokerMessage): void {
    switch (m.body) {
      case 'setProbe': {
        const probe = m.setProbe?.probe;
        if (!probe) return;
        if (!this.serviceEnabled) {
          // Said, not ignored: the developer's breakpoint would otherwise wait forever.
          this.transport.send({ probeStatus: { probeId: probe.id, state: pb.ProbeState.REFUSED, code: 'KH_SERVICE_DISABLED', message: `service ${this.config.service} is disabled at the broker`, instanceId: this.config.instanceId, updatedAtMs: Date.now() } });
          return;
        }
        this.probes.set(pb.Probe.create(probe));
        return;
      }
      case 'removeProbe':
        if (m.removeProbe) this.probes.remove(m.removeProbe.probeId, m.removeProbe.reason);
        return;
      case 'grant': {
        if (!m.grant?.grant) return;
        const r = this.grants.add(pb.SignedGrant.create(m.grant.grant));
        if (!r.ok) {
          this.transport.send({ error: { code: r.code, message: r.message, fatal: false } });
          this.log(r.code, r.message);
        }
        return;
      }
      case 'revocation':
        if (!m.revocation) return;
        this.grants.revoke(m.revocation.grantId);
        this.probes.removeWhere((r) => r.grantId === m.revocation!.grantId, pb.ProbeState.EXPIRED, 'KH_GRANT_REVOKED', `grant ${m.revocation.grantId} was revoked`);
        return;
      case 'killSwitch': {
        const k = m.killSwitch;
        if (!k || (k.scope !== 'global' && k.scope !== this.config.service)) return;
        this.grants.setKilled(k.on);
        if (k.on) {
          const n = this.probes.removeWhere(() => true, pb.ProbeState.REFUSED, 'KH_KILL_SWITCH', `kill switch on${k.reason ? `: ${k.reason}` : ''}`);
          this.log('KH_KILL_SWITCH', `kill switch on (${k.scope}); removed ${n} probe(s)`);
        }
        return;
      }
      case 'error':
        if (m.error) this.log(m.error.code || 'KH_BROKER_ERROR', m.error.message);
        return;
      default:
        return;
    }
  }
}
