import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildTracker } from '../packages/tracker/src/build.ts';

// Bytes of the browser tracker as visitors download it: minified, then
// compressed at the highest level (what a server precompressing a static
// file uses). Prints one JSON line; the limit and goal come from issue 3.
const bytes = await buildTracker();
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(
  JSON.stringify({
    bench: 'tracker-size',
    bytes: bytes.length,
    gzip_bytes: gzip,
    brotli_bytes: brotli,
    limit_gzip_bytes: 1536,
    goal_gzip_bytes: 1024,
  }),
);
