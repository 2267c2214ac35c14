import { fileURLToPath } from 'node:url';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** The browser script's entry point. */
export const TRACKER_ENTRY = here('./tracker.ts');
/** Every source file bundled into the script: dist is stale when one is newer. */
export const TRACKER_SOURCES = [TRACKER_ENTRY, here('./payload.ts')];
/** The built, minified script the server serves as `/t.js`. */
export const TRACKER_DIST = here('../dist/t.js');
