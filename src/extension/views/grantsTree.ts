// The Grants view: "Mine" (grants I asked for) and "Waiting for my approval"
// (approvers only). Context values drive the inline actions in package.json:
// keyhole.grant.approvable (approve, reject) and keyhole.grant.revocable.
import * as vscode from 'vscode';
import { type GrantRow } from '../brokerApi';
import { type GrantLists, type GrantWatcher } from '../grantWatcher';
import { grantDescription, grantLabel, grantTooltip } from '../grantText';

type Group = 'mine' | 'awaiting';
export type GrantNode = { readonly kind: 'group'; readonly group: Group } | { readonly kind: 'grant'; readonly group: Group; readonly grant: GrantRow } | { readonly kind: 'note'; readonly text: string };

const OPEN_STATES = new Set(['pending', 'approved', 'active']);

export class GrantsTree implements vscode.TreeDataProvider<GrantNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GrantNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly grants: GrantWatcher) {
    this.subscription = grants.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: GrantNode): GrantNode[] {
    const l: GrantLists = this.grants.current;
    if (!node) {
      if (!l.signedIn) return [{ kind: 'note', text: 'Not signed in. Run "Keyhole: Sign In".' }];
      const notes: GrantNode[] = l.problem ? [{ kind: 'note', text: `Could not refresh: ${l.problem}` }] : [];
      return [...notes, { kind: 'group', group: 'mine' }, { kind: 'group', group: 'awaiting' }];
    }
    if (node.kind !== 'group') return [];
    const rows = node.group === 'mine' ? l.mine : l.awaiting;
    if (!rows.length) return [{ kind: 'note', text: node.group === 'mine' ? 'No grants yet.' : 'Nothing waits for you.' }];
    return rows.map((grant) => ({ kind: 'grant', group: node.group, grant }));
  }

  getTreeItem(node: GrantNode): vscode.TreeItem {
    if (node.kind === 'note') return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.group === 'mine' ? 'Mine' : 'Waiting for my approval', vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group}`;
      return item;
    }
    const g = node.grant;
    const item = new vscode.TreeItem(grantLabel(g), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.group}:${g.id}`;
    item.description = grantDescription(g, Date.now());
    item.tooltip = grantTooltip(g);
    item.iconPath = new vscode.ThemeIcon(g.state === 'active' ? 'unlock' : g.state === 'pending' ? 'watch' : 'lock');
    const flags = [node.group === 'awaiting' ? 'approvable' : '', OPEN_STATES.has(g.state) ? 'revocable' : ''].filter(Boolean);
    item.contextValue = flags.map((f) => `keyhole.grant.${f}`).join(' ');
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

