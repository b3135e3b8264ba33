/**
 * Who may do what: one role × action matrix, read by `authorize`. The matrix
 * is the whole of role-based authorization; object-level rules (a developer
 * may revoke only their own grants, nobody approves their own request) sit
 * in the services that own those objects.
 */
import { type RoleName } from '@keyhole/protocol';

/** Role names travel over the HTTP API (/v1/me, users, policies), so they are declared in @keyhole/protocol. */
export type Role = RoleName;
export const ROLES = ['developer', 'approver', 'ops', 'admin'] as const satisfies readonly Role[];
// ...and every Role is listed in ROLES (the `satisfies` above checks the converse).
const _everyRoleListed: readonly (typeof ROLES)[number][] = [] as readonly Role[];

export const ACTIONS = [
  'grant.request',
  'grant.view',
  'grant.approve',
  'grant.reject',
  'grant.revoke',
  'probe.set',
  'probe.remove',
  'snapshot.view',
  'service.view',
  'service.manage',
  'user.manage',
  'key.register',
  'kill.switch',
  'audit.read',
  'agent.list',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Separation of duties: approvers cannot set probes or see snapshots,
 * developers cannot approve, admins manage people and services but neither
 * capture nor approve. A person who needs two of these holds two roles.
 */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  developer: new Set<Action>(['grant.request', 'grant.view', 'grant.revoke', 'probe.set', 'probe.remove', 'snapshot.view', 'service.view', 'agent.list']),
  approver: new Set<Action>(['grant.view', 'grant.approve', 'grant.reject', 'grant.revoke', 'service.view', 'key.register', 'agent.list']),
  ops: new Set<Action>(['grant.view', 'grant.revoke', 'probe.remove', 'service.view', 'service.manage', 'kill.switch', 'audit.read', 'agent.list']),
  admin: new Set<Action>(['grant.view', 'service.view', 'service.manage', 'user.manage', 'audit.read', 'agent.list']),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/** True when any of `roles` allows `action`. */
export function roleAllows(role: Role, action: Action): boolean {
  return PERMISSIONS[role].has(action);
}

export function authorize(roles: readonly Role[], action: Action): boolean {
  return roles.some((r) => roleAllows(r, action));
}
