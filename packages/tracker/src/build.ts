import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { TRACKER_DIST, TRACKER_ENTRY } from './paths.ts';

/**
 * Bundles and minifies the tracker into one IIFE, writes it to `outfile` and
 * returns its bytes. The file is written under a temporary name and renamed,
 * so a server reading it never sees half a script.
 *
 * @example
 *   const bytes = await buildTracker(); // packages/tracker/dist/t.js
 */
export async function buildTracker(outfile: string = TRACKER_DIST): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [TRACKER_ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    // Every browser still in use runs ES2020 (optional chaining, ??): no helpers needed.
    target: 'es2020',
    legalComments: 'none',
    // Not the repository's tsconfig: its `strict` would add a "use strict" the script does not need.
    tsconfigRaw: {},
    write: false,
    outfile,
  });
  const bytes = result.outputFiles[0]!.contents;
  await mkdir(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, outfile);
  return bytes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bytes = await buildTracker();
  console.log(`${TRACKER_DIST}: ${bytes.length} bytes`);
}
