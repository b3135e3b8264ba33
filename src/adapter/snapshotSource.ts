// The adapter's only view of the broker. src/client/BrokerClient implements
// it (structurally; the adapter never imports the client), and the
// composition root (main.ts, later the extension) supplies it.
import { type pb } from '@keyhole/protocol';
import { type ConnectionChange, type GrantInfo, type ProbeRequest, type SnapshotMeta } from '../common/brokerTypes';
import { type Event } from '../common/emitter';
import { type ResolvedLaunchArgs } from './launchConfig';

export interface ISnapshotSource {
  /** The developer the token belongs to. */
  readonly userId: string;
  readonly onEvent: Event<pb.ClientEvent>;
  readonly onConnection: Event<ConnectionChange>;
  listGrants(): Promise<GrantInfo[]>;
  setProbe(req: ProbeRequest): Promise<{ id: string }>;
  removeProbe(probeId: string, reason: string): Promise<void>;
  listSnapshots(limit: number): Promise<SnapshotMeta[]>;
  getSnapshot(id: string): Promise<pb.Snapshot>;
  close(): void;
}

/** Connects for a resolved configuration with the token already read. Rejects with an Error carrying `code`. */
export type SnapshotSourceFactory = (args: ResolvedLaunchArgs, token: string) => Promise<ISnapshotSource>;

/** Files of the workspace, as the adapter may read them. */
export interface IFileAccessor {
  isFile(path: string): boolean;
  readFile(path: string): Promise<Uint8Array>;
}

/** Platform services the session needs; tests and the extension pass their own. */
export interface SessionServices {
  readonly connect: SnapshotSourceFactory;
  readonly files: IFileAccessor;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly sha256: (data: Uint8Array) => string;
}
