// Grant commands: request (with a readable summary before sending), approve
// (signs the broker's signing body locally with the key in SecretStorage),
// reject and revoke. Each takes its input from command arguments when given
// (a keybinding, the tree's context menu, a test) and asks for the rest.
import * as vscode from 'vscode';
import { type BrokerAuth } from './auth';
import { type GrantRequestBody, type GrantRow } from './brokerApi';
import { Command } from './commandIds';
import { type GrantWatcher } from './grantWatcher';
import { grantRequestSummary, parseLabels } from './grantText';
import { type KeyholeOutput } from './output';
import { setting } from './settings';
import { signGrantBody } from './signingKey';
import { type ProbeKindName } from '../common/brokerTypes';

export interface RequestGrantArgs {
  readonly service?: string;
  /** Workspace-relative paths or globs, e.g. "src/orders/cart.ts". */
  readonly files?: readonly string[];
  readonly kinds?: readonly ProbeKindName[];
  readonly durationMinutes?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly reason?: string;
  readonly ticket?: string;
}

/** A grant named by the tree (its node), by id, or by `{ grantId, reason }`. */
export type GrantTarget = string | { readonly grant?: GrantRow; readonly grantId?: string; readonly reason?: string } | undefined;

const SOURCE_FILES = '**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}';
const NOT_SOURCE = '**/{node_modules,dist,out,.git}/**';
const FILE_PICK_LIMIT = 2000;

export function registerGrantCommands(auth: BrokerAuth, grants: GrantWatcher, out: KeyholeOutput): vscode.Disposable[] {
  const run = <A extends unknown[], R>(what: string, f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R | undefined> => {
      try {
        const r = await f(...a);
        void grants.refresh();
        return r;
      } catch (err) {
        out.fail(what, err);
        return undefined;
      }
    };
  return [
    vscode.commands.registerCommand(Command.RequestGrant, run('the grant request failed', (args?: RequestGrantArgs) => requestGrant(auth, out, args))),
    vscode.commands.registerCommand(Command.ApproveGrant, run('the approval failed', (t?: GrantTarget) => approveGrant(auth, out, t))),
    vscode.commands.registerCommand(Command.RejectGrant, run('the rejection failed', (t?: GrantTarget) => closeGrant(auth, out, t, 'reject'))),
    vscode.commands.registerCommand(Command.RevokeGrant, run('the revocation failed', (t?: GrantTarget) => closeGrant(auth, out, t, 'revoke'))),
    vscode.commands.registerCommand(Command.RefreshGrants, () => grants.refresh()),
  ];
}

async function signedIn(auth: BrokerAuth) {
  const r = await auth.api();
  if (!r) throw Object.assign(new Error('not signed in'), { code: 'KH_NOT_SIGNED_IN', hint: 'run "Keyhole: Sign In" first' });
  return r;
}

async function requestGrant(auth: BrokerAuth, out: KeyholeOutput, args: RequestGrantArgs = {}): Promise<GrantRow | undefined> {
  const { api } = await signedIn(auth);
  const service = args.service ?? (await vscode.window.showQuickPick(await api.services(), { title: 'Request a grant (1/5): service', ignoreFocusOut: true }));
  if (!service) return undefined;
  const files = args.files ?? (await pickFiles());
  if (!files?.length) return undefined;
  const maxFiles = setting('keyhole.grants.maxFilesPerRequest');
  if (files.length > maxFiles) throw Object.assign(new Error(`${files.length} files were chosen; the limit is ${maxFiles}`), { code: 'KH_TOO_MANY_FILES', hint: 'pick a folder glob such as src/orders/** instead, or raise keyhole.grants.maxFilesPerRequest' });
  const kinds = args.kinds ?? (await pickKinds());
  if (!kinds?.length) return undefined;
  const minutes = args.durationMinutes ?? (await askMinutes());
  if (minutes === undefined) return undefined;
  const labels = args.labels ?? (await askLabels());
  if (!labels) return undefined;
  const reason = args.reason ?? (await vscode.window.showInputBox({ title: 'Request a grant (5/5): reason', prompt: 'Why you need to look (the approver reads this)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'a reason is required') }));
  if (!reason) return undefined;
  const body: GrantRequestBody = { service, selector: labels, scopeGlobs: files, kinds, durationMs: Math.round(minutes * 60_000), reason, ticket: args.ticket ?? '' };
  const summary = grantRequestSummary(body);
  // Asked interactively: show what will be sent and let the developer change their mind.
  // Fully given as arguments (a keybinding or a script): the caller already chose; the summary goes to the log.
  const interactive = args.service === undefined || args.files === undefined || args.reason === undefined;
  if (interactive) {
    const send = await vscode.window.showInformationMessage('Send this grant request?', { modal: true, detail: summary }, 'Send request');
    if (send !== 'Send request') return undefined;
  }
  const grant = await api.requestGrant(body);
  out.info(`requested grant ${grant.id}:\n${summary}`);
  void vscode.window.showInformationMessage(`Keyhole: grant ${grant.id} requested; it waits for ${grant.approvalsRequired} approval(s).`);
  return grant;
}

async function pickFiles(): Promise<string[] | undefined> {
  const uris = await vscode.workspace.findFiles(SOURCE_FILES, NOT_SOURCE, FILE_PICK_LIMIT);
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const items = uris
    .map((u) => ({ label: vscode.workspace.asRelativePath(u, false), picked: u.toString() === active }))
    .sort((a, b) => Number(b.picked) - Number(a.picked) || a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title: 'Request a grant (2/5): files the probes may use', canPickMany: true, ignoreFocusOut: true });
  return picked?.map((p) => p.label);
}

async function pickKinds(): Promise<ProbeKindName[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Snapshots', probeKind: 'SNAPSHOT' as const, picked: true, description: 'stack and variables when a line runs' },
      { label: 'Logpoints', probeKind: 'LOGPOINT' as const, picked: false, description: 'a log line when a line runs' },
    ],
    { title: 'Request a grant (3/5): kinds', canPickMany: true, ignoreFocusOut: true },
  );
  return picked?.map((p) => p.probeKind);
}

async function askMinutes(): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'Request a grant (4/5): duration in minutes',
    value: String(setting('keyhole.grants.defaultDurationMinutes')),
    ignoreFocusOut: true,
    validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) > 0 ? undefined : 'a whole number of minutes'),
  });
  return v === undefined ? undefined : Number(v);
}

