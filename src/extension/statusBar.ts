// The status bar item: the active grant and its time left, turning to a
// warning in the last `keyhole.grants.warnMinutesLeft` minutes. Ticks every
// second only while a grant is active.
import * as vscode from 'vscode';
import { View } from './commandIds';
import { type GrantWatcher } from './grantWatcher';
import { activeGrant, statusText } from './grantText';
import { setting } from './settings';

const TICK_MS = 1000;

export class GrantStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('keyhole.grant', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly grants: GrantWatcher) {
    this.item.name = 'Keyhole grant';
    this.item.command = `${View.Grants}.focus`;
    this.subscription = grants.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const l = this.grants.current;
    if (!l.signedIn) {
      this.item.hide();
      this.setTicking(false);
      return;
    }
    const now = Date.now();
    const g = activeGrant(l.mine, now);
    const s = statusText(g, now, setting('keyhole.grants.warnMinutesLeft'));
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.setTicking(!!g);
  }

  private setTicking(on: boolean): void {
    if (on && !this.ticker) {
      this.ticker = setInterval(() => this.update(), TICK_MS);
      this.ticker.unref();
    } else if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    this.setTicking(false);
    this.subscription.dispose();
    this.item.dispose();
  }
}
