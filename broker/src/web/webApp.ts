/**
 * The approver web page, served by the broker itself (same origin as its
 * API, no separate server): its static files with strict security headers,
 * the rate-limited sign-in, and the page-only API routes. Also owns the
 * runbook runner and the alert hook, whose lives are the server's.
 */
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { AlertHook, type AlertSettings } from '../activity/alertHook';
import { type Broker } from '../broker';
import { isBrokerError } from '../errors';
import { type Route } from '../http/routes/common';
import { type Runbook } from '../runbooks/runbook';
import { RunbookRunner } from '../runbooks/runbookRunner';
import { SECURITY_HEADERS } from './securityHeaders';
import { SignInLimiter } from './signInLimiter';
import { loadStaticFiles, type StaticFile } from './staticFiles';
import { WEB_DEFAULTS, type WebSettings } from './webSettings';
import { webRoutes } from './webRoutes';

export interface WebOptions {
  /** Runbooks ops defined (validated already: see loadRunbookFile). */
  readonly runbooks?: readonly Runbook[];
  /** Where alerts are POSTed; none: no alert hook. */
  readonly alertWebhookUrl?: string;
  readonly alerts?: Partial<AlertSettings>;
  readonly settings?: Partial<WebSettings>;
}

export interface WebApp {
  readonly routes: readonly Route[];
  /** Serves the page's files and sign-in; false when the request is not the page's. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

export const SIGN_IN_PATH = '/v1/web/session';
export const RateLimitedCode = 'KH_RATE_LIMITED';

export function createWebApp(broker: Broker, options: WebOptions = {}): WebApp {
  const settings: WebSettings = { ...WEB_DEFAULTS, ...options.settings };
  const files = loadStaticFiles();
  const limiter = new SignInLimiter(
    { attemptsPerWindow: settings.signInAttemptsPerWindow, windowMs: settings.signInWindowMs, trackedAddresses: settings.signInTrackedAddresses },
    broker.clock,
  );
  const runner = new RunbookRunner(broker, options.runbooks ?? []);
  const alerts = options.alertWebhookUrl ? new AlertHook(broker, options.alertWebhookUrl, options.alerts) : undefined;
  alerts?.start();

  const serveFile = (res: ServerResponse, file: StaticFile | undefined) => {
    if (!file) return sendJson(res, 404, { code: 'KH_ROUTE_NOT_FOUND', message: 'no such page file', hint: 'open / for the page' });
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type, 'content-length': file.bytes.length });
    res.end(file.bytes);
  };

  return {
    routes: webRoutes(runner, alerts),
    serve(req, res) {
      const { pathname } = new URL(req.url ?? '/', 'http://broker');
      if (req.method === 'POST' && pathname === SIGN_IN_PATH) {
        void signIn(broker, limiter, settings, req, res);
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (pathname === '/' || pathname === '/web' || pathname === '/web/') serveFile(res, files.get('index.html'));
      else if (pathname.startsWith('/web/')) serveFile(res, files.get(pathname.slice('/web/'.length)));
      else return false;
      return true;
    },
    async close() {
      await runner.close();
      await alerts?.close();
    },
  };
}

async function signIn(broker: Broker, limiter: SignInLimiter, settings: WebSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const wait = limiter.attempt(req.socket.remoteAddress ?? 'unknown');
  if (wait > 0) {
    res.setHeader('retry-after', String(wait));
    return sendJson(res, 429, { code: RateLimitedCode, message: 'too many sign-in attempts from this address', hint: `wait ${wait} s and try again` });
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return sendJson(res, 401, { code: 'KH_UNAUTHENTICATED', message: 'no token', hint: 'paste the token an admin gave you' });
  try {
    const principal = await broker.identities.authenticate(m[1]);
    if (principal.kind !== 'user') return sendJson(res, 403, { code: 'KH_FORBIDDEN', message: 'an agent token cannot sign in to the page', hint: 'use your own user token' });
    sendJson(res, 200, { user: { id: principal.id, roles: principal.roles }, sessionIdleMs: settings.sessionIdleMs });
  } catch (err) {
    if (isBrokerError(err)) sendJson(res, 401, err.toJSON());
    else sendJson(res, 500, { code: 'KH_INTERNAL', message: 'internal error', hint: 'see the broker log' });
  }
}

function sendJson(res: ServerResponse, status: number, json: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(json);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