async function askLabels(): Promise<Record<string, string> | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'Request a grant: instances (optional)',
    prompt: 'Instance labels as name=value, comma separated; empty for every instance',
    ignoreFocusOut: true,
    validateInput: (t) => {
      const p = parseLabels(t);
      return p.ok ? undefined : `"${p.bad}" is not name=value`;
    },
  });
  if (v === undefined) return undefined;
  const p = parseLabels(v);
  return p.ok ? p.labels : undefined;
}

function grantIdOf(t: GrantTarget): string | undefined {
  if (typeof t === 'string') return t;
  return t?.grant?.id ?? t?.grantId;
}

async function askGrantId(t: GrantTarget): Promise<string | undefined> {
  return grantIdOf(t) ?? (await vscode.window.showInputBox({ title: 'Grant id', ignoreFocusOut: true }));
}

async function approveGrant(auth: BrokerAuth, out: KeyholeOutput, t: GrantTarget): Promise<GrantRow | undefined> {
  const { api, session } = await signedIn(auth);
  const key = await auth.signingKey(session);
  if (!key) throw Object.assign(new Error(`no signing key for ${session.userId} in this VS Code`), { code: 'KH_NO_SIGNING_KEY', hint: 'run "Keyhole: Export My Approver Public Key" to make and register one' });
  const id = await askGrantId(t);
  if (!id) return undefined;
  const grant = await api.approve(id, (body) => signGrantBody(body, key));
  out.info(`approved grant ${grant.id} as ${session.userId} (signed locally); state ${grant.state}`);
  void vscode.window.showInformationMessage(`Keyhole: grant ${grant.id} approved (${grant.approvals.length}/${grant.approvalsRequired}).`);
  return grant;
}

async function closeGrant(auth: BrokerAuth, out: KeyholeOutput, t: GrantTarget, how: 'reject' | 'revoke'): Promise<GrantRow | undefined> {
  const { api, session } = await signedIn(auth);
  const id = await askGrantId(t);
  if (!id) return undefined;
  const given = typeof t === 'object' ? t.reason : undefined;
  const reason = given ?? (await vscode.window.showInputBox({ title: `${how === 'reject' ? 'Reject' : 'Revoke'} grant ${id}: reason`, ignoreFocusOut: true }));
  if (reason === undefined) return undefined;
  const grant = how === 'reject' ? await api.reject(id, reason) : await api.revoke(id, reason);
  out.info(`${how === 'reject' ? 'rejected' : 'revoked'} grant ${grant.id} as ${session.userId}: ${reason}`);
  return grant;
}
