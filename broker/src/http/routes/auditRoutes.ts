/** Reading and verifying the audit log. */
import { verifyAudit } from '../../audit/auditLog';
import { brokerError, BrokerErrorCode } from '../../errors';
import { requirePermission } from '../../identity/identityService';
import { auditJson } from '../json';
import { type Route, who } from './common';

/** Rows per audit page unless `limit` says fewer; at most this many. */
export const AUDIT_PAGE_LIMIT = 1000;

export const AUDIT_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/audit',
    auth: true,
    handler: async (ctx) => {
      requirePermission(who(ctx), 'audit.read');
      const after = Number(ctx.query.get('after') ?? 0);
      const limit = Number(ctx.query.get('limit') ?? AUDIT_PAGE_LIMIT);
      if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_LIMIT) {
        throw brokerError(BrokerErrorCode.BadRequest, `after must be a seq >= 0 and limit 1..${AUDIT_PAGE_LIMIT}`, 'page with ?after=<last seq>&limit=<n>');
      }
      const rows = await ctx.broker.store.transaction((r) => r.audit.list(after, limit));
      return { json: rows.map(auditJson) };
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/verify',
    auth: true,
    handler: async (ctx) => {
      requirePermission(who(ctx), 'audit.read');
      return { json: await verifyAudit(ctx.broker.store) };
    },
  },
];
