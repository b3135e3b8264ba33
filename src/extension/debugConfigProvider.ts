// The `keyhole` debug configurations: the initial one for a new launch.json,
// and the resolution of any configuration before it starts, which fills the
// defaults (broker from the signed-in session, the workspace as localRoot,
// the history limit from the settings) and asks for what is still missing
// (sign-in, service). Cancelling a question cancels the start.
import * as vscode from 'vscode';
import { LAUNCH_DEFAULTS } from '../adapter/launchConfig';
import { type BrokerAuth, normalizeBrokerUrl } from './auth';
import { DEBUG_TYPE } from './commandIds';
import { INITIAL_CONFIGURATION } from './initialConfiguration';
import { type KeyholeOutput } from './output';
import { setting } from './settings';
import { signIn } from './signInCommands';

export class KeyholeConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly auth: BrokerAuth,
    private readonly out: KeyholeOutput,
  ) {}

  async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
    const s = await this.auth.session();
    return [{ ...INITIAL_CONFIGURATION, ...(s ? { broker: s.brokerUrl } : {}) }];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const c: Record<string, unknown> = { ...config };
    c['type'] = DEBUG_TYPE;
    c['request'] ??= 'attach';
    c['name'] ??= 'Keyhole';
    let session = await this.auth.session();
    const usesSecret = c['tokenFile'] === undefined && !process.env[String(c['tokenEnv'] ?? LAUNCH_DEFAULTS.tokenEnv)];
    if (usesSecret && (!session || (typeof c['broker'] === 'string' && normalizeBrokerUrl(c['broker']) !== session.brokerUrl))) {
      // The token comes from SecretStorage: sign in to this configuration's broker first.
      session = await signIn(this.auth, this.out, typeof c['broker'] === 'string' ? { brokerUrl: c['broker'] } : undefined);
      if (!session) return undefined;
    }
    c['broker'] ??= session?.brokerUrl;
    if (c['broker'] === undefined) {
      void vscode.window.showErrorMessage('Keyhole: this configuration names no "broker" and you are not signed in. Run "Keyhole: Sign In to a Broker" or add "broker" to launch.json.');
      return undefined;
    }
    if (c['service'] === undefined) {
      const service = await this.pickService();
      if (!service) return undefined;
      c['service'] = service;
    }
    if (c['localRoot'] === undefined && folder) c['localRoot'] = folder.uri.fsPath;
    c['snapshotHistoryLimit'] ??= setting('keyhole.snapshots.historyLimit');
    return c as vscode.DebugConfiguration;
  }

  private async pickService(): Promise<string | undefined> {
    const r = await this.auth.api();
    let services: string[] = [];
    try {
      services = r ? await r.api.services() : [];
    } catch (err) {
      this.out.fail('could not list the services', err);
    }
    return services.length
      ? vscode.window.showQuickPick(services, { title: 'Keyhole: which service?', ignoreFocusOut: true })
      : vscode.window.showInputBox({ title: 'Keyhole: which service?', prompt: 'The service name as registered on the broker', ignoreFocusOut: true });
  }
}
