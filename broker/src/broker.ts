/**
 * The composition root of the broker's core: one store, one clock, one
 * event bus, and the services over them. The HTTP server, the WebSocket
 * gateways and the CLI all take a Broker.
 */
import { type Clock, systemClock } from './clock';
import { EventBus } from './events';
import { AgentRegistry } from './gateway/agentRegistry';
import { GrantService } from './grants/grantService';
import { IdentityService } from './identity/identityService';
import { KillSwitchService } from './probes/killSwitch';
import { ProbeService } from './probes/probeService';
import { ProbeStatusTracker } from './probes/probeStatusTracker';
import { ServiceRegistry } from './services/serviceRegistry';
import { SnapshotService } from './snapshots/snapshotService';
import { type Store } from './store/store';

export interface Broker {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly identities: IdentityService;
  readonly services: ServiceRegistry;
  readonly grants: GrantService;
  readonly probes: ProbeService;
  readonly snapshots: SnapshotService;
  readonly killSwitch: KillSwitchService;
  /** The agents connected now (in memory; rebuilt as agents reconnect). */
  readonly agents: AgentRegistry;
  /** What the agents last reported about each probe (in memory). */
  readonly probeStatuses: ProbeStatusTracker;
}

export function createBroker(store: Store, clock: Clock = systemClock): Broker {
  const events = new EventBus();
  return {
    store,
    clock,
    events,
    identities: new IdentityService(store, clock),
    services: new ServiceRegistry(store, clock),
    grants: new GrantService(store, clock),
    probes: new ProbeService(store, clock, events),
    snapshots: new SnapshotService(store, clock, events),
    killSwitch: new KillSwitchService(store, clock, events),
    agents: new AgentRegistry(),
    probeStatuses: new ProbeStatusTracker(),
  };
}
