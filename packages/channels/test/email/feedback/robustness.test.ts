/**
 * Whatever arrives, the parsers answer with a Result and never throw: random
 * text and JSON, and real reports cut short or with lines dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseArf,
  parseDsn,
  parseMailgunWebhook,
  parsePostmarkWebhook,
  parseSendGridEvents,
  parseSesWebhook,
  parseSmtpReply,
} from '../../../src/email/feedback/index.ts';
import { fixture } from './helpers.ts';

const receivedAt = Date.UTC(2026, 10, 23);
const webhookParsers = [parseSesWebhook, parseSendGridEvents, parseMailgunWebhook, parsePostmarkWebhook];
const isResult = (r: { ok: boolean }) => typeof r.ok === 'boolean';

describe('parsers never throw', () => {
  it('webhook parsers, on any text and any JSON', () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
      // Shapes close to real ones, with fields of any type.
      fc
        .record({ Type: fc.constantFrom('Notification', 'SubscriptionConfirmation'), Message: fc.json() })
        .map((v) => JSON.stringify(v)),
      fc
        .array(
          fc.record({
            event: fc.constantFrom('bounce', 'click', 'open'),
            email: fc.anything(),
            timestamp: fc.anything(),
          }),
        )
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          'event-data': fc.record({ event: fc.constantFrom('failed', 'clicked'), severity: fc.anything() }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record({ RecordType: fc.constantFrom('Bounce', 'Open', 'SubscriptionChange'), Type: fc.string() })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        for (const parse of webhookParsers) {
          const result = parse({ body, receivedAt });
          if (!isResult(result)) return false;
          if (!result.ok && (result.error.code !== 'invalid' || result.error.field === undefined))
            return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('DSN and ARF parsers, on real reports cut short or with lines dropped', () => {
    const sources = [
      'postfix-user-unknown.eml',
      'exim-mixed.eml',
      'global-arabic.eml',
      'yahoo-abuse.eml',
    ].map(fixture);
    const damaged = fc.tuple(fc.constantFrom(...sources), fc.nat(), fc.nat()).map(([text, cut, drop]) => {
      const lines = text.slice(0, cut % (text.length + 1)).split('\n');
      lines.splice(drop % (lines.length + 1), 1);
      return lines.join('\n');
    });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string()), (raw) => {
        const dsn = parseDsn({ raw, receivedAt });
        const arf = parseArf({ raw, receivedAt });
        return isResult(dsn) && isResult(arf) && isResult(parseSmtpReply(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('a report damaged in a required field names it', () => {
    const noAction = fixture('postfix-user-unknown.eml').replace('Action: failed\n', '');
    expect(parseDsn({ raw: noAction, receivedAt })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'the block for no-such-user@example.net has no Action',
        field: 'Action',
      },
    });
  });
});
