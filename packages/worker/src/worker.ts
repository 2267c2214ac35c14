import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from '@wasl/store';
import type { JobQueue } from './job-queue.ts';
import type { JobHandler } from './types.ts';

export interface WorkerOptions {
  queue: JobQueue;
  /** By job name. A claimed job without a handler fails (and is dead after its attempts). */
  handlers: Record<string, JobHandler>;
  /** Jobs run at once; defaults to 4. */
  concurrency?: number;
  /** Wait between polls when the queue is empty; defaults to 1000. */
  pollMs?: number;
  /** Defaults to 30 s; heartbeats renew it at half-life while a handler runs. */
  leaseMs?: number;
  /** Unique per process; defaults to host:pid:random. */
  workerId?: string;
  /** Defaults to the queue's clock; leases are timed with it. */
  clock?: () => number;
  /** How often (by the clock) to enqueue due schedule runs; defaults to 1000. */
  tickEveryMs?: number;
  /** Database errors, and results dropped because a lease was lost. Defaults to stderr. */
  onError?: (error: unknown, job?: Job) => void;
}

interface Running {
  job: Job;
  controller: AbortController;
  leaseUntil: number;
  /** complete/fail/release is under way: a refused heartbeat now is not a lost lease. */
  finishing: boolean;
  /** Given back by stop(): whatever the handler does later must not touch the job. */
  released: boolean;
  settled: Promise<void>;
}

/**
 * Claims jobs and runs their handlers, `concurrency` at a time, until stopped.
 * One loop per worker: heartbeat, tick schedules, claim, sleep (a finishing job
 * wakes it early so the free slot is filled at once).
 *
 * @example
 * const worker = new Worker({ queue, handlers: { 'email.send': sendEmail } });
 * worker.start();
 * process.once('SIGTERM', () => worker.stop({ timeoutMs: 15_000 }));
 */
export class Worker {
  readonly workerId: string;
  readonly #queue: JobQueue;
  readonly #handlers: Record<string, JobHandler>;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #tickEveryMs: number;
  readonly #clock: () => number;
  readonly #onError: (error: unknown, job?: Job) => void;
  readonly #running = new Map<string, Running>();
  #phase: 'idle' | 'running' | 'draining' | 'stopped' = 'idle';
  #loop: Promise<void> = Promise.resolve();
  #stopping: Promise<{ released: number }> | undefined;
  #lastTick = Number.NEGATIVE_INFINITY;
  #released = 0;
  #woken = false;
  #wake: (() => void) | undefined;

  constructor(options: WorkerOptions) {
    this.#queue = options.queue;
    this.#handlers = options.handlers;
    this.#concurrency = positiveInteger('concurrency', options.concurrency ?? 4);
    this.#pollMs = positiveInteger('pollMs', options.pollMs ?? 1_000);
    this.#leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 30_000);
    this.#tickEveryMs = positiveInteger('tickEveryMs', options.tickEveryMs ?? 1_000);
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#clock = options.clock ?? options.queue.clock;
    this.#onError = options.onError ?? ((error) => console.error(`[wasl worker ${this.workerId}]`, error));
  }

  /** Jobs whose handlers are running now. */
  get active(): number {
    return this.#running.size;
  }

  start(): void {
    if (this.#phase !== 'idle') throw new Error('a worker can be started once');
    this.#phase = 'running';
    this.#loop = this.#runLoop();
  }

  /**
   * Stops claiming, fires every running handler's signal, waits up to
   * `timeoutMs` for the handlers, then releases the jobs still running so
   * another worker takes them without counting an attempt. Answers how many
   * jobs were given back (including those whose handlers gave up on the signal).
   */
  stop({ timeoutMs }: { timeoutMs: number }): Promise<{ released: number }> {
    this.#stopping ??= this.#drain(timeoutMs);
    return this.#stopping;
  }

  async #drain(timeoutMs: number): Promise<{ released: number }> {
    if (this.#phase === 'idle') {
      this.#phase = 'stopped';
      return { released: 0 };
    }
    this.#phase = 'draining';
    const stopping = new Error(`worker ${this.workerId} is stopping`);
    for (const run of this.#running.values()) run.controller.abort(stopping);
    this.#wakeUp();
    await settledWithin(
      [...this.#running.values()].map((run) => run.settled),
      timeoutMs,
    );
    this.#phase = 'stopped';
    this.#wakeUp();
    await this.#loop;
    for (const run of [...this.#running.values()]) {
      run.released = true;
      await this.#release(run.job);
    }
    return { released: this.#released };
  }

  async #runLoop(): Promise<void> {
    while (this.#phase !== 'stopped') {
      // Heartbeats go on while draining, so a slow handler keeps its lease until the timeout.
      await this.#heartbeat();
      let more = false;
      if (this.#phase === 'running') {
        await this.#tickIfDue();
        more = (await this.#safely(() => this.#fill())) ?? false;
      }
      // stop() wakes this sleep (or makes the next one return at once).
      // Wake often enough to renew leases at half-life even when no job ends.
      if (!more)
        await this.#sleep(this.#running.size > 0 ? Math.min(this.#pollMs, this.#leaseMs / 3) : this.#pollMs);
    }
  }

  /** Claims as many jobs as there are free slots; true when it got that many (more may wait). */
  async #fill(): Promise<boolean> {
    const free = this.#concurrency - this.#running.size;
    if (free <= 0) return false;
    const jobs = await this.#queue.claim(this.workerId, { limit: free, leaseMs: this.#leaseMs });
    for (const job of jobs) {
      if (this.#phase !== 'running') {
        // stop() began while the claim was in flight.
        await this.#release(job);
        continue;
      }
      const current = this.#running.get(job.id);
      // Our own lease lapsed (heartbeats failed) and we claimed the job again: the
      // handler already running keeps it; it now holds the fresh lease.
      if (current !== undefined) current.leaseUntil = leaseEnd(job);
      else this.#launch(job);
    }
    return jobs.length === free;
  }

  #launch(job: Job): void {
    const run: Running = {
      job,
      controller: new AbortController(),
      leaseUntil: leaseEnd(job),
      finishing: false,
      released: false,
      settled: Promise.resolve(),
    };
    this.#running.set(job.id, run);
    run.settled = this.#execute(run).finally(() => {
      this.#running.delete(job.id);
      this.#wakeUp();
    });
  }

