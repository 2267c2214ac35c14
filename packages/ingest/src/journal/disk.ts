import { closeSync, fdatasync, fsync, openSync, writevSync } from 'node:fs';
import { promisify } from 'node:util';

/** Off the event loop: a sync waits for the disk for a fraction of a millisecond or more. */
export const syncData: (fd: number) => Promise<void> = promisify(fdatasync);
const syncAll: (fd: number) => Promise<void> = promisify(fsync);

/** Makes a file created or renamed in `dir` survive a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await syncAll(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every buffer at `position`, continuing after short writes. Synchronous:
 * copying a group into the page cache takes microseconds, less than a round
 * trip through libuv's thread pool.
 */
export function writeAll(fd: number, buffers: readonly Buffer[], position: number): void {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    let written = writevSync(fd, rest, at);
    if (written === 0) throw new Error('write(2) wrote nothing and reported no error');
    at += written;
    let done = 0;
    while (done < rest.length && written >= (rest[done] as Buffer).length) {
      written -= (rest[done] as Buffer).length;
      done += 1;
    }
    rest = rest.slice(done);
    const partial = rest[0];
    if (partial !== undefined && written > 0) rest = [partial.subarray(written), ...rest.slice(1)];
  }
}
