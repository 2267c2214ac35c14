import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'journal.lock';

interface Holder {
  pid: number;
  /** Linux: the process's start time (/proc/PID/stat field 22), to tell a reused pid apart. */
  started?: string;
}

/** Directories locked by this process: a second journal here would interleave writes. */
const heldHere = new Set<string>();

/** Another live process, or another journal in this one, already writes to the directory. */
export class JournalLockedError extends Error {
  override readonly name = 'JournalLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `ingest journal ${dir} is already open in this process`
        : `ingest journal ${dir} is locked by running process ${pid} (${join(dir, LOCK_FILE)}); ` +
            'each ingest process needs its own journal directory. If that process is not a Wasl ' +
            'ingest process, stop it or delete the lock file.',
    );
  }
}

/**
 * Takes the directory for this process and returns the function that gives it
 * back. The lock file names the holder's pid; a file left by a process that no
 * longer runs (SIGKILL, power loss) is taken over. The file is created with
 * link(2), so it never exists half-written.
 */
export function lockJournalDir(dir: string): () => void {
  const key = resolve(dir);
  if (heldHere.has(key)) throw new JournalLockedError(dir, process.pid);
  const path = join(dir, LOCK_FILE);
  const mine: Holder = { pid: process.pid, started: startTime(process.pid) };
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(mine));
  try {
    // Two rounds: the second follows removing a stale lock.
    for (let round = 0; round < 2; round++) {
      try {
        linkSync(draft, path);
        heldHere.add(key);
        return () => release(key, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder !== undefined && isRunning(holder)) throw new JournalLockedError(dir, holder.pid);
      removeIfPresent(path);
    }
    throw new Error(`ingest journal ${dir}: another process took the lock while a stale one was removed`);
  } finally {
    removeIfPresent(draft);
  }
}

function release(key: string, path: string): void {
  heldHere.delete(key);
  if (readHolder(path)?.pid === process.pid) removeIfPresent(path);
}

function readHolder(path: string): Holder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const holder = parsed as Partial<Holder> | null;
    return typeof holder?.pid === 'number' ? (holder as Holder) : undefined;
  } catch {
    return undefined; // gone, or not ours: treated as stale
  }
}

function isRunning(holder: Holder): boolean {
  // Our own pid in the file, but not held in this process: we are a restart that got the same pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = startTime(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

function startTime(pid: number): string | undefined {
  try {
    // Field 22 counts from the ')' closing the command name, which may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
