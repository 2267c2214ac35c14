import { describe, expect, it } from 'vitest';
import { openGeoDatabase } from '../src/index.ts';

// One database for the file (both files take 134 MB). The first test sees it unread.
const geo = openGeoDatabase();

describe('openGeoDatabase', () => {
  it('reads nothing until an address of a family is looked up, and never for private ones', () => {
    const fresh = geo;
    expect(fresh.loaded()).toEqual({ ipv4: false, ipv6: false });
    for (const ip of ['127.0.0.1', '10.0.0.1', '192.168.1.10', '::1', 'fe80::1', 'not an ip'])
      fresh.lookup(ip);
    expect(fresh.loaded()).toEqual({ ipv4: false, ipv6: false });
    expect(fresh.lookup('8.8.8.8').country).toBe('US');
    expect(fresh.loaded()).toEqual({ ipv4: true, ipv6: false });
    expect(fresh.lookup('::ffff:1.1.1.1').country).toMatch(/^[A-Z]{2}$/);
    expect(fresh.loaded()).toEqual({ ipv4: true, ipv6: false });
    expect(fresh.lookup('2003::1').country).toBe('DE');
    expect(fresh.loaded()).toEqual({ ipv4: true, ipv6: true });
  });

  it.each([
    ['8.8.8.8', 'US'], // Google Public DNS
    ['9.9.9.9', 'US'], // Quad9 (IBM allocation)
    ['212.71.32.1', 'SA'], // Saudi Telecom
    ['94.200.0.1', 'AE'], // Etisalat
    ['::ffff:8.8.8.8', 'US'], // IPv4-mapped
    ['0:0:0:0:0:ffff:808:808', 'US'], // IPv4-mapped, hex and uncompressed
    ['[::ffff:8.8.8.8]', 'US'], // bracketed, as in a Host header
    ['2003::1', 'DE'], // Deutsche Telekom
    ['2601::1', 'US'], // Comcast
    ['2001:16a0::1', 'SA'], // Saudi Telecom
  ])('%s is in %s', (ip, country) => {
    expect(geo.lookup(ip).country).toBe(country);
  });

  it('gives country, region and city', () => {
    const location = geo.lookup('8.8.8.8');
    expect(location).toEqual({ country: 'US', region: expect.any(String), city: expect.any(String) });
  });

  it('has a country for 1.1.1.1 and for Google DNS over IPv6', () => {
    // DB-IP places Cloudflare's anycast 1.1.1.1 in AU and Google's 2001:4860:4860::8888 in CA
    // (Montreal) at the time of writing; anycast addresses move, so only "has a country" is stable.
    expect(geo.lookup('1.1.1.1').country).toMatch(/^[A-Z]{2}$/);
    expect(geo.lookup('2001:4860:4860::8888').country).toMatch(/^[A-Z]{2}$/);
  });

  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.1.1',
    '0.0.0.0',
    '255.255.255.255',
    '203.0.113.7',
    '::1',
    '::',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    'fd12:3456::1',
    'fe80::1%eth0',
    '2001:db8::1',
    'ff02::1',
    '',
    'localhost',
    '8.8.8',
    '1.2.3.4.5',
  ])('%s locates nobody', (ip) => {
    expect(geo.lookup(ip)).toEqual({});
  });

  it('hands out copies: changing one does not change the next answer', () => {
    const first = geo.lookup('212.71.32.1');
    first.country = 'XX';
    expect(geo.lookup('212.71.32.1').country).toBe('SA');
  });

  it('returns only location fields, never the address', () => {
    const location = geo.lookup('212.71.32.1');
    expect(Object.keys(location).sort()).toEqual(['city', 'country', 'region']);
    expect(JSON.stringify(location)).not.toContain('212.71');
  });
});
