import { readFile, stat } from 'node:fs/promises';
import { TRACKER_DIST, TRACKER_SOURCES } from './paths.ts';

export { TRACKER_DIST } from './paths.ts';
export type * from './payload.ts';

let script: Promise<Uint8Array> | undefined;

/**
 * The minified tracker (`dist/t.js`) for the server to serve as `/t.js?v=…`.
 * Builds it on the first call when dist is missing or older than its sources
 * (esbuild is loaded only then); later calls return the same bytes.
 *
 * @example
 *   reply.type('text/javascript').send(await trackerScript());
 */
export function trackerScript(): Promise<Uint8Array> {
  script ??= load().catch((error: unknown) => {
    script = undefined;
    throw error;
  });
  return script;
}

async function load(): Promise<Uint8Array> {
  if (await isFresh()) return readFile(TRACKER_DIST);
  const { buildTracker } = await import('./build.ts');
  return buildTracker();
}

async function isFresh(): Promise<boolean> {
  const built = await stat(TRACKER_DIST).catch(() => undefined);
  if (!built) return false;
  const sources = await Promise.all(TRACKER_SOURCES.map((file) => stat(file).catch(() => undefined)));
  // Installed without sources (a packaged release): dist is all there is.
  return sources.every((source) => !source || source.mtimeMs <= built.mtimeMs);
}
