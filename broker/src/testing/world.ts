/**
 * Test helper: a broker's services over a real temporary SQLite file, with
 * an admin, ops, a developer, and approvers holding real Ed25519 key pairs.
 * The clock is a variable the test moves.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { GrantService } from '../grants/grantService';
import { IdentityService } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { type Role } from '../identity/roles';
import { type PolicyInput } from '../services/policy';
import { ServiceRegistry } from '../services/serviceRegistry';
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
  readonly ids: IdentityService;
  readonly services: ServiceRegistry;
  readonly grants: GrantService;
  admin!: Principal;
  ops!: Principal;

  private constructor(readonly temp: TempStore) {
    this.ids = new IdentityService(temp.store, this.clock);
    this.services = new ServiceRegistry(temp.store, this.clock);
    this.grants = new GrantService(temp.store, this.clock);
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
    return { principal, token, privateKey, publicKeyPem, sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)) };
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
