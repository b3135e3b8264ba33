/**
 * The kill switch: ops stop all capture, everywhere (`global`) or for one
 * service, at once. Agents are told immediately and on every connect; the
 * broker itself refuses new probes and drops captures while it is on.
 */
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode } from '../errors';
import { type EventBus } from '../events';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { type KillSwitchRecord } from '../store/records';
import { type Repositories, type Store } from '../store/store';

export const GLOBAL_SCOPE = 'global';

/** The switch that stops `service`, if any is on (global first). */
export async function activeKillSwitch(r: Repositories, service: string): Promise<KillSwitchRecord | undefined> {
  const on = (await r.killSwitches.list()).filter((k) => k.on && (k.scope === GLOBAL_SCOPE || k.scope === service));
  return on.find((k) => k.scope === GLOBAL_SCOPE) ?? on[0];
}

export class KillSwitchService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  async set(actor: Principal, scope: string, on: boolean, reason: string): Promise<KillSwitchRecord> {
    requirePermission(actor, 'kill.switch');
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 2000) {
      throw brokerError(BrokerErrorCode.BadRequest, 'a kill switch needs a reason (at most 2000 characters)', 'say why, for the audit log and the agents');
    }
    const record = await this.store.transaction(async (r) => {
      if (scope !== GLOBAL_SCOPE && !(await r.services.get(scope))) {
        throw brokerError(BrokerErrorCode.NotFound, `no service ${scope}`, `use "${GLOBAL_SCOPE}" or a registered service name`);
      }
      const rec: KillSwitchRecord = { scope, on, reason, setBy: actor.id, setAtMs: this.clock() };
      await r.killSwitches.put(rec);
      await appendAudit(r, { actor: actor.id, action: on ? 'kill.switch.on' : 'kill.switch.off', subject: scope, details: { reason } }, rec.setAtMs);
      return rec;
    });
    this.events.emit({ type: 'killSwitch', record });
    return record;
  }

  async list(actor: Principal): Promise<KillSwitchRecord[]> {
    requirePermission(actor, 'agent.list');
    return this.store.transaction((r) => r.killSwitches.list());
  }
}
