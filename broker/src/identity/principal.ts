/** Who is calling: a person with roles, or a service's agent. */
import { type Role } from './roles';

export type Principal =
  | { readonly kind: 'user'; readonly id: string; readonly roles: readonly Role[] }
  | { readonly kind: 'agent'; readonly service: string };

/** The actor name audit rows use. */
export function actorName(p: Principal): string {
  return p.kind === 'user' ? p.id : `agent:${p.service}`;
}

/** A user id: letters, digits, `.`, `_`, `-`; 1 to 64 characters, starting with a letter or digit. */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A service name: lower-case letters, digits and `-`; 1 to 63 characters, like a DNS label. */
export const SERVICE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
