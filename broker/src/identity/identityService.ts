/**
 * Users, roles, API tokens and approver keys. Every change and every failed
 * login is audited in the same transaction as the change itself.
 */
import { createPublicKey } from 'node:crypto';
import { appendAudit } from '../audit/auditLog';
import { type Clock } from '../clock';
import { brokerError, BrokerErrorCode } from '../errors';
import { type ApproverKeyRecord, type TokenRecord, type UserRecord } from '../store/records';
import { type Repositories, type Store } from '../store/store';
import { actorName, type Principal, USER_ID_PATTERN } from './principal';
import { type Action, authorize, isRole, type Role } from './roles';
import { generateToken, hashToken, tokenIdOf } from './tokens';

export interface IssuedToken {
  /** The secret; shown once. */
  readonly token: string;
  readonly tokenId: string;
}

/** Throws KH_FORBIDDEN unless the principal's roles allow the action. */
export function requirePermission(principal: Principal, action: Action): asserts principal is Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user' || !authorize(principal.roles, action)) {
    const who = principal.kind === 'user' ? `${principal.id} (roles: ${principal.roles.join(', ') || 'none'})` : actorName(principal);
    throw brokerError(BrokerErrorCode.Forbidden, `${who} may not ${action}`, `ask an admin for a role that allows ${action}`);
  }
}

function validateRoles(roles: readonly string[]): Role[] {
  const unique = [...new Set(roles)];
  const bad = unique.filter((r) => !isRole(r));
  if (bad.length || unique.length === 0) {
    throw brokerError(
      BrokerErrorCode.BadRequest,
      unique.length === 0 ? 'a user needs at least one role' : `unknown role(s): ${bad.join(', ')}`,
      'roles are developer, approver, ops and admin',
    );
  }
  return unique as Role[];
}

