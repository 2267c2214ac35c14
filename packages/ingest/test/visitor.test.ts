import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newSalt, visitorHash } from '../src/index.ts';

const ip = fc.oneof(fc.ipV4(), fc.ipV6());
const input = fc.record({
  salt: fc.string({ minLength: 1 }),
  siteId: fc.string(),
  ip,
  userAgent: fc.string(),
});

describe('visitorHash', () => {
  it('is 16 bytes of hex', () => {
    const hash = visitorHash({ salt: newSalt(), siteId: 's', ip: '203.0.113.9', userAgent: 'UA' });
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is deterministic for the same inputs and salt', () => {
    fc.assert(
      fc.property(input, (i) => {
        const first = visitorHash(i);
        const again = visitorHash({ ...i });
        return first === again;
      }),
    );
  });

  it('changes with the salt', () => {
    fc.assert(
      fc.property(input, fc.string({ minLength: 1 }), (i, salt) => {
        fc.pre(salt !== i.salt);
        expect(visitorHash({ ...i, salt })).not.toBe(visitorHash(i));
      }),
    );
  });

  it('changes with the site', () => {
    fc.assert(
      fc.property(input, fc.string(), (i, siteId) => {
        fc.pre(siteId !== i.siteId);
        expect(visitorHash({ ...i, siteId })).not.toBe(visitorHash(i));
      }),
    );
  });

  it('changes with the IP address', () => {
    fc.assert(
      fc.property(input, fc.ipV4(), (i, other) => {
        fc.pre(other !== i.ip);
        expect(visitorHash({ ...i, ip: other })).not.toBe(visitorHash(i));
      }),
    );
  });

  it('changes with the user agent', () => {
    fc.assert(
      fc.property(input, fc.string(), (i, userAgent) => {
        fc.pre(userAgent !== i.userAgent);
        expect(visitorHash({ ...i, userAgent })).not.toBe(visitorHash(i));
      }),
    );
  });

  it('cannot be confused by moving text between fields', () => {
    const base = { salt: 'k', ip: '1.2.3.4' };
    expect(visitorHash({ ...base, siteId: 'a', userAgent: 'bc' })).not.toBe(
      visitorHash({ ...base, siteId: 'ab', userAgent: 'c' }),
    );
  });

  it('treats one client seen over IPv4 and IPv4-mapped IPv6 as one visitor', () => {
    fc.assert(
      fc.property(input, fc.ipV4(), (i, v4) => {
        expect(visitorHash({ ...i, ip: `::ffff:${v4}` })).toBe(visitorHash({ ...i, ip: v4 }));
      }),
    );
  });
});

describe('newSalt', () => {
  it('is 32 random bytes', () => {
    const salts = new Set(Array.from({ length: 100 }, () => newSalt()));
    expect(salts.size).toBe(100);
    for (const salt of salts) expect(Buffer.from(salt, 'base64url')).toHaveLength(32);
  });
});
