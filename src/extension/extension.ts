// The composition root: builds the services once and registers them with
// VS Code. No logic lives here; every piece is in its own file.
import * as vscode from 'vscode';
import { InlineAdapterFactory } from './adapterFactory';
import { BrokerAuth } from './auth';
import { DEBUG_TYPE, View } from './commandIds';
import { KeyholeConfigurationProvider } from './debugConfigProvider';
import { registerGrantCommands } from './grantCommands';
import { GrantWatcher } from './grantWatcher';
import { KeyholeSessions } from './keyholeSessions';
import { KeyholeOutput } from './output';
import { registerSignInCommands } from './signInCommands';
import { registerSnapshotCommands } from './snapshotCommands';
import { GrantStatusBar } from './statusBar';
import { GrantsTree } from './views/grantsTree';
import { SnapshotTree } from './views/snapshotTree';

export function activate(context: vscode.ExtensionContext): void {
  const out = new KeyholeOutput();
  const auth = new BrokerAuth(context.secrets);
  const grants = new GrantWatcher(auth);
  const sessions = new KeyholeSessions();
  const grantsTree = new GrantsTree(grants);
  const snapshotTree = new SnapshotTree(sessions);
  const provider = new KeyholeConfigurationProvider(auth, out);
  context.subscriptions.push(
    out,
    auth,
    grants,
    sessions,
    grantsTree,
    snapshotTree,
    new GrantStatusBar(grants),
    vscode.window.registerTreeDataProvider(View.Grants, grantsTree),
    vscode.window.registerTreeDataProvider(View.Snapshots, snapshotTree),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(auth)),
    ...registerSignInCommands(auth, out),
    ...registerGrantCommands(auth, grants, out),
    ...registerSnapshotCommands(auth, sessions, snapshotTree, out),
  );
  void grants.refresh();
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}
