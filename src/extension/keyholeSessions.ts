// Which `keyhole` debug session the views work with: the active one when it
// is a keyhole session, else the most recently started keyhole session that
// still runs. Fires when that may have changed, and when a snapshot arrived
// (the adapter sent `stopped`), so the history view refreshes.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './commandIds';

export class KeyholeSessions implements vscode.Disposable {
  private readonly running: vscode.DebugSession[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        this.running.push(s);
        this.changed.fire();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        const i = this.running.indexOf(s);
        if (i < 0) return;
        this.running.splice(i, 1);
        this.changed.fire();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.changed.fire()),
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type === 'event' && m.event === 'stopped') this.changed.fire();
          },
        }),
      }),
    ];
  }

  current(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) return active;
    return this.running[this.running.length - 1];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
