/**
 * Registered services and their policies, plus the agent tokens their
 * agents present. Only ops and admins change them; every change is audited
 * with the policy before and after.
 */
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode } from '../errors';
import { requirePermission, type IssuedToken } from '../identity/identityService';
import { SERVICE_NAME_PATTERN, type Principal } from '../identity/principal';
import { generateToken } from '../identity/tokens';
import { type ServiceRecord } from '../store/records';
import { type Repositories, type Store } from '../store/store';
import { type PolicyInput, resolvePolicy } from './policy';

export class ServiceRegistry {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Registers a service; returns it with its first agent token (shown once). */
  async add(actor: Principal, name: string, policy: PolicyInput = {}): Promise<{ service: ServiceRecord } & IssuedToken> {
    requirePermission(actor, 'service.manage');
    if (!SERVICE_NAME_PATTERN.test(name)) {
      throw brokerError(BrokerErrorCode.BadRequest, `"${name}" is not a valid service name`, 'use lower-case letters, digits and "-", up to 63 characters');
    }
    const resolved = resolvePolicy(policy);
    return this.store.transaction(async (r) => {
      if (await r.services.get(name)) throw brokerError(BrokerErrorCode.Conflict, `service ${name} already exists`, 'change it with `keyhole service set`');
      const now = this.clock();
      const service: ServiceRecord = { name, policy: resolved, createdAtMs: now, updatedAtMs: now };
      await r.services.insert(service);
      const issued = await this.issueAgentTokenIn(r, name);
      await appendAudit(r, { actor: actor.id, action: 'service.add', subject: name, details: { policy: resolved, tokenId: issued.tokenId } }, now);
      return { service, ...issued };
    });
  }

  /** Changes the fields of the policy that `policy` sets; the rest stay. */
  async setPolicy(actor: Principal, name: string, policy: PolicyInput): Promise<ServiceRecord> {
    requirePermission(actor, 'service.manage');
    return this.store.transaction(async (r) => {
      const current = await mustGetService(r, name);
      const resolved = resolvePolicy(policy, current.policy);
      const updated: ServiceRecord = { ...current, policy: resolved, updatedAtMs: this.clock() };
      await r.services.update(updated);
      await appendAudit(r, { actor: actor.id, action: 'service.set', subject: name, details: { from: current.policy, to: resolved } }, this.clock());
      return updated;
    });
  }

  async list(actor: Principal): Promise<ServiceRecord[]> {
    requirePermission(actor, 'service.view');
    return this.store.transaction((r) => r.services.list());
  }

  async get(actor: Principal, name: string): Promise<ServiceRecord> {
    requirePermission(actor, 'service.view');
    return this.store.transaction((r) => mustGetService(r, name));
  }

  /** Another agent token for the service, e.g. to rotate the old one out. */
  async issueAgentToken(actor: Principal, name: string): Promise<IssuedToken> {
    requirePermission(actor, 'service.manage');
    return this.store.transaction(async (r) => {
      await mustGetService(r, name);
      const issued = await this.issueAgentTokenIn(r, name);
      await appendAudit(r, { actor: actor.id, action: 'token.issue', subject: name, details: { kind: 'agent', tokenId: issued.tokenId } }, this.clock());
      return issued;
    });
  }

  private async issueAgentTokenIn(r: Repositories, service: string): Promise<IssuedToken> {
    const t = generateToken('agent');
    await r.tokens.insert({ id: t.id, hash: t.hash, kind: 'agent', subject: service, createdAtMs: this.clock(), expiresAtMs: 0, revoked: false });
    return { token: t.token, tokenId: t.id };
  }
}

export async function mustGetService(r: Repositories, name: string): Promise<ServiceRecord> {
  const service = await r.services.get(name);
  if (!service) throw brokerError(BrokerErrorCode.NotFound, `no service ${name}`, 'see `keyhole service list`, or register it with `keyhole service add`');
  return service;
}
