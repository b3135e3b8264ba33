/**
 * Sends approved grants, with their signatures, to the agents whose labels
 * match the grant's selector; sends revocations when grants end early. An
 * agent that connects gets every grant that is approved and still inside its
 * window. Agents verify each grant themselves; this only delivers.
 */
import { type Broker } from '../broker';
import { type GrantView } from '../grants/grantService';
import { activeKillSwitch } from '../probes/killSwitch';
import { type AgentConnection, selectorMatches } from './agentRegistry';

export function grantsForAgent(broker: Broker, conn: AgentConnection): Promise<void> {
  return broker.store.transaction(async (r) => {
    if (await activeKillSwitch(r, conn.service)) return;
    const now = broker.clock();
    for (const grant of await r.grants.list({ service: conn.service, status: 'approved' })) {
      if (now >= grant.notAfterMs || !grant.body) continue;
      const sg = await broker.grants.signedGrantFrom(r, grant);
      if (sg && selectorMatches(grant.selector, conn.labels)) conn.send({ grant: { grant: sg } });
    }
  });
}

/** Subscribes to grant changes; returns the unsubscribe function. */
export function routeGrantChanges(broker: Broker): () => void {
  return broker.grants.onChange((view: GrantView) => {
    const g = view.grant;
    const targets = broker.agents.matching(g.service, g.selector);
    if (view.state === 'active' || view.state === 'approved') {
      const delivery = broker.store.transaction(async (r) => ((await activeKillSwitch(r, g.service)) ? undefined : broker.grants.signedGrantFrom(r, g)));
      void delivery.then(
        (sg) => {
          if (sg) for (const t of targets) t.send({ grant: { grant: sg } });
        },
        () => undefined,
      );
    } else if (view.state === 'revoked' && g.body) {
      for (const t of targets) t.send({ revocation: { grantId: g.id, reason: g.closedReason || `revoked by ${g.closedBy}` } });
    }
  });
}
