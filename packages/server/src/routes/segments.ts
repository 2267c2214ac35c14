import { Readable } from 'node:stream';
import type { Segment } from '@wasl/store';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { ContactDto } from '../http/contact-schemas.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { viewContact } from '../services/contact-rows.ts';
import { CSV_BOM, csvLine } from '../services/csv.ts';
import {
  checkDefinition,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  updateSegment,
} from '../services/segments.ts';
import { presentContact } from './contacts.ts';

const SegmentParams = z.strictObject({ ws: z.string(), segmentId: z.string() });
const tags = ['segments'];
const Definition = z.record(z.string(), z.unknown()).meta({
  description:
    'A segment definition: { root: { match: "all"|"any", conditions: [...] } } (see docs/segments.md)',
});

const Warning = z.object({
  path: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  message: z.string(),
});

const SegmentDto = z
  .object({
    id: z.string(),
    name: z.string(),
    definition: z.record(z.string(), z.unknown()),
    memberCount: z.number(),
    evaluatedAt: IsoTime.nullable(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'Segment' });

const presentSegment = (s: Segment): z.output<typeof SegmentDto> => ({
  id: s.id,
  name: s.name,
  definition: JSON.parse(s.definition) as Record<string, unknown>,
  memberCount: s.member_count,
  evaluatedAt: s.evaluated_at === null ? null : iso(Number(s.evaluated_at)),
  createdAt: iso(Number(s.created_at)),
  updatedAt: iso(Number(s.updated_at)),
});

const EXPORT_COLUMNS = [
  'id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'city',
  'country',
  'lifecycle_stage',
  'lead_score',
  'created_at',
] as const;

/** Dynamic segments: rules over attributes, consent and behaviour, kept live by the segment engine. */
export function segmentRoutes(app: App, ctx: ServerContext): void {
  const NO_ENGINE = { code: 'unavailable' as const, message: 'this process does not evaluate segments' };

  /** Membership follows a new or changed definition right away, in the background. */
  const refresh = (ws: string, segment: Segment, log: FastifyBaseLogger) => {
    ctx.segments?.engine
      .recompute(ws, segment, false)
      .catch((error: unknown) =>
        log.error({ err: error, segmentId: segment.id }, 'evaluating a segment failed'),
      );
  };

  app.get(
    '/api/workspaces/:ws/segments',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Segments with their live member counts',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ segments: z.array(SegmentDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { segments: (await listSegments(ctx.db, request.params.ws)).map(presentSegment) };
    },
  );

  app.post(
    '/api/workspaces/:ws/segments/estimate',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          'How many contacts a definition matches now (while editing); contradictions come back as warnings',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({ definition: Definition }),
        response: {
          200: z.object({
            count: z.number(),
            alwaysEmpty: z.boolean(),
            warnings: z.array(Warning),
            tookMs: z.number(),
          }),
          ...errors(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const checked = checkDefinition(request.body.definition);
      if (!checked.ok) return sendProblem(reply, checked.error);
      if (checked.value.alwaysEmpty) {
        return { count: 0, alwaysEmpty: true, warnings: checked.value.warnings, tookMs: 0 };
      }
      if (!ctx.segments) return sendProblem(reply, NO_ENGINE);
      const started = performance.now();
      const count = await ctx.segments.evaluator.count(ws, checked.value.definition);
      if (!count.ok)
        return sendProblem(reply, { ...count.error, field: `definition.${count.error.field ?? 'root'}` });
      return {
        count: count.value,
        alwaysEmpty: false,
        warnings: checked.value.warnings,
        tookMs: Math.round(performance.now() - started),
      };
    },
  );

  app.post(
    '/api/workspaces/:ws/segments',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Save a segment; its members are evaluated at once and kept live',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({ name: Name, definition: Definition }),
        response: {
          201: z.object({ segment: SegmentDto, warnings: z.array(Warning) }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createSegment(ctx.db, {
        workspaceId: ws,
        ...request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      refresh(ws, created.value.segment, request.log);
      return reply
        .code(201)
        .send({ segment: presentSegment(created.value.segment), warnings: created.value.warnings });
    },
  );

  app.get(
    '/api/workspaces/:ws/segments/:segmentId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One segment',
        security: SESSION_OR_KEY,
        params: SegmentParams,
        response: { 200: z.object({ segment: SegmentDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const segment = await getSegment(ctx.db, ws, segmentId);
      if (!segment) return sendProblem(reply, { code: 'not_found', message: 'segment not found' });
      return { segment: presentSegment(segment) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/segments/:segmentId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Rename a segment or change its rules (members are re-evaluated)',
        security: SESSION_OR_KEY,
        params: SegmentParams,
        body: z.strictObject({ name: Name.optional(), definition: Definition.optional() }),
        response: {
          200: z.object({ segment: SegmentDto, warnings: z.array(Warning) }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateSegment(ctx.db, {
        workspaceId: ws,
        segmentId,
        ...request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      if (updated.value.definitionChanged) refresh(ws, updated.value.segment, request.log);
      return { segment: presentSegment(updated.value.segment), warnings: updated.value.warnings };
    },
  );

  app.delete(
    '/api/workspaces/:ws/segments/:segmentId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Delete a segment (refused while another segment uses it)',
        security: SESSION_OR_KEY,
        params: SegmentParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteSegment(ctx.db, {
        workspaceId: ws,
        segmentId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/workspaces/:ws/segments/:segmentId/members',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The segment's members, a page at a time",
        security: SESSION_OR_KEY,
        params: SegmentParams,
        querystring: z.strictObject({ limit: PageLimit, after: z.string().optional() }),
        response: {
          200: z.object({ contacts: z.array(ContactDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const segment = await getSegment(ctx.db, ws, segmentId);
      if (!segment) return sendProblem(reply, { code: 'not_found', message: 'segment not found' });
      const { limit, after } = request.query;
      let q = ctx.db
        .selectFrom('segment_members')
        .innerJoin('contacts', 'contacts.id', 'segment_members.contact_id')
        .selectAll('contacts')
        .where('segment_members.segment_id', '=', segment.id);
      if (after) q = q.where('contacts.id', '>', after);
      const rows = await q
        .orderBy('contacts.id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(viewContact);
      return {
        contacts: page.map(presentContact),
        next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/api/workspaces/:ws/segments/:segmentId/export',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The segment's members as CSV (UTF-8 with BOM, opens in Excel with Arabic intact)",
        security: SESSION_OR_KEY,
        params: SegmentParams,
        response: { 200: z.string(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const segment = await getSegment(ctx.db, ws, segmentId);
      if (!segment) return sendProblem(reply, { code: 'not_found', message: 'segment not found' });
      const db = ctx.db;
      async function* lines() {
        yield `${CSV_BOM}${EXPORT_COLUMNS.join(',')}\r\n`;
        let after = '';
        for (;;) {
          const rows = await db
            .selectFrom('segment_members')
            .innerJoin('contacts', 'contacts.id', 'segment_members.contact_id')
            .select(EXPORT_COLUMNS.map((c) => `contacts.${c}` as const))
            .where('segment_members.segment_id', '=', segment!.id)
            .where('contacts.id', '>', after)
            .orderBy('contacts.id')
            .limit(2000)
            .execute();
          if (rows.length === 0) return;
          yield rows
            .map((r) =>
              csvLine([
                r.id,
                r.email,
                r.phone,
                r.first_name,
                r.last_name,
                r.city,
                r.country,
                r.lifecycle_stage,
                r.lead_score,
                iso(Number(r.created_at)),
              ]),
            )
            .map((l) => `${l}\r\n`)
            .join('');
          after = rows[rows.length - 1]!.id;
        }
      }
      const filename = `segment-${segment.id}.csv`;
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          // A stream is sent as it is (no serializer): memory stays flat for a segment of any size.
          .send(Readable.from(lines()) as unknown as string)
      );
    },
  );
}
