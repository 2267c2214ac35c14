import { err, ok, type Problem, problem, type Result } from '@wasl/core';
import {
  SEGMENT_SCHEMAS,
  SEGMENT_TYPES,
  type SegmentBatch,
  type SegmentMessage,
  type SegmentType,
} from './segment-message.ts';
import { zodProblem } from './zod-problem.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isSegmentType = (value: unknown): value is SegmentType =>
  typeof value === 'string' && (SEGMENT_TYPES as readonly string[]).includes(value);

/**
 * Message `index` of a `/v1/batch` body, validated on its own against its
 * call's schema, with the batch's `context` and `sentAt` applied (the
 * message's own win). Problems name the field as `batch[3].event`.
 */
export function parseSegmentBatchMessage(
  batch: SegmentBatch,
  index: number,
): Result<SegmentMessage, Problem> {
  const at = `batch[${index}]`;
  const raw = batch.batch[index];
  if (!isRecord(raw)) return err(problem('invalid', `${at} must be an object`, at));
  const type = raw.type;
  if (!isSegmentType(type)) {
    const message =
      type === undefined
        ? `${at}.type is required`
        : `${at}.type must be one of ${SEGMENT_TYPES.join(', ')}${type === 'screen' ? ' (screen calls are not accepted)' : ''}`;
    return err(problem('invalid', message, `${at}.type`));
  }
  const merged: Record<string, unknown> = { ...raw };
  if (batch.context !== undefined) {
    merged.context = isRecord(raw.context)
      ? { ...batch.context, ...raw.context }
      : (raw.context ?? batch.context);
  }
  if (raw.sentAt === undefined && batch.sentAt !== undefined) merged.sentAt = batch.sentAt;
  const parsed = SEGMENT_SCHEMAS[type].safeParse(merged);
  if (!parsed.success) return err(zodProblem(parsed.error, at, merged));
  return ok({ type, message: parsed.data } as SegmentMessage);
}
