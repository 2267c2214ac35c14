import type { FunnelStep } from './api.ts';

/** `cta=hero` → { cta: 'hero' }; '' → {}; null when there is no `name=` part. */
export function parseProperty(text: string): Record<string, string> | null {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const at = trimmed.indexOf('=');
  if (at <= 0) return null;
  return { [trimmed.slice(0, at).trim()]: trimmed.slice(at + 1).trim() };
}

/** One funnel step per line: a line starting with `/` is a page pattern, anything else an event name. */
export function parseSteps(text: string): FunnelStep[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) =>
      line.startsWith('/') ? { kind: 'page', pattern: line } : { kind: 'event', event: line, properties: {} },
    );
}
