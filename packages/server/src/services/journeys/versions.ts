import type { JourneyDefinition } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { getVersion } from './journeys.ts';

/** Published versions never change, so each is read once per process and kept. */
export class VersionCache {
  readonly #map = new Map<string, JourneyDefinition>();

  constructor(private readonly db: Kysely<Database>) {}

  async get(journeyId: string, version: number): Promise<JourneyDefinition | undefined> {
    const key = `${journeyId}:${version}`;
    const cached = this.#map.get(key);
    if (cached) return cached;
    const definition = await getVersion(this.db, journeyId, version);
    if (!definition) return undefined;
    // A few hundred journeys at most; a bound keeps a runaway from growing without end.
    if (this.#map.size > 5_000) this.#map.clear();
    this.#map.set(key, definition);
    return definition;
  }
}