function validateUserId(id: string): void {
  if (!USER_ID_PATTERN.test(id)) {
    throw brokerError(BrokerErrorCode.BadRequest, `"${id}" is not a valid user id`, 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
}

/** Parses and checks an Ed25519 public key; returns it re-encoded as PEM SPKI. */
export function normalizeEd25519PublicKey(pem: string): string {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw brokerError(BrokerErrorCode.BadRequest, 'the public key is not a PEM public key', 'pass the .pub file written by `keyhole keys generate`');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw brokerError(BrokerErrorCode.BadRequest, `the public key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519`, 'generate an Ed25519 pair with `keyhole keys generate`');
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export class IdentityService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Creates the first admin; refused once any user exists. */
  async init(adminId: string): Promise<{ user: UserRecord } & IssuedToken> {
    validateUserId(adminId);
    return this.store.transaction(async (r) => {
      if ((await r.users.count()) > 0) {
        throw brokerError(BrokerErrorCode.Conflict, 'the broker already has users', 'ask an existing admin to add you with `keyhole user add`');
      }
      const user: UserRecord = { id: adminId, roles: ['admin'], disabled: false, createdAtMs: this.clock() };
      await r.users.insert(user);
      const issued = await this.issue(r, user.id);
      await appendAudit(r, { actor: 'system', action: 'user.init', subject: user.id, details: { roles: user.roles, tokenId: issued.tokenId } }, this.clock());
      return { user, ...issued };
    });
  }

  async addUser(actor: Principal, id: string, roles: readonly string[]): Promise<{ user: UserRecord } & IssuedToken> {
    requirePermission(actor, 'user.manage');
    validateUserId(id);
    const valid = validateRoles(roles);
    return this.store.transaction(async (r) => {
      if (await r.users.get(id)) throw brokerError(BrokerErrorCode.Conflict, `user ${id} already exists`, 'pick another id, or use `keyhole user list`');
      const user: UserRecord = { id, roles: valid, disabled: false, createdAtMs: this.clock() };
      await r.users.insert(user);
      const issued = await this.issue(r, id);
      await appendAudit(r, { actor: actor.id, action: 'user.add', subject: id, details: { roles: valid, tokenId: issued.tokenId } }, this.clock());
      return { user, ...issued };
    });
  }

  async listUsers(actor: Principal): Promise<UserRecord[]> {
    requirePermission(actor, 'user.manage');
    return this.store.transaction((r) => r.users.list());
  }

  async setRoles(actor: Principal, id: string, roles: readonly string[]): Promise<UserRecord> {
    requirePermission(actor, 'user.manage');
    const valid = validateRoles(roles);
    return this.store.transaction(async (r) => {
      const user = await this.mustGetUser(r, id);
      if (user.roles.includes('admin') && !valid.includes('admin')) await this.refuseLastAdmin(r, id);
      const updated = { ...user, roles: valid };
      await r.users.update(updated);
      await appendAudit(r, { actor: actor.id, action: 'user.roles', subject: id, details: { from: user.roles, to: valid } }, this.clock());
      return updated;
    });
  }

  /** Disables a user: their tokens stop working at once; their audit history stays. */
  async disableUser(actor: Principal, id: string): Promise<UserRecord> {
    requirePermission(actor, 'user.manage');
    return this.store.transaction(async (r) => {
      const user = await this.mustGetUser(r, id);
      if (user.disabled) return user;
      if (user.roles.includes('admin')) await this.refuseLastAdmin(r, id);
      const updated = { ...user, disabled: true };
      await r.users.update(updated);
      await appendAudit(r, { actor: actor.id, action: 'user.disable', subject: id }, this.clock());
      return updated;
    });
  }

  /**
   * A new token for a user (an admin for anyone; a user for themselves).
   * `ttlMs` > 0 makes it expire that long from now; by default it lasts
   * until revoked.
   */
  async issueToken(actor: Principal, userId: string, options: { ttlMs?: number } = {}): Promise<IssuedToken & { expiresAtMs: number }> {
    if (actor.kind !== 'user' || actor.id !== userId) requirePermission(actor, 'user.manage');
    const ttlMs = options.ttlMs ?? 0;
    if (!Number.isInteger(ttlMs) || ttlMs < 0) throw brokerError(BrokerErrorCode.BadRequest, 'ttlMs must be a whole number of milliseconds >= 0', 'leave it out for a token that lasts until revoked');
    return this.store.transaction(async (r) => {
      const user = await this.mustGetUser(r, userId);
      if (user.disabled) throw brokerError(BrokerErrorCode.UserDisabled, `user ${userId} is disabled`, 'an admin must enable the user first');
      const expiresAtMs = ttlMs > 0 ? this.clock() + ttlMs : 0;
      const issued = await this.issue(r, userId, expiresAtMs);
      await appendAudit(r, { actor: actorName(actor), action: 'token.issue', subject: userId, details: { tokenId: issued.tokenId, expiresAtMs } }, this.clock());
      return { ...issued, expiresAtMs };
    });
  }

  /** Revokes one token by its public id (an admin for any; a user for their own). */
  async revokeToken(actor: Principal, tokenId: string): Promise<void> {
    await this.store.transaction(async (r) => {
      const target = await r.tokens.get(tokenId);
      const own = target !== undefined && actor.kind === 'user' && target.kind === 'user' && target.subject === actor.id;
      if (!own) requirePermission(actor, 'user.manage');
      if (!target) throw brokerError(BrokerErrorCode.NotFound, `no token ${tokenId}`, 'token ids look like kh_AbCdEfGhIjKl; the audit log names every issued one');
      await r.tokens.revoke(target.id);
      await appendAudit(r, { actor: actorName(actor), action: 'token.revoke', subject: target.subject, details: { tokenId: target.id } }, this.clock());
    });
  }

  /**
   * Resolves a bearer token to the principal it stands for. Unknown,
   * revoked, expired or disabled: KH_UNAUTHENTICATED, and an audit row
   * `login.failed` that names the token id (never the token).
   */
  async authenticate(token: string): Promise<Principal> {
    // The refusal is audited in its own committed transaction and thrown
    // afterwards: throwing inside would roll the audit row back.
    const outcome = await this.store.transaction(async (r): Promise<Principal | { refused: string }> => {
      const now = this.clock();
      const record = await r.tokens.findByHash(hashToken(token));
      const reason = await this.refusal(r, record, now);
      if (reason !== undefined || !record) {
        const why = reason ?? 'unknown token';
        await appendAudit(r, { actor: 'anonymous', action: 'login.failed', subject: record?.subject ?? '', details: { reason: why, tokenId: tokenIdOf(token) ?? null } }, now);
        return { refused: why };
      }
      if (record.kind === 'agent') return { kind: 'agent', service: record.subject };
      const user = await r.users.get(record.subject);
      return { kind: 'user', id: record.subject, roles: user?.roles ?? [] };
    });
    if ('refused' in outcome) {
      throw brokerError(BrokerErrorCode.Unauthenticated, `token refused: ${outcome.refused}`, 'ask an admin for a new token (`keyhole user token <id>`)');
    }
    return outcome;
  }

  /** Registers or replaces an approver's Ed25519 public key. */
  async registerApproverKey(actor: Principal, userId: string, publicKeyPem: string): Promise<ApproverKeyRecord> {
    if (actor.kind === 'user' && actor.id === userId) requirePermission(actor, 'key.register');
    else requirePermission(actor, 'user.manage');
    const pem = normalizeEd25519PublicKey(publicKeyPem);
    return this.store.transaction(async (r) => {
      const user = await this.mustGetUser(r, userId);
      if (!user.roles.includes('approver')) {
        throw brokerError(BrokerErrorCode.BadRequest, `user ${userId} is not an approver`, 'give the user the approver role first (`keyhole user roles`)');
      }
      const key: ApproverKeyRecord = { userId, publicKeyPem: pem, registeredAtMs: this.clock() };
      await r.approverKeys.put(key);
      await appendAudit(r, { actor: actorName(actor), action: 'key.register', subject: userId, details: { publicKeyPem: pem } }, this.clock());
      return key;
    });
  }

  private async refusal(r: Repositories, record: TokenRecord | undefined, now: number): Promise<string | undefined> {
    if (!record) return 'unknown token';
    if (record.revoked) return 'token revoked';
    if (record.expiresAtMs > 0 && now >= record.expiresAtMs) return 'token expired';
    if (record.kind === 'user') {
      const user = await r.users.get(record.subject);
      if (!user) return 'user no longer exists';
      if (user.disabled) return 'user disabled';
    }
    return undefined;
  }

  private async issue(r: Repositories, userId: string, expiresAtMs = 0): Promise<IssuedToken> {
    const t = generateToken('user');
    await r.tokens.insert({ id: t.id, hash: t.hash, kind: 'user', subject: userId, createdAtMs: this.clock(), expiresAtMs, revoked: false });
    return { token: t.token, tokenId: t.id };
  }


  private async mustGetUser(r: Repositories, id: string): Promise<UserRecord> {
    const user = await r.users.get(id);
    if (!user) throw brokerError(BrokerErrorCode.NotFound, `no user ${id}`, 'see `keyhole user list`');
    return user;
  }

  private async refuseLastAdmin(r: Repositories, id: string): Promise<void> {
    const admins = (await r.users.list()).filter((u) => !u.disabled && u.roles.includes('admin') && u.id !== id);
    if (admins.length === 0) {
      throw brokerError(BrokerErrorCode.Conflict, `${id} is the last enabled admin`, 'add another admin first, so the broker stays manageable');
    }
  }
}
