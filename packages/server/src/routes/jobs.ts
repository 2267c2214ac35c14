import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentJob } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, JobDto, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { JOB_STATES, listJobs, retryJob } from '../services/jobs.ts';

const JobParams = z.strictObject({ ws: z.string(), jobId: z.string() });
const JobsQuery = z.strictObject({ state: z.enum(JOB_STATES).optional(), limit: PageLimit });

/** The workspace's background jobs (sends, imports…), and a way to retry the dead ones. */
export function jobRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/jobs',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['jobs'],
        summary: 'List jobs, newest first',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: JobsQuery,
        response: { 200: z.object({ jobs: z.array(JobDto) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'jobs.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const jobs = await listJobs(ctx.db, ctx.dialect, { workspaceId: request.params.ws, ...request.query });
      return { jobs: jobs.map(presentJob) };
    },
  );

  app.post(
    '/api/workspaces/:ws/jobs/:jobId/retry',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['jobs'],
        summary: 'Queue a dead job again (owner, admin; 409 unless dead)',
        security: SESSION_OR_KEY,
        params: JobParams,
        response: { 200: z.object({ job: JobDto }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'jobs.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const retried = await retryJob(ctx.db, ctx.dialect, {
        workspaceId: request.params.ws,
        jobId: request.params.jobId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!retried.ok) return sendProblem(reply, retried.error);
      return { job: presentJob(retried.value) };
    },
  );
}
