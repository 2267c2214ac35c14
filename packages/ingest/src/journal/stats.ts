/** Counters for /metrics. Counts start at zero when the journal is opened. */
export interface JournalStats {
  /** Bytes accepted and not yet in the events store: segment files plus records waiting for a sync. */
  pendingBytes: number;
  maxPendingBytes: number;
  /** Segment files on disk: sealed ones waiting for the writer, plus the one being written. */
  segments: number;
  /** Records (one per `append` call) made durable and acknowledged, and the events in them. */
  recordsWritten: number;
  eventsWritten: number;
  /** fdatasync calls that acknowledged records; each covers every record written before it. */
  syncs: number;
  /** `append` calls refused because the journal was full. */
  refusedFull: number;
  /** What the writer put into the events store, including segments replayed from an earlier process. */
  recordsFlushed: number;
  eventsFlushed: number;
  segmentsFlushed: number;
  /** Parts of segments that could not be replayed (a torn tail after a crash), and their bytes. */
  damagedParts: number;
  damagedBytes: number;
  /** Failed store appends since opening; the writer retries each. */
  flushFailures: number;
  /** The latest failed store append, cleared by the next one that succeeds. */
  lastFlushError: { message: string; at: Date } | null;
}
