import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentAuditEntry } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { AuditEntryDto, errors, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { listAudit } from '../services/audit.ts';

const AuditQuery = z.strictObject({
  limit: PageLimit,
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Only entries older than this; pass the last createdAt to page back' }),
  beforeId: z.string().max(64).optional().meta({
    description: 'With `before`, the id of the last entry: entries of the same millisecond are not skipped',
  }),
});

export function auditLogRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/audit-log',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what, newest first (owner, admin)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: AuditQuery,
        response: { 200: z.object({ entries: z.array(AuditEntryDto) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'audit.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const { limit, before, beforeId } = request.query;
      const entries = await listAudit(ctx.db, {
        workspaceId: request.params.ws,
        limit,
        before: before === undefined ? undefined : Date.parse(before),
        beforeId,
      });
      return { entries: entries.map(presentAuditEntry) };
    },
  );
}
