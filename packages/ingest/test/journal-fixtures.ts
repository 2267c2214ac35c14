import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WaslEvent } from '@wasl/core';

export const WORKSPACE = 'ws-وصل';

/** A temporary directory for one test; the caller removes it. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `wasl-${prefix}-`));

/** Segment files currently in a journal directory, oldest first. */
export const segmentFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.wal'))
    .sort();

/**
 * An event with every field of WaslEvent and of its context set, in Arabic
 * where the field is text, derived from `id` alone so a test (or a process
 * restarted after a crash) can rebuild what was sent.
 */
export function fullEvent(id: string, n = 0): WaslEvent {
  const occurredAt = new Date(Date.UTC(2026, 2, 1 + (n % 28), 12, 30, 15, n % 1000));
  return {
    id,
    workspaceId: WORKSPACE,
    type: n % 2 === 0 ? 'page' : 'track',
    name: n % 2 === 0 ? 'الصفحة الرئيسية' : 'تمت عملية الشراء',
    anonymousId: `زائر-${n % 97}`,
    contactId: n % 3 === 0 ? null : `contact-${n % 13}`,
    occurredAt,
    receivedAt: new Date(occurredAt.getTime() + 1234),
    properties: {
      title: 'عرض رمضان الخاص ٢٠٢٦',
      value: Math.round(n * 7.25 * 100) / 100,
      items: [{ sku: `منتج-${n % 5}`, qty: 1 + (n % 3) }],
      flags: [true, false, null],
      nested: { emoji: '🌙', rtl: 'مرحبا بالعالم' },
    },
    context: {
      url: `https://مثال.السعودية/عروض/${n}?utm_source=واتساب`,
      path: `/عروض/${n}`,
      title: 'عروض الشهر',
      referrer: 'https://www.google.com.sa/search?q=عروض',
      utm: { source: 'واتساب', medium: 'social', campaign: 'رمضان-2026', term: 'عطور', content: 'بانر-أ' },
      clickId: `gclid:${id}`,
      locale: 'ar-SA',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15',
      device: { type: 'mobile', browser: 'Mobile Safari', os: 'iOS', screen: '390x844' },
      geo: { country: 'SA', region: 'منطقة الرياض', city: 'الرياض' },
      source: 'whatsapp',
      medium: 'social',
      sessionId: `visit-${n % 211}`,
      bot: false,
      siteId: 'site-1',
      referrerHost: 'google.com.sa',
      identity: 'cookieless',
      engagedMs: (n % 60) * 1000,
    },
  };
}
