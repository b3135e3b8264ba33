// Runs the DAP session inline, in the extension host. Its services are this
// process's file system and crypto, and an environment in which the token
// variable (tokenEnv, default KEYHOLE_TOKEN) holds the SecretStorage token of
// the signed-in user when it is for this configuration's broker; a tokenFile
// in the configuration, or the variable already set, still wins as in the
// standalone adapter.
import * as vscode from 'vscode';
import { LAUNCH_DEFAULTS } from '../adapter/launchConfig';
import { nodeServices } from '../adapter/nodeServices';
import { SnapshotSession } from '../adapter/snapshotSession';
import { type BrokerAuth, normalizeBrokerUrl } from './auth';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly auth: BrokerAuth) {}

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const config = session.configuration;
    const tokenEnv = typeof config['tokenEnv'] === 'string' ? config['tokenEnv'] : LAUNCH_DEFAULTS.tokenEnv;
    const env: Record<string, string | undefined> = { ...process.env };
    const signedIn = await this.auth.session();
    if (signedIn && !env[tokenEnv] && typeof config['broker'] === 'string' && normalizeBrokerUrl(config['broker']) === signedIn.brokerUrl) env[tokenEnv] = signedIn.token;
    const cwd = session.workspaceFolder?.uri.fsPath ?? process.cwd();
    return new vscode.DebugAdapterInlineImplementation(new SnapshotSession(nodeServices(env, cwd)));
  }
}
