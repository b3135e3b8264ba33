/**
 * Test helper: a broker's services over a real temporary SQLite file, with
 * an admin, ops, a developer, and approvers holding real Ed25519 key pairs.
 * The clock is a variable the test moves.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createBroker, type Broker } from '../broker';
import { type GrantService, type GrantView } from '../grants/grantService';
import { type GrantRequestInput } from '../grants/grantRequest';
import { type IdentityService } from '../identity/identityService';
import { type GrantRecord } from '../store/records';
import { type Principal } from '../identity/principal';
import { type Role } from '../identity/roles';
import { type PolicyInput } from '../services/policy';
import { type ServiceRegistry } from '../services/serviceRegistry';
import { openTempStore, type TempStore } from './tempStore';

export interface Approver {
  readonly principal: Principal;
  readonly token: string;
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  sign(bytes: Uint8Array): Uint8Array;
}

export class World {
  now = 1_700_000_000_000;
  readonly clock = (): number => this.now;
  readonly broker: Broker;
  readonly ids: IdentityService;
  readonly services: ServiceRegistry;
  readonly grants: GrantService;
  admin!: Principal;
  ops!: Principal;
  private readonly approvers = new Map<string, Approver>();

  private constructor(readonly temp: TempStore) {
    this.broker = createBroker(temp.store, this.clock);
    this.ids = this.broker.identities;
    this.services = this.broker.services;
    this.grants = this.broker.grants;
  }

  /** A grant for `requester` on `service`, approved by a fresh approver, active from now. */
  async activeGrant(requester: Principal, input: GrantRequestInput, approverId = 'ann'): Promise<GrantRecord> {
    const approver = (await this.store.transaction((r) => r.approverKeys.get(approverId))) ? this.approvers.get(approverId) : await this.approver(approverId);
    if (!approver) throw new Error(`approver ${approverId} exists without a key pair in this world`);
    const { grant } = await this.grants.request(requester, input);
    const view = await this.signAndApprove(grant.id, approver);
    if (view.state !== 'active') throw new Error(`grant ${grant.id} is ${view.state}; the service needs more approvals`);
    return view.grant;
  }

  /**
   * Each approver in turn fetches the grant's signing body and approves it
   * with a good signature, as `keyhole grant approve` does; returns the view
   * after the last approval.
   */
  async signAndApprove(grantId: string, first: Approver, ...others: Approver[]): Promise<GrantView> {
    const approveAs = async (approver: Approver): Promise<GrantView> => {
      const { body } = await this.grants.signingBody(approver.principal, grantId);
      return this.grants.approve(approver.principal, grantId, body, approver.sign(body));
    };
    let view = await approveAs(first);
    for (const approver of others) view = await approveAs(approver);
    return view;
  }

  static async create(): Promise<World> {
    const w = new World(openTempStore());
    w.admin = await w.ids.authenticate((await w.ids.init('root')).token);
    w.ops = await w.user('ops1', ['ops']);
    return w;
  }

  get store() {
    return this.temp.store;
  }

  async user(id: string, roles: Role[]): Promise<Principal> {
    return this.ids.authenticate((await this.ids.addUser(this.admin, id, roles)).token);
  }

  async approver(id: string, extraRoles: Role[] = []): Promise<Approver> {
    const { token } = await this.ids.addUser(this.admin, id, ['approver', ...extraRoles]);
    const principal = await this.ids.authenticate(token);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await this.ids.registerApproverKey(principal, id, publicKeyPem);
    const approver: Approver = { principal, token, privateKey, publicKeyPem, sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)) };
    this.approvers.set(id, approver);
    return approver;
  }

  async service(name: string, policy: PolicyInput = {}): Promise<void> {
    await this.services.add(this.ops, name, policy);
  }

  async auditActions(): Promise<string[]> {
    const rows = await this.store.transaction((r) => r.audit.list(0, 10_000));
    return rows.map((row) => row.action);
  }

  async dispose(): Promise<void> {
    await this.temp.dispose();
  }
}

export async function withWorld(body: (w: World) => Promise<void>): Promise<void> {
  const w = await World.create();
  try {
    await body(w);
  } finally {
    await w.dispose();
  }
}
