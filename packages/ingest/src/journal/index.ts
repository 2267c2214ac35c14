export { type Journal, type JournalOptions, openJournal } from './journal.ts';
export { JournalLockedError } from './lock.ts';
export type { JournalRefusal } from './refusal.ts';
export type { SegmentDamage } from './segment-file.ts';
export type { JournalStats } from './stats.ts';
export {
  type EventsAppender,
  type JournalWriter,
  type JournalWriterOptions,
  startJournalWriter,
} from './writer.ts';
