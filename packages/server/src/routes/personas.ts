import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors } from '../http/schemas.ts';
import { toCsv } from '../services/csv.ts';
import { DIMENSIONS } from '../services/personas.ts';
import { type SegmentPersona, segmentPersona } from '../services/personas-segment.ts';

const Bucket = z.object({ value: z.string(), count: z.number().int(), share: z.number() });
const PersonaDto = z
  .object({
    segmentId: z.string(),
    name: z.string(),
    members: z.number().int(),
    dimensions: z.object(Object.fromEntries(DIMENSIONS.map((d) => [d, z.array(Bucket)]))),
  })
  .meta({ id: 'Persona' });

const csvOf = (personas: readonly SegmentPersona[]): string => {
  const both = personas.length > 1;
  const rows = personas.flatMap((p) =>
    DIMENSIONS.flatMap((d) =>
      p.dimensions[d].map((b) => [...(both ? [p.name] : []), d, b.value, b.count, b.share]),
    ),
  );
  return toCsv([...(both ? ['segment'] : []), 'dimension', 'value', 'count', 'share'], rows);
};

/** Audience analysis: who a segment's members are, side by side with another segment's. */
export function personaRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/segments/:segmentId/personas',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['segments'],
        summary:
          "Distributions of the segment's members (age band, gender, country, city, income, interests, device, source, lifecycle stage, engagement), counts and shares",
        security: SESSION_OR_KEY,
        params: z.strictObject({ ws: z.string(), segmentId: z.string() }),
        querystring: z.strictObject({
          compare: z
            .string()
            .min(1)
            .optional()
            .meta({ description: 'Another segment of the workspace, analysed alongside' }),
          format: z
            .enum(['json', 'csv'])
            .default('json')
            .meta({ description: 'csv: every distribution as rows of dimension, value, count, share' }),
        }),
        response: {
          200: z.union([z.object({ persona: PersonaDto, compare: PersonaDto.nullable() }), z.string()]),
          ...errors(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { ws, segmentId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      if (!ctx.events)
        return sendProblem(reply, { code: 'unavailable', message: 'this process has no events store' });
      const now = ctx.clock();
      const main = await segmentPersona(ctx.db, ctx.events, { workspaceId: ws, segmentId, now });
      if (!main.ok) return sendProblem(reply, main.error);
      const personas: SegmentPersona[] = [main.value];
      if (request.query.compare) {
        const other = await segmentPersona(ctx.db, ctx.events, {
          workspaceId: ws,
          segmentId: request.query.compare,
          now,
        });
        if (!other.ok) return sendProblem(reply, { ...other.error, field: 'compare' });
        personas.push(other.value);
      }
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="personas-${segmentId}.csv"`)
          .send(csvOf(personas));
      }
      return { persona: main.value, compare: personas[1] ?? null };
    },
  );
}
