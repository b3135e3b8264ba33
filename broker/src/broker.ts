/**
 * The composition root of the broker's core: one store, one clock, and the
 * services over them. The HTTP server and the CLI both take a Broker.
 */
import { type Clock, systemClock } from './clock';
import { AgentRegistry } from './gateway/agentRegistry';
import { GrantService } from './grants/grantService';
import { IdentityService } from './identity/identityService';
import { ServiceRegistry } from './services/serviceRegistry';
import { type Store } from './store/store';

export interface Broker {
  readonly store: Store;
  readonly clock: Clock;
  readonly identities: IdentityService;
  readonly services: ServiceRegistry;
  readonly grants: GrantService;
  /** The agents connected now (in memory; rebuilt as agents reconnect). */
  readonly agents: AgentRegistry;
}

export function createBroker(store: Store, clock: Clock = systemClock): Broker {
  return {
    store,
    clock,
    identities: new IdentityService(store, clock),
    services: new ServiceRegistry(store, clock),
    grants: new GrantService(store, clock),
    agents: new AgentRegistry(),
  };
}
