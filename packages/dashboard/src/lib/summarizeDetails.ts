/** One line for an audit entry's free-form details: `key: value` pairs, nested values as JSON. */
export function summarizeDetails(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object') return String(details);
  if (Array.isArray(details)) return JSON.stringify(details);
  return Object.entries(details)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ');
}
