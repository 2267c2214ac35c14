import { EVENT_TYPES, type WaslEvent, WaslEventSchema } from '@wasl/core';
import fc from 'fast-check';

const ARABIC = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩،؟'];

/** Any text, Arabic-heavy half of the time; never U+0000, which the store drops by design. */
const text = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', maxLength }),
      fc.string({ unit: fc.constantFrom(...ARABIC, ' ', '-', 'a', '👋🏽'), maxLength }),
    )
    .map((s) => s.replaceAll('\u0000', ''));

/** What a JSON body can carry once parsed: -0 and U+0000 excluded as above. */
const json = fc
  .jsonValue({ stringUnit: 'grapheme', maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
  .filter((v) => !JSON.stringify(v).includes('\\u0000'));

const context = fc.record(
  {
    url: text(40),
    path: text(40),
    title: text(40),
    referrer: text(40),
    utm: fc.record(
      { source: text(20), medium: text(20), campaign: text(20), term: text(20), content: text(20) },
      { requiredKeys: [] },
    ),
    clickId: text(20),
    locale: fc.constantFrom('ar', 'ar-SA', 'en', 'en-GB'),
    userAgent: text(40),
    device: fc.record(
      { type: text(8), browser: text(16), os: text(16), screen: text(8) },
      { requiredKeys: [] },
    ),
    geo: fc.record(
      { country: fc.constantFrom('SA', 'EG', 'AE', 'MA'), region: text(16), city: text(30) },
      {
        requiredKeys: [],
      },
    ),
    source: text(20),
    medium: text(20),
    sessionId: text(16),
    bot: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Realistic times; the store's limits (years 1–9999) have their own test.
const time = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

/** A valid WaslEvent (checked against the schema) for workspace `workspaceId`; ids are made unique by the caller. */
export const waslEvent = (workspaceId: string): fc.Arbitrary<WaslEvent> =>
  fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 16 }),
      workspaceId: fc.constant(workspaceId),
      type: fc.constantFrom(...EVENT_TYPES),
      name: text(60),
      anonymousId: fc.option(text(40), { nil: null }),
      contactId: fc.option(text(40), { nil: null }),
      occurredAt: time,
      receivedAt: time,
      properties: fc.dictionary(text(12), json, { maxKeys: 6 }),
      context,
    })
    .filter((e) => WaslEventSchema.safeParse(e).success);
