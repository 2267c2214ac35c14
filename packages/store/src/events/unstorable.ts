import type { WaslEvent } from '@wasl/core';
import { toRow } from './row.ts';

/**
 * Why no engine could store this event (a time outside years 1–9999, or
 * properties that are not JSON such as a BigInt), or undefined when it can be
 * stored. Check before accepting an event: one that fails here would fail its
 * whole batch on every retry.
 */
export function unstorableReason(event: WaslEvent): string | undefined {
  try {
    toRow(event);
    return undefined;
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) return error.message;
    throw error;
  }
}
