/**
 * The broker's HTTP server (node:http, JSON). Bearer-token authentication,
 * a cap on request bodies, and errors always as {code, message, hint}. A bad
 * request affects only itself: nothing it sends reaches the store unless
 * it parses and passes every check.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type BrokerErrorJson } from '@keyhole/protocol';
import { type Broker } from '../broker';
import { isBrokerError } from '../errors';
import { attachGateways, type GatewayOptions } from '../gateway/upgrade';
import { type Principal } from '../identity/principal';
import { GRANT_EXPIRY_LIMITS } from '../grants/grantExpiry';
import { SNAPSHOT_LIMITS } from '../snapshots/snapshotService';
import { createWebApp, type WebOptions } from '../web/webApp';
import { HttpErrorCode, statusFor } from './httpErrors';
import { type Route, ROUTES } from './routes';

export interface HttpServerOptions {
  /** Default 127.0.0.1: expose the broker deliberately, behind TLS. */
  readonly host?: string;
  /** Default 0: any free port (see `url`). */
  readonly port?: number;
  /** Largest request body accepted. Default 256 KiB. */
  readonly maxBodyBytes?: number;
  /** Limits of the /agent and /events WebSocket endpoints. */
  readonly gateways?: GatewayOptions;
  /** How often expired snapshots are deleted. Default 60 s; 0 turns the sweeper off. */
  readonly snapshotSweepIntervalMs?: number;
  /** How often grants whose window ended are announced (GrantChanged, `grant.expired`). Default 1 s; 0 turns it off. */
  readonly grantExpirySweepIntervalMs?: number;
  /** The approver web page: runbooks, alert webhook, session and sign-in limits. */
  readonly web?: WebOptions;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

type ApiErrorBody = BrokerErrorJson;

class HttpProblem extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

export interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

export function compileRoutes(routes: readonly Route[]): readonly CompiledRoute[] {
  return routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));
}

const COMPILED = compileRoutes(ROUTES);

function match(method: string, pathname: string, compiled: readonly CompiledRoute[]): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const parts = pathname.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    segments.forEach((seg, i) => {
      const part = parts[i] ?? '';
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      } else if (seg !== part) ok = false;
    });
    if (!ok) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : undefined;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new HttpProblem({ code: HttpErrorCode.MalformedJson, message: `the body is not valid JSON (${(err as Error).message})`, hint: 'send a JSON object with Content-Type: application/json' }));
      }
    });
  });
}

function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem({ code: HttpErrorCode.PayloadTooLarge, message: `the body exceeds ${maxBytes} bytes`, hint: 'send less; large uploads are not part of this API' });
}

function send(res: ServerResponse, status: number, json: unknown, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export async function handleRequest(broker: Broker, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number, routes: readonly CompiledRoute[] = COMPILED): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://broker');
    const found = match(req.method ?? 'GET', url.pathname, routes);
    if (!found) throw new HttpProblem({ code: HttpErrorCode.RouteNotFound, message: `no route ${req.method ?? ''} ${url.pathname}`, hint: 'see broker/README.md for the API' });
    if ('allowed' in found) {
      throw new HttpProblem({ code: HttpErrorCode.RouteNotFound, message: `${url.pathname} does not accept ${req.method ?? ''}`, hint: `use ${found.allowed.join(' or ')}` });
    }
    let principal: Principal | undefined;
    if (found.route.auth) {
      const token = bearer(req);
      if (!token) throw new HttpProblem({ code: 'KH_UNAUTHENTICATED', message: 'no bearer token', hint: 'send Authorization: Bearer <token> (from `keyhole init` or an admin)' });
      principal = await broker.identities.authenticate(token);
    }
    const body = req.method === 'GET' ? undefined : await readBody(req, maxBodyBytes);
    const out = await found.route.handler({ broker, principal, params: found.params, query: url.searchParams, body });
    send(res, out.status ?? 200, out.json);
  } catch (err) {
    if (err instanceof HttpProblem) {
      // A body we refused mid-stream: answer, then drop the connection so the rest is not read.
      const close = err.body.code === HttpErrorCode.PayloadTooLarge;
      send(res, statusFor(err.body.code), err.body, close);
      if (close) res.on('finish', () => req.destroy());
    } else if (isBrokerError(err)) {
      send(res, statusFor(err.code), err.toJSON());
    } else {
      send(res, 500, { code: HttpErrorCode.Internal, message: 'internal error', hint: 'see the broker log' } satisfies ApiErrorBody);
      process.emitWarning(`keyhole broker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
}

export function startHttpServer(broker: Broker, options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const web = createWebApp(broker, options.web);
  const routes = compileRoutes([...ROUTES, ...web.routes]);
  const server = createServer((req, res) => {
    if (!web.serve(req, res)) void handleRequest(broker, req, res, maxBodyBytes, routes);
  });
  const gateways = attachGateways(server, broker, options.gateways);
  const sweepMs = options.snapshotSweepIntervalMs ?? SNAPSHOT_LIMITS.sweepIntervalMs;
  const stopSnapshotSweeper = sweepMs > 0 ? broker.snapshots.startSweeper(sweepMs) : () => undefined;
  const expiryMs = options.grantExpirySweepIntervalMs ?? GRANT_EXPIRY_LIMITS.sweepIntervalMs;
  const stopExpirySweeper = expiryMs > 0 ? broker.grants.startExpirySweeper(expiryMs) : () => undefined;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve({
        server,
        url: `http://${host}:${addr.port}`,
        close: () =>
          new Promise<void>((done) => {
            stopSnapshotSweeper();
            stopExpirySweeper();
            gateways.close();
            void web.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
