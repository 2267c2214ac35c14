import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Histogram, header, sample } from './prometheus.ts';

export interface MetricsSources {
  /** Events accepted but not yet written to the events store. */
  eventsBuffered?: () => number;
  /** Jobs per state ('queued', 'running', 'done', 'dead'). */
  jobDepth?: () => Promise<Record<string, number>>;
  /** The ingest journal's counters (decision 0006). */
  ingestJournal?: () => {
    pendingBytes: number;
    segments: number;
    eventsWritten: number;
    eventsFlushed: number;
    refusedFull: number;
    flushFailures: number;
  };
}

/** Seconds; tuned for an API whose answers mostly take milliseconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * Request counters and durations by route template (`/api/workspaces/:ws`,
 * never the concrete URL, so label values stay few), plus gauges read from
 * the worker and the event buffer when the scrape happens.
 */
export class HttpMetrics {
  private readonly requests = new Map<string, { labels: Record<string, string>; n: number }>();
  private readonly durations = new Map<string, { labels: Record<string, string>; h: Histogram }>();

  constructor(private readonly sources: MetricsSources) {}

  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const reqKey = `${method} ${route} ${status}`;
    const counter = this.requests.get(reqKey) ?? { labels: { method, route, status: String(status) }, n: 0 };
    counter.n += 1;
    this.requests.set(reqKey, counter);
    const durKey = `${method} ${route}`;
    const histogram = this.durations.get(durKey) ?? { labels: { method, route }, h: new Histogram(BUCKETS) };
    histogram.h.observe(seconds);
    this.durations.set(durKey, histogram);
  }

  async render(log: FastifyBaseLogger): Promise<string> {
    const lines = [
      ...header('http_requests_total', 'counter', 'HTTP requests answered, by method, route and status.'),
      ...[...this.requests.values()].map((c) => sample('http_requests_total', c.labels, c.n)),
      ...header(
        'http_request_duration_seconds',
        'histogram',
        'Time to answer HTTP requests, by method and route.',
      ),
      ...[...this.durations.values()].flatMap((d) => d.h.lines('http_request_duration_seconds', d.labels)),
    ];
    if (this.sources.jobDepth) {
      lines.push(...header('wasl_jobs', 'gauge', 'Jobs in the queue table, by state.'));
      try {
        const depth = await this.sources.jobDepth();
        for (const [state, n] of Object.entries(depth)) lines.push(sample('wasl_jobs', { state }, n));
      } catch (error) {
        // A scrape must not fail because one source did: the other series are still worth having.
        log.warn({ err: error }, 'metrics: reading job depth failed');
      }
    }
    if (this.sources.eventsBuffered) {
      lines.push(...header('wasl_events_buffered', 'gauge', 'Events accepted and not yet stored.'));
      lines.push(sample('wasl_events_buffered', {}, this.sources.eventsBuffered()));
    }
    if (this.sources.ingestJournal) {
      const j = this.sources.ingestJournal();
      const series: [string, 'gauge' | 'counter', string, number][] = [
        [
          'wasl_ingest_journal_pending_bytes',
          'gauge',
          'Journal bytes not yet in the events store.',
          j.pendingBytes,
        ],
        ['wasl_ingest_journal_segments', 'gauge', 'Journal segment files on disk.', j.segments],
        [
          'wasl_ingest_events_written_total',
          'counter',
          'Events made durable and acknowledged.',
          j.eventsWritten,
        ],
        [
          'wasl_ingest_events_flushed_total',
          'counter',
          'Events moved from the journal to the events store.',
          j.eventsFlushed,
        ],
        [
          'wasl_ingest_refused_full_total',
          'counter',
          'Collect requests refused (503) because the journal was full.',
          j.refusedFull,
        ],
        [
          'wasl_ingest_flush_failures_total',
          'counter',
          'Failed events-store appends (each retried).',
          j.flushFailures,
        ],
      ];
      for (const [name, type, help, value] of series)
        lines.push(...header(name, type, help), sample(name, {}, value));
    }
    return `${lines.join('\n')}\n`;
  }
}