  /** Runs the handler and records the outcome; never rejects. */
  async #execute(run: Running): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      await this.#invoke(run);
    } catch (error) {
      failure = { error };
    }
    if (run.released) return;
    run.finishing = true;
    const { job } = run;
    const stopped = run.controller.signal.aborted && this.#phase !== 'running';
    const applied = await this.#safely(() => {
      if (failure === undefined) return this.#queue.complete(job.id, this.workerId);
      // A handler that gave up because we asked it to did not fail.
      if (stopped) return this.#release(job);
      return this.#queue.fail(job.id, this.workerId, failure.error);
    }, job);
    if (applied === false) {
      this.#report(
        new Error(
          `job ${job.id} (${job.name}) ended after its lease passed to another worker: outcome dropped`,
        ),
        job,
      );
    }
  }

  async #invoke({ job, controller }: Running): Promise<void> {
    const handler = Object.hasOwn(this.#handlers, job.name) ? this.#handlers[job.name] : undefined;
    if (handler === undefined) {
      const known = Object.keys(this.#handlers).join(', ') || 'none';
      throw new Error(`no handler for job name "${job.name}" in this worker (it handles: ${known})`);
    }
    const payload: unknown = JSON.parse(job.payload);
    await handler(job, {
      attempt: job.attempts,
      payload,
      signal: controller.signal,
      workerId: this.workerId,
    });
  }

  /** Gives a job back untried; counted for stop()'s answer. */
  async #release(job: Job): Promise<boolean | undefined> {
    const released = await this.#safely(() => this.#queue.release(job.id, this.workerId), job);
    if (released === true) this.#released++;
    return released;
  }

  /** Renews, at half-life, the lease of every job still running; aborts a job whose lease was lost. */
  async #heartbeat(): Promise<void> {
    const now = this.#clock();
    for (const run of [...this.#running.values()]) {
      if (run.finishing || run.released || now < run.leaseUntil - this.#leaseMs / 2) continue;
      const kept = await this.#safely(() =>
        this.#queue.extendLease(run.job.id, this.workerId, this.#leaseMs),
      );
      if (kept === true) run.leaseUntil = now + this.#leaseMs;
      if (kept === false && !run.finishing && !run.released) {
        run.controller.abort(new Error(`lost the lease of job ${run.job.id}`));
        this.#report(
          new Error(`lost the lease of job ${run.job.id} (${run.job.name}); another worker may run it`),
        );
      }
    }
  }

  async #tickIfDue(): Promise<void> {
    const now = this.#clock();
    if (now - this.#lastTick < this.#tickEveryMs) return;
    this.#lastTick = now;
    await this.#safely(() => this.#queue.tickSchedules());
  }

  /** Database trouble must not kill the loop: report it, carry on, try again next round. */
  async #safely<T>(work: () => Promise<T>, job?: Job): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.#report(error, job);
      return undefined;
    }
  }

  #report(error: unknown, job?: Job): void {
    try {
      this.#onError(error, job);
    } catch {
      // A broken error reporter must not stop the worker.
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Ends the current sleep, or the next one if the loop is busy right now. */
  #wakeUp(): void {
    if (this.#wake !== undefined) this.#wake();
    else this.#woken = true;
  }
}

/**
 * When the lease the claim took ends, as the database recorded it: the clock may
 * have moved on between the claim and this process getting round to the job.
 */
function leaseEnd(job: Job): number {
  return job.locked_until ?? Number.NEGATIVE_INFINITY;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/** Resolves when every promise has settled or after `ms`, whichever comes first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
}
