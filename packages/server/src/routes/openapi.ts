import type { App } from '../context.ts';
import { OPENAPI_PATH } from '../http/openapi.ts';

export function openApiRoutes(app: App): void {
  app.get(
    OPENAPI_PATH,
    { schema: { tags: ['ops'], summary: 'This API described in OpenAPI 3.1' } },
    async () => app.swagger(),
  );
}
