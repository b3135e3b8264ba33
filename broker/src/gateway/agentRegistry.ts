/**
 * The agents connected right now, by service and instance. One connection
 * per instance: a reconnecting instance replaces its older connection.
 */
import { type pb } from '@keyhole/protocol';

export interface AgentConnection {
  readonly service: string;
  readonly instanceId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly hostname: string;
  readonly pid: number;
  readonly agentVersion: string;
  readonly runtimeVersion: string;
  readonly connectedAtMs: number;
  lastHeartbeatMs: number;
  stats: pb.AgentStats.$Properties | undefined;
  send(message: pb.BrokerMessage.$Properties): void;
  close(code: number, reason: string): void;
}

/** True when every label the selector names has that value on the instance. */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export class AgentRegistry {
  private readonly byKey = new Map<string, AgentConnection>();

  private static key(service: string, instanceId: string): string {
    return `${service}\u0000${instanceId}`;
  }

  /** Adds a connection; returns the one it replaces, if any. */
  add(conn: AgentConnection): AgentConnection | undefined {
    const key = AgentRegistry.key(conn.service, conn.instanceId);
    const previous = this.byKey.get(key);
    this.byKey.set(key, conn);
    return previous;
  }

  /** Removes the connection if it is still the registered one. */
  remove(conn: AgentConnection): void {
    const key = AgentRegistry.key(conn.service, conn.instanceId);
    if (this.byKey.get(key) === conn) this.byKey.delete(key);
  }

  list(service?: string): AgentConnection[] {
    return [...this.byKey.values()].filter((c) => service === undefined || c.service === service);
  }

  matching(service: string, selector: Readonly<Record<string, string>>): AgentConnection[] {
    return this.list(service).filter((c) => selectorMatches(selector, c.labels));
  }
}
