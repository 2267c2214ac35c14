import type { WaslEvent } from '@wasl/core';
import {
  DEFAULT_VISITOR_CAPACITY,
  type GeoDatabase,
  type IngestSink,
  openGeoDatabase,
  type PipelineDeps,
  VisitTracker,
} from '@wasl/ingest';
import type { Database } from '@wasl/store';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { FixedWindowLimiter } from './ingest-limits.ts';
import { SiteDirectory } from './site-directory.ts';
import { VisitorSalts } from './visitor-salts.ts';

export interface IngestLimits {
  /** Length of a counting window. */
  windowMs: number;
  /** Requests per client address (IPv6: per /64) per window, on every collection endpoint. */
  perIp: number;
  /** Events per site per window, tracker and Segment together. */
  perSite: number;
}

/**
 * 2,000 requests per address per 10 s (200/s) leave room for a carrier-grade
 * NAT or an office behind one address, and for a server-side Segment source;
 * 250,000 events per site per 10 s is above what one ingest process takes on
 * two cores, so it only bites when one site's flood would crowd out the others.
 */
export const DEFAULT_INGEST_LIMITS: IngestLimits = { windowMs: 10_000, perIp: 2_000, perSite: 250_000 };

/** What a process that collects events is given (`ServerDeps.ingest`). */
export interface IngestOptions {
  /** Where accepted events go: the ingest journal, or `bufferSink(EventBuffer)`. */
  sink: IngestSink;
  /** Default: DB-IP City Lite from the npm package (`openGeoDatabase()`). */
  geo?: GeoDatabase;
  limits?: Partial<IngestLimits>;
  /** How often site keys are reloaded for changes other processes made. Default 10 s. */
  siteRefreshMs?: number;
  /** Visitors whose open visit is remembered (see `VisitTracker`). */
  visitorCapacity?: number;
  /** Called with each set of events the sink took, after it took them (identity resolution, live segments). */
  accepted?: (events: readonly WaslEvent[]) => void;
}

/** The collection endpoints' state: site keys, salts, visits, limits and the sink. */
export interface Ingest {
  sink: IngestSink;
  accepted: ((events: readonly WaslEvent[]) => void) | undefined;
  sites: SiteDirectory;
  salts: VisitorSalts;
  pipeline: PipelineDeps;
  limits: { ip: FixedWindowLimiter; site: FixedWindowLimiter };
  /** Loads site keys and salts; the endpoints answer only after it resolved. */
  start(): Promise<void>;
  close(): void;
}

export function createIngest(
  db: Kysely<Database>,
  options: IngestOptions,
  clock: () => number,
  log: FastifyBaseLogger,
): Ingest {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
  const sites = new SiteDirectory(db, {
    refreshMs: options.siteRefreshMs ?? 10_000,
    onError: (error) =>
      log.error({ err: error }, 'reloading site keys failed; the previous ones stay in use'),
  });
  const salts = new VisitorSalts(db, {
    clock,
    onError: (error) => log.error({ err: error }, 'rotating visitor salts failed; will retry'),
  });
  return {
    sink: options.sink,
    accepted: options.accepted,
    sites,
    salts,
    pipeline: {
      geo: options.geo ?? openGeoDatabase(),
      salts,
      visits: new VisitTracker(options.visitorCapacity ?? DEFAULT_VISITOR_CAPACITY),
    },
    limits: {
      ip: new FixedWindowLimiter(limits.perIp, limits.windowMs),
      site: new FixedWindowLimiter(limits.perSite, limits.windowMs),
    },
    async start() {
      await Promise.all([sites.start(), salts.start()]);
    },
    close() {
      sites.close();
      salts.close();
    },
  };
}
