import type { Migration } from '../migrate.ts';
import { foundation } from './0001_foundation.ts';

/** Every OLTP migration, in order. Append; never edit one that has shipped. */
export const OLTP_MIGRATIONS: readonly Migration[] = [foundation];
