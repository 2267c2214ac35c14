import type { Migration } from '../migrate.ts';
import { foundation } from './0001_foundation.ts';
import { sites } from './0002_sites.ts';

/** Every OLTP migration, in order. Append; never edit one that has shipped. */
export const OLTP_MIGRATIONS: readonly Migration[] = [foundation, sites];
