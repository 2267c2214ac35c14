import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContactImport } from '@wasl/store';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import {
  createImportRecord,
  IMPORT_POLICIES,
  type ImportPolicy,
  processContactImport,
} from '../services/contact-import.ts';
import { previewContactsCsv } from '../services/contact-import-preview.ts';
import { CSV_BOM, csvLine } from '../services/csv.ts';

/** An upload up to this size is taken (1,000,000 contacts with a dozen columns is about 150 MB). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
const MAX_PREVIEW_BYTES = 1024 * 1024;
const CSV_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/octet-stream',
  'application/vnd.ms-excel',
];

const ImportParams = z.strictObject({ ws: z.string(), importId: z.string() });
const Mapping = z.record(z.string(), z.string());

const ImportDto = z
  .object({
    id: z.string(),
    fileName: z.string(),
    status: z.enum(['running', 'done', 'failed', 'cancelled']),
    policy: z.enum(IMPORT_POLICIES),
    bytesTotal: z.number().nullable(),
    bytesRead: z.number(),
    rowsRead: z.number(),
    inserted: z.number(),
    updated: z.number(),
    skipped: z.number(),
    failed: z.number(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdAt: IsoTime,
    finishedAt: IsoTime.nullable(),
  })
  .meta({ id: 'ContactImport' });

const PreviewDto = z
  .object({
    encoding: z.string(),
    delimiter: z.string(),
    headers: z.array(z.string()),
    mapping: Mapping,
    remembered: z.boolean(),
    sample: z.array(z.object({ line: z.number(), contact: z.record(z.string(), z.unknown()) })),
    problems: z.array(
      z.object({
        line: z.number(),
        column: z.string().optional(),
        value: z.string().optional(),
        reason: z.string(),
        warning: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'ContactImportPreview' });

const presentImport = (r: ContactImport): z.output<typeof ImportDto> => ({
  id: r.id,
  fileName: r.file_name,
  status: r.status as z.output<typeof ImportDto>['status'],
  policy: r.policy as ImportPolicy,
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  bytesRead: Number(r.bytes_read),
  rowsRead: r.rows_read,
  inserted: r.inserted,
  updated: r.updated,
  skipped: r.skipped,
  failed: r.failed,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as Record<string, unknown>),
  error: r.error,
  createdAt: iso(Number(r.created_at)),
  finishedAt: r.finished_at === null ? null : iso(Number(r.finished_at)),
});

/** Counts the bytes that pass, and stops the upload past the limit. */
function byteCounter(limit: number) {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) done(new UploadTooLargeError(limit));
      else done(null, chunk);
    },
  });
  return { counter, bytes: () => bytes };
}

