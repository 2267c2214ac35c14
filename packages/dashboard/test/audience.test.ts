import { describe, expect, it } from 'vitest';
import type { AttributeDefinition, Contact } from '../src/audience/api.ts';
import { parseOptions, withOptions } from '../src/audience/attributeForm.ts';
import {
  attributeValue,
  createBody,
  displayName,
  formValuesOf,
  lacksEmailAndPhone,
  parseInterests,
  patchBody,
} from '../src/audience/contactForm.ts';
import {
  completeMapping,
  delimiterName,
  formatBytes,
  isKnownTarget,
  mapsEmailOrPhone,
  progressOf,
  sampleValue,
  withTarget,
} from '../src/audience/importState.ts';
import { ar } from '../src/audience/messages/ar.ts';
import { en } from '../src/audience/messages/en.ts';
import { audiencePlural, audienceText } from '../src/audience/messages/index.ts';
import { INTL_TAG } from '../src/i18n/locales.ts';

const DEFS: AttributeDefinition[] = [
  { key: 'tier', label: 'المستوى', type: 'list', options: ['ذهبي', 'فضي'] },
  { key: 'orders', label: 'الطلبات', type: 'number' },
  { key: 'vip', label: 'مميز', type: 'boolean' },
  { key: 'last_order', label: 'آخر طلب', type: 'date' },
];

const CONTACT: Contact = {
  id: 'c1',
  email: 'sara@example.com',
  phone: '+966501234567',
  firstName: 'سارة',
  lastName: 'القحطاني',
  locale: null,
  timezone: null,
  country: 'SA',
  city: 'الرياض',
  birthDate: null,
  gender: null,
  incomeBand: null,
  interests: ['ورد', 'هدايا'],
  source: null,
  lifecycleStage: 'lead',
  accountId: null,
  leadScore: 0,
  attributes: { tier: 'ذهبي', orders: 3, vip: true },
  createdAt: '2026-01-10T08:00:00.000Z',
  updatedAt: '2026-01-10T08:00:00.000Z',
};

describe('audience catalogue', () => {
  it('has the same keys in both languages and Arabic plurals with all six forms', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      const arabic = ar[key];
      expect(typeof en[key], key).toBe(typeof arabic);
      if (typeof arabic === 'object') {
        expect(Object.keys(arabic).sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
      }
    }
  });

  it('counts contacts with the Arabic plural forms and Arabic-Indic digits', () => {
    const counts = [0, 1, 2, 3, 11, 100].map((n) => audiencePlural('ar', 'contacts.count', n));
    expect(counts).toEqual([
      'لا توجد جهات اتصال',
      '١ جهة اتصال',
      'جهتا اتصال',
      '٣ جهات اتصال',
      '١١ جهة اتصال',
      '١٠٠ جهة اتصال',
    ]);
    expect([0, 1, 2, 1200].map((n) => audiencePlural('en', 'contacts.count', n))).toEqual([
      'No contacts',
      '1 contact',
      '2 contacts',
      '1,200 contacts',
    ]);
  });

  it('counts import errors in both languages', () => {
    expect([1, 2, 5].map((n) => audiencePlural('ar', 'progress.errors', n))).toEqual([
      'خطأ واحد',
      'خطآن',
      '٥ أخطاء',
    ]);
    expect([1, 2].map((n) => audiencePlural('en', 'progress.errors', n))).toEqual(['1 error', '2 errors']);
    expect(audienceText('ar', 'recent.result', { added: 12, updated: 0 })).toBe('أُضيفت ١٢ · حُدّثت ٠');
  });
});

describe('contact form', () => {
  it('starts empty for a new contact and from the stored values for an edit', () => {
    const blank = formValuesOf(null, DEFS);
    expect(blank.fields.firstName).toBe('');
    expect(blank.attributes).toEqual({ tier: '', orders: '', vip: '', last_order: '' });
    const edit = formValuesOf(CONTACT, DEFS);
    expect(edit.fields.phone).toBe('+966501234567');
    expect(edit.fields.lifecycleStage).toBe('lead');
    expect(edit.interests).toBe('ورد, هدايا');
    expect(edit.attributes).toEqual({ tier: 'ذهبي', orders: '3', vip: 'true', last_order: '' });
  });

  it('types attribute values: numbers, booleans, empty as null, a bad number as typed', () => {
    const [, orders, vip, lastOrder] = DEFS as [
      AttributeDefinition,
      AttributeDefinition,
      AttributeDefinition,
      AttributeDefinition,
    ];
    expect(attributeValue(orders, ' 12.5 ')).toBe(12.5);
    expect(attributeValue(orders, 'twelve')).toBe('twelve');
    expect(attributeValue(orders, '')).toBeNull();
    expect(attributeValue(vip, 'false')).toBe(false);
    expect(attributeValue(vip, 'true')).toBe(true);
    expect(attributeValue(lastOrder, '2026-02-01')).toBe('2026-02-01');
  });

  it('sends only what was filled in when adding', () => {
    const values = formValuesOf(null, DEFS);
    values.fields.firstName = ' نورة ';
    values.fields.phone = '0501234567';
    values.interests = 'عطور، ورد,';
    values.attributes.vip = 'false';
    expect(createBody(values, DEFS)).toEqual({
      firstName: 'نورة',
      phone: '0501234567',
      interests: ['عطور', 'ورد'],
      attributes: { vip: false },
    });
  });

  it('patches only the changed fields, null for cleared ones, and nothing when unchanged', () => {
    const values = formValuesOf(CONTACT, DEFS);
    expect(patchBody(CONTACT, values, DEFS)).toEqual({});
    values.fields.city = 'جدة';
    values.fields.lastName = '';
    values.attributes.orders = '4';
    values.attributes.tier = '';
    values.interests = 'ورد, هدايا';
    expect(patchBody(CONTACT, values, DEFS)).toEqual({
      city: 'جدة',
      lastName: null,
      attributes: { orders: 4, tier: null },
    });
    values.interests = 'ورد';
    expect(patchBody(CONTACT, values, DEFS).interests).toEqual(['ورد']);
  });

  it('reads interests split by Latin or Arabic commas and names a contact', () => {
    expect(parseInterests(' a ،b,, c ')).toEqual(['a', 'b', 'c']);
    expect(displayName(CONTACT)).toBe('سارة القحطاني');
    expect(displayName({ firstName: null, lastName: ' ' })).toBeNull();
    const values = formValuesOf(null, DEFS);
    expect(lacksEmailAndPhone(values)).toBe(true);
    values.fields.email = 'a@b.sa';
    expect(lacksEmailAndPhone(values)).toBe(false);
  });
});

