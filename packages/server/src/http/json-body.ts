import type { FastifyInstance } from 'fastify';

class InvalidJsonError extends Error {
  readonly statusCode = 400;
  readonly code = 'WASL_INVALID_JSON';
}

/**
 * JSON is the only body the API reads.
 * - text/plain's default parser is removed, so any other content type is a 415
 *   instead of a string that fails validation with a confusing message.
 * - An empty body counts as no body: clients that send
 *   `content-type: application/json` on every request (DELETE, logout) work.
 * - Fastify's secure parser (which refuses __proto__ and constructor keys)
 *   still decides; when it refuses, JSON.parse is asked for the reason so the
 *   400 says where the JSON is broken.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    secureParse(request, text, (error, value) => {
      if (!error) {
        done(null, value);
        return;
      }
      let reason = 'it contains a __proto__ or constructor key';
      try {
        JSON.parse(text);
      } catch (syntax) {
        reason = (syntax as Error).message;
      }
      done(new InvalidJsonError(`the request body is not valid JSON: ${reason}`), undefined);
    });
  });
}
