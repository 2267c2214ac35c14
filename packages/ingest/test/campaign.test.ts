import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLICK_ID_MAX_LENGTH, extractCampaign, UTM_MAX_LENGTH } from '../src/index.ts';

const PAGE = 'https://matjar.sa/ar/offers';

describe('extractCampaign', () => {
  it('decodes a percent-encoded Arabic utm_campaign', () => {
    const url = `${PAGE}?utm_campaign=%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA`;
    expect(extractCampaign(url)).toEqual({ utm: { campaign: 'تخفيضات' } });
  });

  it('reads all five UTM parameters and a click id', () => {
    const url =
      `${PAGE}?utm_source=google&utm_medium=cpc&utm_campaign=ramadan_2026&utm_term=%D8%B9%D8%B7%D9%88%D8%B1` +
      '&utm_content=banner-a&gclid=Cj0KCQjw';
    expect(extractCampaign(url)).toEqual({
      utm: { source: 'google', medium: 'cpc', campaign: 'ramadan_2026', term: 'عطور', content: 'banner-a' },
      clickId: { name: 'gclid', value: 'Cj0KCQjw' },
    });
  });

  it('accepts Arabic typed straight into the URL', () => {
    expect(extractCampaign(`${PAGE}?utm_campaign=عروض الصيف`).utm).toEqual({ campaign: 'عروض الصيف' });
  });

  it('decodes + as a space and trims', () => {
    expect(extractCampaign(`${PAGE}?utm_campaign=+summer+sale+`).utm).toEqual({ campaign: 'summer sale' });
  });

  it('undoes one extra round of encoding', () => {
    expect(extractCampaign(`${PAGE}?utm_campaign=%25D8%25AA%25D8%25AE`).utm).toEqual({ campaign: 'تخ' });
  });

  it('leaves a literal percent sign alone', () => {
    expect(extractCampaign(`${PAGE}?utm_campaign=50%25off`).utm).toEqual({ campaign: '50%off' });
  });

  it('falls back to Windows-1256 when the bytes are not UTF-8', () => {
    expect(extractCampaign(`${PAGE}?utm_source=%C7%E1%DA%D1%C8%ED%C9`).utm).toEqual({ source: 'العربية' });
  });

  it('normalises Arabic to NFC so one name groups as one value', () => {
    // ALEF + MADDA ABOVE (decomposed) is ALEF WITH MADDA ABOVE (U+0622) once composed.
    expect(extractCampaign(`${PAGE}?utm_campaign=%D8%A7%D9%93`).utm).toEqual({ campaign: '\u0622' });
  });

  it('drops control characters', () => {
    expect(extractCampaign(`${PAGE}?utm_campaign=a%00b%0Ac`).utm).toEqual({ campaign: 'abc' });
  });

  it('bounds values without splitting a surrogate pair', () => {
    const long = `${'ا'.repeat(UTM_MAX_LENGTH - 1)}😀`;
    const campaign = extractCampaign(`${PAGE}?utm_campaign=${encodeURIComponent(long)}`).utm?.campaign;
    expect(campaign).toBe('ا'.repeat(UTM_MAX_LENGTH - 1));
    const id = extractCampaign(`${PAGE}?gclid=${'x'.repeat(1000)}`).clickId;
    expect(id?.value).toHaveLength(CLICK_ID_MAX_LENGTH);
  });

  it('matches names case-insensitively; the first non-empty value wins', () => {
    expect(extractCampaign(`${PAGE}?UTM_Source=&utm_source=Snap&utm_source=other`).utm).toEqual({
      source: 'Snap',
    });
  });

  it('prefers a paid click id over fbclid', () => {
    expect(extractCampaign(`${PAGE}?fbclid=IwAR&gclid=Cj0`).clickId).toEqual({ name: 'gclid', value: 'Cj0' });
    expect(extractCampaign(`${PAGE}?fbclid=IwAR`).clickId).toEqual({ name: 'fbclid', value: 'IwAR' });
    expect(extractCampaign(`${PAGE}?ScCid=abc`).clickId).toEqual({ name: 'sccid', value: 'abc' });
  });

  it('reads a query inside the fragment of a hash-routed app', () => {
    expect(extractCampaign('https://matjar.sa/#/offers?utm_source=tiktok').utm).toEqual({ source: 'tiktok' });
  });

  it('accepts relative URLs and bare query strings', () => {
    expect(extractCampaign('/ar?utm_medium=email').utm).toEqual({ medium: 'email' });
    expect(extractCampaign('?utm_medium=email').utm).toEqual({ medium: 'email' });
  });

  it('gives nothing for URLs without campaign parameters', () => {
    expect(extractCampaign(PAGE)).toEqual({});
    expect(extractCampaign(`${PAGE}?q=1&utm_unknown=x`)).toEqual({});
    expect(extractCampaign(undefined)).toEqual({});
    expect(extractCampaign('http://[bad')).toEqual({});
  });

  it('never throws and always stays inside the bounds', () => {
    const bounded = (value: string, max: number) =>
      value !== '' && value === value.trim() && value.length <= max;
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ maxLength: 300 }),
        (raw, value) =>
          [`${PAGE}?utm_campaign=${raw}&gclid=${raw}`, `${PAGE}?utm_term=${encodeURIComponent(value)}`].every(
            (url) => {
              const { utm, clickId } = extractCampaign(url);
              return (
                Object.values(utm ?? {}).every((v) => bounded(v, UTM_MAX_LENGTH)) &&
                (clickId === undefined || bounded(clickId.value, CLICK_ID_MAX_LENGTH))
              );
            },
          ),
      ),
    );
  });

  it('round-trips any value the tracker encodes with encodeURIComponent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }), (value) => {
        const expected = value
          .normalize('NFC')
          .replace(/\p{Cc}/gu, '')
          .trim();
        fc.pre(expected !== '' && !/%[0-9a-f]{2}/i.test(expected));
        expect(extractCampaign(`${PAGE}?utm_content=${encodeURIComponent(value)}`).utm?.content).toBe(
          expected,
        );
      }),
    );
  });
});
