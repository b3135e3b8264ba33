/**
 * The HTTP API's routes: one table of method, path and handler. Handlers
 * get the authenticated principal and the parsed JSON body and return JSON;
 * refusals are BrokerErrors, which the server turns into {code, message, hint}.
 */
import { AUDIT_ROUTES } from './routes/auditRoutes';
import { CAPTURE_ROUTES } from './routes/captureRoutes';
import { type Route } from './routes/common';
import { GRANT_ROUTES } from './routes/grantRoutes';
import { IDENTITY_ROUTES } from './routes/identityRoutes';
import { SERVICE_ROUTES } from './routes/serviceRoutes';

export { type Route, type RouteContext } from './routes/common';
export { AUDIT_PAGE_LIMIT } from './routes/auditRoutes';

export const ROUTES: readonly Route[] = [...IDENTITY_ROUTES, ...SERVICE_ROUTES, ...GRANT_ROUTES, ...CAPTURE_ROUTES, ...AUDIT_ROUTES];
