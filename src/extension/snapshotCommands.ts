// Snapshot commands: reopen a stored snapshot as a stopped thread, export one
// (as the agent masked it) to a JSON file, refresh the history view.
import * as vscode from 'vscode';
import { pb } from '@keyhole/protocol';
import { type BrokerAuth } from './auth';
import { Command } from './commandIds';
import { type KeyholeSessions } from './keyholeSessions';
import { type KeyholeOutput } from './output';
import { type SnapshotNode, type SnapshotTree } from './views/snapshotTree';

/** A snapshot named by the history view (its node), by id, or by `{ id, path }` (export target). */
export type SnapshotTarget = string | SnapshotNode | { readonly id: string; readonly path?: string } | undefined;

function idOf(t: SnapshotTarget): string | undefined {
  if (typeof t === 'string') return t;
  if (!t) return undefined;
  if ('kind' in t) return t.kind === 'snapshot' ? t.row.id : undefined;
  return t.id;
}

/** The snapshot as JSON text: enums by name, 64-bit numbers and bytes as strings, empty fields left out. */
export function snapshotJson(s: pb.Snapshot): string {
  return JSON.stringify(pb.Snapshot.toObject(s, { enums: String, longs: String, bytes: String, defaults: false, arrays: true }), null, 2) + '\n';
}

export function registerSnapshotCommands(auth: BrokerAuth, sessions: KeyholeSessions, tree: SnapshotTree, out: KeyholeOutput): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.RefreshSnapshots, async () => {
      tree.refresh();
      return tree.rows().catch(() => []);
    }),
    vscode.commands.registerCommand(Command.OpenSnapshot, async (t?: SnapshotTarget) => {
      const id = idOf(t) ?? (await vscode.window.showInputBox({ title: 'Snapshot id', ignoreFocusOut: true }));
      if (!id) return undefined;
      const session = sessions.current();
      if (!session) {
        void vscode.window.showWarningMessage('Keyhole: start a Keyhole debug session first; snapshots open as its stopped threads.');
        return undefined;
      }
      try {
        const r = (await session.customRequest('keyhole/openSnapshot', { id })) as { threadId: number };
        await vscode.commands.executeCommand('workbench.debug.action.focusCallStackView');
        return r;
      } catch (err) {
        out.fail(`could not open snapshot ${id}`, err);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Command.ExportSnapshot, async (t?: SnapshotTarget) => {
      const id = idOf(t);
      if (!id) return undefined;
      const r = await auth.api();
      if (!r) {
        void vscode.window.showWarningMessage('Keyhole: sign in first (Keyhole: Sign In).');
        return undefined;
      }
      try {
        const text = snapshotJson(await r.api.snapshot(id));
        const given = typeof t === 'object' && !('kind' in t) ? t.path : undefined;
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = given
          ? vscode.Uri.file(given)
          : await vscode.window.showSaveDialog({ title: 'Export snapshot (masked) as JSON', filters: { JSON: ['json'] }, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `snapshot-${id}.json`) } : {}) });
        if (!target) return undefined;
        await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
        out.info(`exported snapshot ${id} (masked as captured) to ${target.fsPath}`);
        return target.fsPath;
      } catch (err) {
        out.fail(`could not export snapshot ${id}`, err);
        return undefined;
      }
    }),
  ];
}
