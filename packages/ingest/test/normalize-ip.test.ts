import { describe, expect, it } from 'vitest';
import { normalizeIp } from '../src/index.ts';

describe('normalizeIp', () => {
  it.each([
    ['8.8.8.8', { address: '8.8.8.8', family: 4 }],
    [' 8.8.8.8 ', { address: '8.8.8.8', family: 4 }],
    ['::ffff:8.8.8.8', { address: '8.8.8.8', family: 4 }],
    ['::FFFF:0808:0808', { address: '8.8.8.8', family: 4 }],
    ['0:0:0:0:0:ffff:8.8.8.8', { address: '8.8.8.8', family: 4 }],
    ['2001:DB8:0:0:0:0:0:1', { address: '2001:db8::1', family: 6 }],
    ['[2001:db8::1]', { address: '2001:db8::1', family: 6 }],
    ['fe80::1%eth0', { address: 'fe80::1', family: 6 }],
  ])('%s', (input, expected) => {
    expect(normalizeIp(input)).toEqual(expected);
  });

  it.each(['', 'localhost', '8.8.8', '256.1.1.1', '1.2.3.4:80', 'gggg::1', undefined])(
    'rejects %s',
    (input) => {
      expect(normalizeIp(input)).toBeUndefined();
    },
  );
});