describe('import mapping', () => {
  it('completes the suggested mapping: unknown targets and missing headers become ignore', () => {
    expect(
      completeMapping(
        ['Email', 'الجوال', 'Tier', 'Notes'],
        { Email: 'email', الجوال: 'phone', Tier: 'attributes.gone' },
        DEFS,
      ),
    ).toEqual({ Email: 'email', الجوال: 'phone', Tier: 'ignore', Notes: 'ignore' });
    expect(isKnownTarget('attributes.tier', DEFS)).toBe(true);
    expect(isKnownTarget('first_name', DEFS)).toBe(true);
    expect(isKnownTarget('attributes.gone', DEFS)).toBe(false);
  });

  it('moves a field to the column last given it, the other column back to ignore', () => {
    const start = { A: 'email', B: 'ignore', C: 'ignore' };
    const moved = withTarget(start, 'B', 'email');
    expect(moved).toEqual({ A: 'ignore', B: 'email', C: 'ignore' });
    expect(withTarget(moved, 'C', 'ignore')).toEqual(moved);
    expect(withTarget({ A: 'ignore', B: 'ignore' }, 'A', 'ignore')).toEqual({ A: 'ignore', B: 'ignore' });
    expect(mapsEmailOrPhone(moved)).toBe(true);
    expect(mapsEmailOrPhone({ A: 'first_name' })).toBe(false);
    expect(mapsEmailOrPhone({ A: 'phone' })).toBe(true);
  });

  it('reads sample values by mapping target', () => {
    const contact = { firstName: 'سارة', interests: ['ورد', 'هدايا'], attributes: { orders: 3, vip: false } };
    expect(sampleValue(contact, 'first_name')).toBe('سارة');
    expect(sampleValue(contact, 'interests')).toBe('ورد, هدايا');
    expect(sampleValue(contact, 'attributes.orders')).toBe('3');
    expect(sampleValue(contact, 'attributes.vip')).toBe('false');
    expect(sampleValue(contact, 'email')).toBe('');
    expect(sampleValue(contact, 'ignore')).toBe('');
  });
});

describe('import progress', () => {
  it('is the share of bytes read, 1 once done, unknown without a size', () => {
    expect(progressOf({ status: 'running', bytesRead: 250, bytesTotal: 1000 })).toBe(0.25);
    expect(progressOf({ status: 'running', bytesRead: 1200, bytesTotal: 1000 })).toBe(1);
    expect(progressOf({ status: 'done', bytesRead: 0, bytesTotal: null })).toBe(1);
    expect(progressOf({ status: 'running', bytesRead: 10, bytesTotal: null })).toBeNull();
    expect(progressOf({ status: 'cancelled', bytesRead: 500, bytesTotal: 1000 })).toBe(0.5);
  });

  it('names delimiters and sizes in the locale', () => {
    expect([',', ';', '\t', '|', ':'].map(delimiterName)).toEqual([
      'comma',
      'semicolon',
      'tab',
      'pipe',
      null,
    ]);
    expect(formatBytes(INTL_TAG.en, 900)).toBe('900 byte');
    expect(formatBytes(INTL_TAG.en, 12_300)).toBe('12 kB');
    expect(formatBytes(INTL_TAG.en, 3_400_000)).toBe('3.4 MB');
    expect(formatBytes(INTL_TAG.ar, 3_400_000)).toContain('٣٫٤');
  });
});

describe('attribute options', () => {
  it('reads one option per line and appends only new ones', () => {
    expect(parseOptions(' ذهبي \n\nفضي\r\nذهبي\n')).toEqual(['ذهبي', 'فضي']);
    expect(withOptions(['ذهبي', 'فضي'], ['برونزي', 'فضي'])).toEqual(['ذهبي', 'فضي', 'برونزي']);
  });
});
