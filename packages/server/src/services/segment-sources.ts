import type { SegmentDefinition } from '@wasl/core';
import type { Database, SegmentSources } from '@wasl/store';
import type { Kysely } from 'kysely';
import { listAttributeDefinitions } from './attribute-definitions.ts';
import { getSegment } from './segments.ts';

/** What the segment compiler learns from the OLTP store: custom attributes and referenced segments. */
export const segmentSources = (db: Kysely<Database>, now?: () => Date): SegmentSources => ({
  attributeDefs: (workspaceId) => listAttributeDefinitions(db, workspaceId),
  async segment(workspaceId, id) {
    const row = await getSegment(db, workspaceId, id);
    return row ? (JSON.parse(row.definition) as SegmentDefinition) : undefined;
  },
  ...(now ? { now } : {}),
});
