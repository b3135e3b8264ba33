// The signed-in session: the token lives in this module's memory only (no
// cookie, no storage), so a cross-site request cannot carry it and a closed
// tab forgets it. After `sessionIdleMs` (a broker setting) without a key
// press or click, the page forgets it and returns to sign-in.
let token = '';
let user = null;
let idleMs = 0;
let timer = 0;
let onExpired = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'KH_HTTP';
    this.hint = body?.hint ?? '';
  }
}

function arm() {
  clearTimeout(timer);
  if (token) timer = setTimeout(() => expire(), idleMs);
}

function expire() {
  const minutes = Math.round(idleMs / 60000);
  signOut();
  onExpired(`You were signed out after ${minutes} minute${minutes === 1 ? '' : 's'} without activity. Sign in again.`);
}

export function onSessionExpired(handler) {
  onExpired = handler;
}

export function touch() {
  if (token) arm();
}

export function currentUser() {
  return user;
}

export function hasRole(role) {
  return !!user && user.roles.includes(role);
}

export function signOut() {
  clearTimeout(timer);
  token = '';
  user = null;
}

export async function signIn(candidate) {
  const res = await fetch('/v1/web/session', { method: 'POST', headers: { authorization: `Bearer ${candidate}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new ApiError(res.status, body);
    if (res.status === 429) err.retryAfter = res.headers.get('retry-after');
    throw err;
  }
  token = candidate;
  user = body.user;
  idleMs = body.sessionIdleMs;
  arm();
  return user;
}

/** Calls the broker's API as the signed-in user; a 401 ends the session. */
export async function api(method, path, body) {
  if (!token) throw new ApiError(401, { code: 'KH_UNAUTHENTICATED', message: 'not signed in' });
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401) {
    signOut();
    onExpired('The broker no longer accepts your token. Sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
