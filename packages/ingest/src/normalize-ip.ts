import { isIP } from 'node:net';

export interface IpAddress {
  /** Canonical text: dotted IPv4, or compressed lower-case IPv6. */
  address: string;
  family: 4 | 6;
}

const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * The canonical form of an IP address, so that one client seen by a dual-stack
 * server as `::ffff:8.8.8.8` and by another as `8.8.8.8` is one address (for
 * the geo lookup and the visitor hash alike). Accepts brackets and a zone id
 * (`[fe80::1%eth0]`); anything that is not an IP address gives `undefined`.
 *
 * @example normalizeIp('::FFFF:8.8.8.8') // { address: '8.8.8.8', family: 4 }
 */
export function normalizeIp(ip: string | undefined | null): IpAddress | undefined {
  if (!ip) return undefined;
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return { address: text, family: 4 };
  if (family !== 6) return undefined;
  // The URL parser is the standard's IPv6 serialiser: lower case, longest run of zeros compressed.
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_IPV4.exec(canonical);
  if (mapped) {
    const high = Number.parseInt(mapped[1]!, 16);
    const low = Number.parseInt(mapped[2]!, 16);
    return { address: `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`, family: 4 };
  }
  return { address: canonical, family: 6 };
}
