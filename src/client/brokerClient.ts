// What the adapter needs from the broker, for one developer and one service:
// their grants, probes, snapshots (HTTP) and the /events stream. No vscode;
// the adapter reaches this through its ISnapshotSource interface.
import { pb, type ProbeJson, type SnapshotViewJson } from '@keyhole/protocol';
import { type ConnectionChange, type GrantInfo, type ProbeRequest, type SnapshotMeta } from '../common/brokerTypes';
import { type Event } from '../common/emitter';
import { BrokerHttp, whoAmI } from './brokerHttp';
import { EventStream } from './eventStream';

export interface BrokerClientOptions {
  /** http(s):// URL of the broker. */
  readonly brokerUrl: string;
  readonly token: string;
  readonly service: string;
}

/** http://host:port/x -> ws://host:port/events */
export function eventsUrl(brokerUrl: string): string {
  const u = new URL(brokerUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = '/events';
  u.search = '';
  return u.toString();
}

export class BrokerClient {
  readonly onEvent: Event<pb.ClientEvent>;
  readonly onConnection: Event<ConnectionChange>;

  private constructor(
    private readonly http: BrokerHttp,
    private readonly stream: EventStream,
    private readonly service: string,
    /** The developer the token belongs to. */
    readonly userId: string,
  ) {
    this.onEvent = stream.onEvent;
    this.onConnection = stream.onConnection;
  }

  /** Checks the token (GET /v1/me; a person's, not an agent's) and opens the event stream. Rejects with BrokerRequestError or a coded Error. */
  static async connect(o: BrokerClientOptions): Promise<BrokerClient> {
    const http = new BrokerHttp({ baseUrl: o.brokerUrl, token: o.token });
    const me = await whoAmI(http);
    const stream = new EventStream({ url: eventsUrl(o.brokerUrl), token: o.token, service: o.service });
    await stream.open();
    return new BrokerClient(http, stream, o.service, me.id);
  }

  /** This developer's grants on the service, newest first as the broker lists them. */
  listGrants(): Promise<GrantInfo[]> {
    return this.http.call<GrantInfo[]>('GET', `/v1/grants?service=${encodeURIComponent(this.service)}&requester=${encodeURIComponent(this.userId)}`);
  }

  async setProbe(req: ProbeRequest): Promise<{ id: string }> {
    const p = await this.http.call<ProbeJson>('POST', '/v1/probes', req);
    return { id: p.id };
  }

  async removeProbe(probeId: string, reason: string): Promise<void> {
    await this.http.call('DELETE', `/v1/probes/${encodeURIComponent(probeId)}?reason=${encodeURIComponent(reason)}`);
  }

  listSnapshots(limit: number): Promise<SnapshotMeta[]> {
    return this.http.call<SnapshotMeta[]>('GET', `/v1/snapshots?service=${encodeURIComponent(this.service)}&limit=${limit}`);
  }

  /** Reads one stored snapshot (audited by the broker as a view). */
  async getSnapshot(id: string): Promise<pb.Snapshot> {
    const r = await this.http.call<SnapshotViewJson>('GET', `/v1/snapshots/${encodeURIComponent(id)}`);
    return pb.Snapshot.decode(Buffer.from(r.protobuf, 'base64'));
  }

  close(): void {
    this.stream.close();
  }
}
