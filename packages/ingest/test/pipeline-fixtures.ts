import { newId } from '@wasl/core';
import {
  type CollectSite,
  openGeoDatabase,
  type PipelineDeps,
  type RequestFacts,
  type SaltSource,
  saltPlan,
  VisitTracker,
} from '../src/index.ts';
import { UA } from './user-agent-strings.ts';

export const NOW = Date.UTC(2026, 2, 10, 9, 30);
export const MINUTE = 60_000;

export const SITE: CollectSite = {
  id: newId(NOW),
  workspaceId: newId(NOW),
  key: 'site_abcdefghijklmnop',
  domain: 'matjar.sa',
};
export const OTHER_SITE: CollectSite = {
  id: newId(NOW),
  workspaceId: SITE.workspaceId,
  key: 'site_qrstuvwxyzABCDEF',
  domain: 'blog.example.com',
};

export const geo = openGeoDatabase();

/**
 * Salts as the server keeps them: a real plan over stored salts, answered from
 * memory. `advance` moves to the next day, keeping today's salt as yesterday's.
 */
export function salts(start = NOW): SaltSource & { advance(now: number): void } {
  let plan = saltPlan([], start);
  return {
    window: () => ({
      use: plan.use.salt,
      windowStart: plan.windowStart,
      ...(plan.previous ? { previous: plan.previous.salt } : {}),
    }),
    advance(now) {
      // Today's salt (stored when it was created) becomes yesterday's.
      plan = saltPlan([plan.use, ...plan.keep.filter((s) => s.day !== plan.use.day)], now);
    },
  };
}

export function deps(): PipelineDeps & { salts: ReturnType<typeof salts> } {
  return { geo, salts: salts(), visits: new VisitTracker() };
}

export function request(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    ip: '8.8.8.8',
    userAgent: UA.chromeWindows,
    acceptLanguage: 'ar-SA,ar;q=0.9,en;q=0.8',
    receivedAt: NOW,
    ...overrides,
  };
}