class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than the limit of ${limit} bytes`);
  }
}

/**
 * CSV contact imports: a preview (encoding, delimiter, headers, the mapping
 * that will apply, the first rows as they will import), the upload (spooled
 * to the data directory, then imported in the background while the dashboard
 * polls the progress), the row problems as JSON or CSV, and cancellation.
 */
export function contactImportRoutes(app: App, ctx: ServerContext): void {
  const running = new Map<string, AbortController>();
  const spoolDir = join(ctx.config.dataDir, 'imports');

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
    scope.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));
    scope.addHook('onClose', async () => {
      for (const controller of running.values()) controller.abort();
    });

    scope.post(
      '/api/workspaces/:ws/contact-imports/preview',
      {
        config: { auth: 'principal' },
        bodyLimit: MAX_PREVIEW_BYTES,
        schema: {
          tags: ['contacts'],
          summary: 'Preview a CSV (send its first bytes): encoding, delimiter, headers, mapping, first rows',
          security: SESSION_OR_KEY,
          params: WorkspaceParams,
          response: { 200: PreviewDto, ...errors(400, 401, 403, 404, 413) },
        },
      },
      async (request, reply) => {
        const { ws } = request.params;
        const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
        if (!access.ok) return sendProblem(reply, access.error);
        const chunks: Buffer[] = [];
        for await (const chunk of request.body as Readable) chunks.push(chunk as Buffer);
        const preview = await previewContactsCsv(ctx.db, ws, new Uint8Array(Buffer.concat(chunks)));
        if (!preview.ok) return sendProblem(reply, preview.error);
        return preview.value;
      },
    );

    scope.post(
      '/api/workspaces/:ws/contact-imports',
      {
        config: { auth: 'principal' },
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          tags: ['contacts'],
          summary: 'Upload a CSV of contacts (body: the file); the import runs in the background',
          security: SESSION_OR_KEY,
          params: WorkspaceParams,
          querystring: z.strictObject({
            fileName: z.string().min(1).max(255).default('contacts.csv'),
            policy: z.enum(IMPORT_POLICIES).default('upsert'),
            mapping: z.string().optional().meta({
              description: 'JSON {"CSV header": "field"}; by default the remembered or suggested mapping',
            }),
          }),
          response: { 202: z.object({ import: ImportDto }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (request, reply) => {
        const { ws } = request.params;
        const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
        if (!access.ok) return sendProblem(reply, access.error);
        let mapping: Record<string, string> | undefined;
        if (request.query.mapping !== undefined) {
          const parsed = Mapping.safeParse(safeJson(request.query.mapping));
          if (!parsed.success) {
            return sendProblem(reply, {
              code: 'invalid',
              message: 'mapping must be a JSON object {"CSV header": "field"}',
              field: 'mapping',
            });
          }
          mapping = parsed.data;
        }
        await mkdir(spoolDir, { recursive: true });
        const record = await createImportRecord(ctx.db, {
          workspaceId: ws,
          fileName: request.query.fileName,
          policy: request.query.policy,
          createdBy: access.value.actor.type === 'user' ? access.value.actor.id : null,
          now: ctx.clock(),
        });
        const file = join(spoolDir, `${record.id}.csv`);
        const count = byteCounter(MAX_IMPORT_BYTES);
        try {
          await pipeline(request.body as Readable, count.counter, createWriteStream(file));
        } catch (e) {
          await rm(file, { force: true });
          await ctx.db
            .updateTable('contact_imports')
            .set({ status: 'failed', error: 'the upload did not complete', finished_at: ctx.clock() })
            .where('id', '=', record.id)
            .execute();
          if (e instanceof UploadTooLargeError) {
            return sendProblem(reply, { code: 'payload_too_large', message: e.message });
          }
          throw e;
        }
        record.bytes_total = count.bytes();
        await ctx.db
          .updateTable('contact_imports')
          .set({ bytes_total: record.bytes_total })
          .where('id', '=', record.id)
          .execute();
        const controller = new AbortController();
        running.set(record.id, controller);
        void processContactImport(ctx.db, record, {
          source: createReadStream(file, { highWaterMark: 256 * 1024 }),
          ...(mapping ? { mapping } : {}),
          clock: ctx.clock,
          signal: controller.signal,
          onWritten: (ids) => ctx.audience.contactsChanged(ws, ids),
        })
          .catch((e: unknown) => request.log.error({ err: e, importId: record.id }, 'contact import failed'))
          .finally(() => {
            running.delete(record.id);
            void rm(file, { force: true });
          });
        return reply.code(202).send({ import: presentImport(record) });
      },
    );
  });

  app.get(
    '/api/workspaces/:ws/contact-imports',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['contacts'],
        summary: 'The latest contact imports, newest first, with their progress',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ imports: z.array(ImportDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const rows = await ctx.db
        .selectFrom('contact_imports')
        .selectAll()
        .where('workspace_id', '=', ws)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return { imports: rows.map(presentImport) };
    },
  );

  app.get(
    '/api/workspaces/:ws/contact-imports/:importId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['contacts'],
        summary: "One import's progress and counts",
        security: SESSION_OR_KEY,
        params: ImportParams,
        response: { 200: z.object({ import: ImportDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, importId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const row = await findImport(ctx, ws, importId);
      if (!row) return sendProblem(reply, { code: 'not_found', message: 'import not found' });
      return { import: presentImport(row) };
    },
  );

  app.get(
    '/api/workspaces/:ws/contact-imports/:importId/errors',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['contacts'],
        summary: "An import's row problems (line, column, value, reason), as JSON or CSV",
        security: SESSION_OR_KEY,
        params: ImportParams,
        querystring: z.strictObject({
          format: z.enum(['json', 'csv']).default('json'),
          limit: PageLimit,
          afterLine: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.union([
            z.object({
              errors: z.array(
                z.object({
                  line: z.number(),
                  column: z.string().nullable(),
                  value: z.string().nullable(),
                  reason: z.string(),
                  warning: z.boolean(),
                }),
              ),
            }),
            z.string(),
          ]),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, importId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const row = await findImport(ctx, ws, importId);
      if (!row) return sendProblem(reply, { code: 'not_found', message: 'import not found' });
      const { format, limit, afterLine } = request.query;
      let q = ctx.db
        .selectFrom('contact_import_errors')
        .selectAll()
        .where('import_id', '=', row.id)
        .orderBy('line')
        .orderBy('column_name');
      if (format === 'json') q = q.where('line', '>', afterLine).limit(limit);
      const problems = await q.execute();
      if (format === 'csv') {
        const lines = problems.map((p) =>
          csvLine([p.line, p.column_name, p.value, p.reason, p.warning ? 'warning' : 'error']),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${row.id}-problems.csv"`)
          .send(`${CSV_BOM}line,column,value,reason,kind\r\n${lines.map((l) => `${l}\r\n`).join('')}`);
      }
      return {
        errors: problems.map((p) => ({
          line: p.line,
          column: p.column_name,
          value: p.value,
          reason: p.reason,
          warning: p.warning === 1,
        })),
      };
    },
  );

  app.post(
    '/api/workspaces/:ws/contact-imports/:importId/cancel',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['contacts'],
        summary: 'Stop a running import; the rows already written stay',
        security: SESSION_OR_KEY,
        params: ImportParams,
        response: { 202: z.object({ import: ImportDto }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, importId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const row = await findImport(ctx, ws, importId);
      if (!row) return sendProblem(reply, { code: 'not_found', message: 'import not found' });
      const controller = running.get(row.id);
      if (!controller)
        return sendProblem(reply, {
          code: 'conflict',
          message: `the import is ${row.status}, not running here`,
        });
      controller.abort();
      return reply.code(202).send({ import: presentImport(row) });
    },
  );
}

const findImport = (ctx: ServerContext, ws: string, id: string) =>
  ctx.db
    .selectFrom('contact_imports')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .executeTakeFirst();

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
