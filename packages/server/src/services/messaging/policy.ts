/**
 * A workspace's sending policy: how many marketing messages one person may
 * get per channel and period (frequency cap), and the quiet hours per channel.
 * Kept as JSON in the settings table under `messaging:<workspace id>`;
 * anything not set there takes the defaults below.
 */
import { err, ok, parseClockTime, problem, type Result } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { z } from 'zod';

export interface SendingPolicy {
  /** At most `count` marketing messages per contact and channel in `periodMs`. */
  frequencyCap: { count: number; periodMs: number };
  /** Minutes after midnight per channel; a channel not listed has no quiet hours. */
  quietHours: Partial<Record<string, { start: number; end: number }>>;
  /** Signup forms ask for email confirmation (double opt-in) before consent counts. */
  doubleOptIn: boolean;
}

const DAY = 86_400_000;
export const DEFAULT_POLICY: SendingPolicy = {
  frequencyCap: { count: 3, periodMs: 7 * DAY },
  // 21:00–08:00 for the channels that buzz a phone; email waits only when a workspace says so.
  quietHours: { sms: { start: 21 * 60, end: 8 * 60 }, whatsapp: { start: 21 * 60, end: 8 * 60 } },
  doubleOptIn: false,
};

const Stored = z.strictObject({
  frequencyCap: z
    .strictObject({ count: z.int().min(1).max(1000), periodDays: z.number().positive().max(365) })
    .optional(),
  quietHours: z
    .record(z.string(), z.union([z.null(), z.strictObject({ start: z.string(), end: z.string() })]))
    .optional(),
  doubleOptIn: z.boolean().optional(),
});
export type StoredPolicy = z.input<typeof Stored>;
export { Stored as StoredPolicySchema };

export const policyKey = (workspaceId: string) => `messaging:${workspaceId}`;

/** The stored JSON over the defaults; a bad value is a problem naming its field. */
export function policyFrom(json: string | undefined): Result<SendingPolicy> {
  if (json === undefined) return ok(DEFAULT_POLICY);
  const parsed = Stored.safeParse(JSON.parse(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path ?? []).map(String).join('.');
    return err(problem('invalid', `${field}: ${issue?.message ?? 'invalid'}`, field));
  }
  const policy: SendingPolicy = {
    frequencyCap: parsed.data.frequencyCap
      ? { count: parsed.data.frequencyCap.count, periodMs: parsed.data.frequencyCap.periodDays * DAY }
      : DEFAULT_POLICY.frequencyCap,
    quietHours: { ...DEFAULT_POLICY.quietHours },
    doubleOptIn: parsed.data.doubleOptIn ?? DEFAULT_POLICY.doubleOptIn,
  };
  for (const [channel, window] of Object.entries(parsed.data.quietHours ?? {})) {
    if (window === null) {
      delete policy.quietHours[channel];
      continue;
    }
    const start = parseClockTime(window.start, `quietHours.${channel}.start`);
    if (!start.ok) return start;
    const end = parseClockTime(window.end, `quietHours.${channel}.end`);
    if (!end.ok) return end;
    policy.quietHours[channel] = { start: start.value, end: end.value };
  }
  return ok(policy);
}

export async function loadPolicy(db: Kysely<Database>, workspaceId: string): Promise<Result<SendingPolicy>> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', policyKey(workspaceId))
    .executeTakeFirst();
  return policyFrom(row?.value);
}

/** Stores a workspace's policy (checked first). */
export async function savePolicy(
  db: Kysely<Database>,
  workspaceId: string,
  stored: StoredPolicy,
  now: number,
): Promise<Result<SendingPolicy>> {
  const value = JSON.stringify(stored);
  const policy = policyFrom(value);
  if (!policy.ok) return policy;
  await db
    .insertInto('settings')
    .values({ key: policyKey(workspaceId), value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
  return policy;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The effective policy in the shape it is written in (days, HH:MM), for people and the API. */
export function describePolicy(policy: SendingPolicy) {
  return {
    frequencyCap: { count: policy.frequencyCap.count, periodDays: policy.frequencyCap.periodMs / DAY },
    quietHours: Object.fromEntries(
      Object.entries(policy.quietHours).flatMap(([channel, w]) =>
        w ? [[channel, { start: hhmm(w.start), end: hhmm(w.end) }]] : [],
      ),
    ) as Record<string, { start: string; end: string }>,
    doubleOptIn: policy.doubleOptIn,
  };
}
