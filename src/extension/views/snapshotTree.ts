// The Snapshot history view: stored snapshots of the service the running
// `keyhole` debug session is attached to (probe, instance, time, trace id
// when the broker lists one), newest first. Clicking one reopens it as a
// stopped thread through the adapter's `keyhole/openSnapshot` request.
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { type KeyholeSessions } from '../keyholeSessions';

/** A row of the adapter's `keyhole/snapshots` answer. */
export interface SnapshotRow {
  readonly id: string;
  readonly probeId: string;
  readonly grantId: string;
  readonly instanceId: string;
  readonly capturedAtMs: number;
  readonly label: string;
  readonly traceId?: string;
}

export type SnapshotNode = { readonly kind: 'snapshot'; readonly row: SnapshotRow } | { readonly kind: 'note'; readonly text: string };

export class SnapshotTree implements vscode.TreeDataProvider<SnapshotNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SnapshotNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: KeyholeSessions) {
    this.subscription = sessions.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The rows of the current session; [] without one. Rejects with the adapter's error. */
  async rows(): Promise<SnapshotRow[]> {
    const session = this.sessions.current();
    if (!session) return [];
    const r = (await session.customRequest('keyhole/snapshots')) as { snapshots?: SnapshotRow[] };
    return r.snapshots ?? [];
  }

  async getChildren(node?: SnapshotNode): Promise<SnapshotNode[]> {
    if (node) return [];
    if (!this.sessions.current()) return [{ kind: 'note', text: 'Start a Keyhole debug session to list its snapshots.' }];
    try {
      const rows = await this.rows();
      return rows.length ? rows.map((row) => ({ kind: 'snapshot', row })) : [{ kind: 'note', text: 'No snapshots stored yet.' }];
    } catch (err) {
      return [{ kind: 'note', text: `Could not list snapshots: ${(err as Error).message}` }];
    }
  }

  getTreeItem(node: SnapshotNode): vscode.TreeItem {
    if (node.kind === 'note') return new vscode.TreeItem(node.text);
    const r = node.row;
    const item = new vscode.TreeItem(r.label, vscode.TreeItemCollapsibleState.None);
    const time = new Date(r.capturedAtMs).toLocaleTimeString();
    item.id = r.id;
    item.description = [r.instanceId, time, r.traceId ? `trace ${r.traceId.slice(0, 8)}` : ''].filter(Boolean).join(' · ');
    item.tooltip = [`Snapshot ${r.id}`, `Probe ${r.probeId} (${r.label})`, `Instance ${r.instanceId}`, `Captured ${new Date(r.capturedAtMs).toLocaleString()}`, `Grant ${r.grantId}`, r.traceId ? `Trace ${r.traceId}` : ''].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon('debug-breakpoint-log-unverified');
    item.contextValue = 'keyhole.snapshot';
    item.command = { command: Command.OpenSnapshot, title: 'Open snapshot', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
