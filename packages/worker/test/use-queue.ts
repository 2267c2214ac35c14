import { afterEach, beforeEach } from 'vitest';
import { JobQueue } from '../src/index.ts';
import { type Backend, createWorkspace, TestClock, type TestDb } from './backends.ts';

export interface QueueFixture {
  db: TestDb;
  clock: TestClock;
  queue: JobQueue;
  /** A workspace of this test. */
  ws: string;
  /** Another queue on the same clock, through db.peer(). */
  peerQueue(): JobQueue;
}

/**
 * A fresh database, clock, queue and workspace for every test. Jitter is fixed
 * at 0.5 so backoff delays are known: 500 ms, 1 s, 2 s, …
 */
export function useQueue(backend: Backend): QueueFixture {
  const fixture = {} as QueueFixture;
  beforeEach(async () => {
    const db = await backend.open();
    const clock = new TestClock();
    const make = (oltp = db.oltp) =>
      new JobQueue({ db: oltp.db, dialect: oltp.dialect, clock: clock.read, random: () => 0.5 });
    Object.assign(fixture, {
      db,
      clock,
      queue: make(),
      ws: await createWorkspace(db.oltp, clock.now),
      peerQueue: () => make(db.peer()),
    });
  });
  afterEach(async () => {
    await fixture.db.close();
  });
  return fixture;
}
