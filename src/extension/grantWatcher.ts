// The signed-in user's grants, as the Grants view and the status bar show
// them: those they asked for, and (for approvers) those waiting for their
// approval. Polled every `keyhole.grants.refreshSeconds` while signed in, and
// at once after sign-in and after any grant command.
import * as vscode from 'vscode';
import { type BrokerAuth } from './auth';
import { type GrantRow } from './brokerApi';
import { errorText } from './errorText';
import { setting } from './settings';

export interface GrantLists {
  readonly signedIn: boolean;
  readonly userId: string;
  readonly mine: readonly GrantRow[];
  readonly awaiting: readonly GrantRow[];
  /** Why the last refresh failed, or '' after a good one. */
  readonly problem: string;
}

const EMPTY: GrantLists = { signedIn: false, userId: '', mine: [], awaiting: [], problem: '' };

export class GrantWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GrantLists>();
  readonly onDidChange = this.changed.event;
  private lists: GrantLists = EMPTY;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<GrantLists> | undefined;
  private queued: Promise<GrantLists> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly auth: BrokerAuth) {
    this.subscriptions = [
      auth.onDidChange(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('keyhole.grants.refreshSeconds')) this.schedule();
      }),
    ];
    this.schedule();
  }

  get current(): GrantLists {
    return this.lists;
  }

  /**
   * Fetches both lists, and the answer is never older than the call: one fetch
   * runs at a time, and a call made while one runs waits for the next, because
   * the running one may have been sent before the change the caller just made
   * (a rejection right after sign-in would otherwise still list its grant).
   * Calls made meanwhile share that next fetch.
   */
  refresh(): Promise<GrantLists> {
    if (!this.running) return this.start();
    const next = () => {
      this.queued = undefined;
      return this.start();
    };
    this.queued ??= this.running.then(next, next);
    return this.queued;
  }

  private start(): Promise<GrantLists> {
    const run: Promise<GrantLists> = this.fetch().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async fetch(): Promise<GrantLists> {
    const r = await this.auth.api();
    if (!r) this.lists = EMPTY;
    else {
      try {
        const isApprover = r.session.roles.includes('approver');
        const [mine, awaiting] = await Promise.all([r.api.grantsRequestedBy(r.session.userId), isApprover ? r.api.grantsAwaiting(r.session.userId) : Promise.resolve([])]);
        this.lists = { signedIn: true, userId: r.session.userId, mine, awaiting, problem: '' };
      } catch (err) {
        this.lists = { ...this.lists, signedIn: true, userId: r.session.userId, problem: errorText(err) };
      }
    }
    this.changed.fire(this.lists);
    return this.lists;
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), setting('keyhole.grants.refreshSeconds') * 1000);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
