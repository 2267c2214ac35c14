import { BlockList } from 'node:net';
import type { IpAddress } from './normalize-ip.ts';

// Special-purpose IPv4 ranges (RFC 6890 and successors) as [first, last] numbers:
// checked by hand because BlockList.check costs about 4 µs, a third of a lookup.
const NOT_PUBLIC_IPV4: readonly (readonly [number, number])[] = (
  [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ] as const
).map(([network, prefix]) => {
  const first = ipv4ToNumber(network);
  return [first, first + 2 ** (32 - prefix) - 1] as const;
});

const NOT_PUBLIC_IPV6 = new BlockList();
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC_IPV6.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an address can belong to someone on the public internet: false for
 * private, loopback, link-local, carrier-grade NAT, documentation, multicast
 * and reserved ranges. Takes a normalised address (see `normalizeIp`), so an
 * IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 *
 * @example isPublicIp(normalizeIp('10.1.2.3')!) // false
 */
export function isPublicIp(ip: IpAddress): boolean {
  if (ip.family === 6) return !NOT_PUBLIC_IPV6.check(ip.address, 'ipv6');
  const n = ipv4ToNumber(ip.address);
  return !NOT_PUBLIC_IPV4.some(([first, last]) => n >= first && n <= last);
}

function ipv4ToNumber(address: string): number {
  let n = 0;
  for (const octet of address.split('.')) n = n * 256 + Number(octet);
  return n;
}
