// Who the extension talks to the broker as. The broker URL, the token and the
// user they belong to live together in SecretStorage (never in settings or
// launch.json); approvers' signing keys live there too, one per broker and
// user. Everything else asks this service for the current BrokerApi.
import * as vscode from 'vscode';
import { BrokerApi } from './brokerApi';
import { requestTimeoutMs } from './settings';

const SESSION_KEY = 'keyhole.session';
const signingKeyName = (brokerUrl: string, userId: string) => `keyhole.signingKey:${normalizeBrokerUrl(brokerUrl)}:${userId}`;

export interface BrokerSession {
  readonly brokerUrl: string;
  readonly token: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

/** "http://Host:7070/" and "http://host:7070" name the same broker. */
export function normalizeBrokerUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim();
  }
}

export class BrokerAuth implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BrokerSession | undefined>();
  /** Fires after sign-in, sign-out, or a change made in another window. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SESSION_KEY) void this.session().then((s) => this.changed.fire(s));
    });
  }

  async session(): Promise<BrokerSession | undefined> {
    const raw = await this.secrets.get(SESSION_KEY);
    if (!raw) return undefined;
    try {
      const s = JSON.parse(raw) as Partial<BrokerSession>;
      if (typeof s.brokerUrl !== 'string' || typeof s.token !== 'string' || typeof s.userId !== 'string') return undefined;
      return { brokerUrl: s.brokerUrl, token: s.token, userId: s.userId, roles: Array.isArray(s.roles) ? s.roles : [] };
    } catch {
      return undefined;
    }
  }

  /** Checks the token against the broker (GET /v1/me) and keeps it. Rejects with the broker's error. */
  async signIn(brokerUrl: string, token: string): Promise<BrokerSession> {
    const url = normalizeBrokerUrl(brokerUrl);
    const me = await new BrokerApi(url, token, requestTimeoutMs()).me();
    const session: BrokerSession = { brokerUrl: url, token, userId: me.id, roles: me.roles };
    await this.secrets.store(SESSION_KEY, JSON.stringify(session));
    this.changed.fire(session);
    return session;
  }

  async signOut(): Promise<void> {
    await this.secrets.delete(SESSION_KEY);
    this.changed.fire(undefined);
  }

  /** A client for the signed-in user, or undefined when nobody is signed in. */
  async api(): Promise<{ api: BrokerApi; session: BrokerSession } | undefined> {
    const session = await this.session();
    return session ? { api: new BrokerApi(session.brokerUrl, session.token, requestTimeoutMs()), session } : undefined;
  }

  signingKey(session: BrokerSession): Thenable<string | undefined> {
    return this.secrets.get(signingKeyName(session.brokerUrl, session.userId));
  }

  storeSigningKey(session: BrokerSession, privateKeyPem: string): Thenable<void> {
    return this.secrets.store(signingKeyName(session.brokerUrl, session.userId), privateKeyPem);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
