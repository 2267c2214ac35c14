/** IANA zones this browser knows, plus UTC and whatever the workspace already has. */
export function timeZoneOptions(current?: string): string[] {
  const zones = new Set<string>(['UTC']);
  try {
    for (const zone of Intl.supportedValuesOf('timeZone')) zones.add(zone);
  } catch {
    // Older engines: UTC and the current value still make a usable list.
  }
  if (current) zones.add(current);
  zones.add(browserTimeZone());
  return [...zones].sort();
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
