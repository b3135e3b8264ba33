// keyhole.signIn / keyhole.signOut / keyhole.exportPublicKey.
// Sign-in asks for the broker URL and token once (or takes them as command
// arguments, e.g. from a keybinding or a test) and keeps them in
// SecretStorage. The approver's key is made here, kept in SecretStorage, and
// only its public half leaves: copied, shown, and registered with the broker.
import * as vscode from 'vscode';
import { type BrokerAuth, type BrokerSession } from './auth';
import { Command } from './commandIds';
import { errorText } from './errorText';
import { type KeyholeOutput } from './output';
import { generateSigningKey, publicKeyOf } from './signingKey';

export interface SignInArgs {
  readonly brokerUrl?: string;
  readonly token?: string;
}

export interface ExportedKey {
  readonly userId: string;
  readonly publicKeyPem: string;
  readonly created: boolean;
  readonly registered: boolean;
  readonly problem?: string;
}

const URL_PATTERN = /^https?:\/\/\S+$/;

export function registerSignInCommands(auth: BrokerAuth, out: KeyholeOutput): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.SignIn, (args?: SignInArgs) => signIn(auth, out, args)),
    vscode.commands.registerCommand(Command.SignOut, async () => {
      await auth.signOut();
      out.info('signed out; the token was removed from SecretStorage (signing keys are kept)');
      void vscode.window.showInformationMessage('Keyhole: signed out.');
      return true;
    }),
    vscode.commands.registerCommand(Command.ExportPublicKey, () => exportPublicKey(auth, out)),
  ];
}

export async function signIn(auth: BrokerAuth, out: KeyholeOutput, args?: SignInArgs): Promise<BrokerSession | undefined> {
  const previous = await auth.session();
  const brokerUrl =
    args?.brokerUrl ??
    (await vscode.window.showInputBox({
      title: 'Keyhole: sign in (1/2)',
      prompt: 'The broker URL',
      value: previous?.brokerUrl ?? 'http://127.0.0.1:7070',
      ignoreFocusOut: true,
      validateInput: (v) => (URL_PATTERN.test(v.trim()) ? undefined : 'an http:// or https:// URL'),
    }));
  if (!brokerUrl) return undefined;
  const token =
    args?.token ??
    (await vscode.window.showInputBox({
      title: 'Keyhole: sign in (2/2)',
      prompt: 'Your broker token (kept in VS Code SecretStorage, never in settings or launch.json)',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'the token printed by `keyhole user add` or `keyhole token create`'),
    }));
  if (!token) return undefined;
  try {
    const session = await auth.signIn(brokerUrl.trim(), token.trim());
    out.info(`signed in to ${session.brokerUrl} as ${session.userId} (${session.roles.join(', ') || 'no roles'})`);
    void vscode.window.showInformationMessage(`Keyhole: signed in to ${session.brokerUrl} as ${session.userId}.`);
    return session;
  } catch (err) {
    out.fail(`could not sign in to ${brokerUrl}`, err);
    return undefined;
  }
}

async function exportPublicKey(auth: BrokerAuth, out: KeyholeOutput): Promise<ExportedKey | undefined> {
  const session = await auth.session();
  if (!session) {
    void vscode.window.showWarningMessage('Keyhole: sign in first (Keyhole: Sign In), so the key can be registered for your user.');
    return undefined;
  }
  let privateKeyPem = await auth.signingKey(session);
  const created = !privateKeyPem;
  if (!privateKeyPem) {
    privateKeyPem = generateSigningKey().privateKeyPem;
    await auth.storeSigningKey(session, privateKeyPem);
    out.info(`made a new Ed25519 signing key for ${session.userId} on ${session.brokerUrl}; it is kept in SecretStorage`);
  }
  const publicKeyPem = publicKeyOf(privateKeyPem);
  let registered = false;
  let problem: string | undefined;
  try {
    const r = await auth.api();
    await r?.api.registerPublicKey(session.userId, publicKeyPem);
    registered = !!r;
  } catch (err) {
    problem = errorText(err);
  }
  try {
    await vscode.env.clipboard.writeText(publicKeyPem);
  } catch {
    // A browser-hosted workbench may refuse the clipboard; the key is in the output channel too.
  }
  out.info(`public key of ${session.userId} (ops add it to a service's trust file with: keyhole trust build <service>):\n${publicKeyPem}`);
  out.show();
  if (registered) void vscode.window.showInformationMessage(`Keyhole: your public key is registered with the broker and copied. Ask ops to rebuild the trust file of your services.`);
  else void vscode.window.showWarningMessage(`Keyhole: the public key is copied, but registering it failed: ${problem ?? 'not signed in'}`);
  return { userId: session.userId, publicKeyPem, created, registered, ...(problem ? { problem } : {}) };
}
