import { err, ok, type Problem, problem, type Result } from '@wasl/core';

/** A corrected time up to this far ahead of the server's clock is clamped to it; further ahead is refused. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60_000;
/** A corrected time further back than this is refused (a replay or a broken clock, not a late beacon). */
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60_000;

export interface EventTimeInput {
  /** When the server received the request; the authoritative clock. */
  receivedAt: number;
  /** When the event happened by the sender's clock (Segment `timestamp`/`originalTimestamp`, tracker `ts`). */
  happenedAt?: number;
  /** When the sender sent it, by the same clock (Segment `sentAt`; the tracker sends at once, so its `ts`). */
  sentAt?: number;
  /** The field `happenedAt` came from, named in the refusal. */
  field: string;
}

/**
 * When an event happened, by the server's clock. The sender's clock is only
 * trusted for differences (Segment's clock-skew correction):
 *
 * - with `happenedAt` and `sentAt`: `receivedAt − (sentAt − happenedAt)`, the
 *   sender's delay moved onto the server's clock, whatever the sender's clock
 *   says the date is. The tracker sends every payload as it happens (`ts` is
 *   both), so its events get `receivedAt`;
 * - with `happenedAt` alone (a server-side source naming the time): as given;
 * - with neither: `receivedAt`.
 *
 * The result is then checked: later than `receivedAt` by up to 24 hours is
 * clamped to `receivedAt` (an event cannot come from the future; small skews
 * are common); later than that, or more than 30 days before `receivedAt`, is
 * refused with a reason naming the field.
 *
 * @example eventTime({ receivedAt: t, happenedAt: c - 5000, sentAt: c, field: 'timestamp' }) // ok(t - 5000), whatever c is
 */
export function eventTime(input: EventTimeInput): Result<number, Problem> {
  const { receivedAt, happenedAt, sentAt } = input;
  const at =
    happenedAt === undefined
      ? receivedAt
      : sentAt === undefined
        ? happenedAt
        : receivedAt - (sentAt - happenedAt);
  if (at > receivedAt + MAX_FUTURE_SKEW_MS) {
    return err(
      problem('invalid', `${input.field} is more than 24 hours ahead of the server's clock`, input.field),
    );
  }
  if (at < receivedAt - MAX_EVENT_AGE_MS) {
    return err(problem('invalid', `${input.field} is more than 30 days in the past`, input.field));
  }
  return ok(Math.min(at, receivedAt));
}
