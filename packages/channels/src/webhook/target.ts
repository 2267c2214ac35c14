/**
 * The SSRF guard for outgoing HTTP channels (webhooks, web push): resolves a
 * target host, refuses private, loopback and link-local addresses, and gives
 * a socket `lookup` that hands the connect exactly the addresses it checked,
 * so DNS cannot change between the check and the connection.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { isBlockedAddress } from '@wasl/core';

export interface TargetPolicy {
  /** Allow private, loopback and link-local targets (tests, on-premises receivers). */
  allowPrivateTargets: boolean;
  /** Host names or IP literals allowed even when private (an operator's own receiver), lower case. */
  allowHosts?: ReadonlySet<string>;
}

/** Why a target cannot be reached: 'blocked' is permanent, 'dns' may pass later. */
export class TargetError extends Error {
  constructor(
    readonly kind: 'blocked' | 'dns',
    message: string,
  ) {
    super(message);
  }
}

/** A URL's hostname without the brackets of an IPv6 literal. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves the host (every address) and refuses it when any address is
 * blocked by the policy. Rejects with a TargetError.
 */
export async function resolveTarget(hostname: string, policy: TargetPolicy): Promise<LookupAddress[]> {
  const host = bareHost(hostname);
  const family = isIP(host);
  const addresses =
    family === 0 ? await lookupAll(host) : [{ address: host, family } satisfies LookupAddress];
  if (!policy.allowPrivateTargets && !policy.allowHosts?.has(host.toLowerCase())) {
    const blocked = addresses.filter((a) => isBlockedAddress(a.address));
    if (blocked.length > 0) {
      const list = blocked.map((a) => a.address).join(', ');
      throw new TargetError(
        'blocked',
        family === 0
          ? `${host} resolves to ${list}: a private, loopback or reserved address`
          : `${host} is a private, loopback or reserved address`,
      );
    }
  }
  return addresses;
}

async function lookupAll(host: string): Promise<LookupAddress[]> {
  try {
    const addresses = await dnsLookup(host, { all: true });
    if (addresses.length === 0) throw new TargetError('dns', `DNS lookup of ${host}: no addresses`);
    return addresses;
  } catch (error) {
    if (error instanceof TargetError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    throw new TargetError('dns', `DNS lookup of ${host}: ${code}`);
  }
}

/**
 * A `lookup` for net/tls connect options: resolves and checks in one step and
 * connects to what was checked. (Connect skips `lookup` for IP literals, so
 * callers check those with resolveTarget first.)
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveTarget(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
        const first = usable[0];
        if (first === undefined) {
          callback(new TargetError('dns', `${hostname} has no IPv${wanted} address`), '');
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error, ''),
    );
  };
}
