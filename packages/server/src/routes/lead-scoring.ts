import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, WorkspaceParams } from '../http/schemas.ts';
import {
  createRule,
  deleteRule,
  getSettings,
  listRules,
  putSettings,
  type RuleView,
  recomputeLeadScores,
  replaceRule,
} from '../services/lead-scoring.ts';
import { AttributeMatch, EventMatch } from '../services/lead-scoring-rules.ts';

const tags = ['lead-scoring'];
const RuleParams = z.strictObject({ ws: z.string(), ruleId: z.string() });
const Points = z.number().int().min(-1000).max(1000).meta({ description: 'May be negative' });

const RuleBody = z.discriminatedUnion('kind', [
  z.strictObject({ name: Name, kind: z.literal('event'), points: Points, match: EventMatch }),
  z.strictObject({ name: Name, kind: z.literal('attribute'), points: Points, match: AttributeMatch }),
]);

const RuleDto = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['event', 'attribute']),
    points: z.number().int(),
    match: z.record(z.string(), z.unknown()),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'LeadScoringRule' });
const present = (r: RuleView): z.output<typeof RuleDto> => ({
  ...r,
  match: r.match as Record<string, unknown>,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const Settings = z
  .strictObject({
    halfLifeDays: z.number().int().min(1).max(3650).nullable().meta({
      description: "An event's points halve every this many days after it happened; null: no decay",
    }),
    mqlThreshold: z.number().int().min(0).max(1_000_000),
    sqlThreshold: z.number().int().min(0).max(1_000_000),
  })
  .meta({ id: 'LeadScoringSettings' });

/** Lead scoring: rules, decay and the thresholds that move leads to MQL and SQL. */
export function leadScoringRoutes(app: App, ctx: ServerContext): void {
  const base = '/api/workspaces/:ws/lead-scoring';

  app.get(
    `${base}/rules`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'The scoring rules',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ rules: z.array(RuleDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { rules: (await listRules(ctx.db, request.params.ws)).map(present) };
    },
  );

  app.post(
    `${base}/rules`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add a rule: points per matching event (optionally capped per day) or once for an attribute',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: RuleBody,
        response: { 201: z.object({ rule: RuleDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const rule = await createRule(ctx.db, { workspaceId: ws, rule: request.body, now: ctx.clock() });
      return reply.code(201).send({ rule: present(rule) });
    },
  );

  app.put(
    `${base}/rules/:ruleId`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Replace a rule',
        security: SESSION_OR_KEY,
        params: RuleParams,
        body: RuleBody,
        response: { 200: z.object({ rule: RuleDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, ruleId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const replaced = await replaceRule(ctx.db, {
        workspaceId: ws,
        ruleId,
        rule: request.body,
        now: ctx.clock(),
      });
      if (!replaced.ok) return sendProblem(reply, replaced.error);
      return { rule: present(replaced.value) };
    },
  );

  app.delete(
    `${base}/rules/:ruleId`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Delete a rule (scores follow at the next rescoring)',
        security: SESSION_OR_KEY,
        params: RuleParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, ruleId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteRule(ctx.db, ws, ruleId);
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );

  app.get(
    `${base}/settings`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Decay and stage thresholds',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ settings: Settings }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { settings: await getSettings(ctx.db, request.params.ws) };
    },
  );

  app.put(
    `${base}/settings`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Set decay and stage thresholds',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: Settings,
        response: { 200: z.object({ settings: Settings }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const put = await putSettings(ctx.db, { workspaceId: ws, settings: request.body, now: ctx.clock() });
      if (!put.ok) return sendProblem(reply, put.error);
      return { settings: put.value };
    },
  );

  app.post(
    `${base}/recompute`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Rescore every contact now (after changing rules); answers when done',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: {
          200: z.object({ changed: z.number().int(), stageChanges: z.number().int() }),
          ...errors(401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const events = ctx.events;
      if (!events)
        return sendProblem(reply, { code: 'unavailable', message: 'this process has no events store' });
      const done = await recomputeLeadScores(ctx.db, events, {
        workspaceId: ws,
        now: ctx.clock(),
        record: (facts) => events.append(facts),
      });
      ctx.audience.contactsChanged(ws, done.changed);
      return { changed: done.changed.length, stageChanges: done.stageChanges.length };
    },
  );
}
