import { render } from '@wasl/channels/templates';
import type { MessageTemplate } from '@wasl/store';
import { describe, expect, it } from 'vitest';
import { isHardBounce } from '../../src/services/messaging/outcomes.ts';
import { TemplateCache } from '../../src/services/messaging/template-cache.ts';
import { TEMPLATE_MJML } from './delivery.ts';

const template = (
  id: string,
  version: number,
  subject = 'مرحبًا {{ contact.first_name }}',
): MessageTemplate => ({
  id,
  workspace_id: 'w',
  channel: 'email',
  name: id,
  subject,
  body: TEMPLATE_MJML,
  dir: 'rtl',
  lang: 'ar',
  settings: '{}',
  version,
  created_at: 0,
  updated_at: 0,
});

describe('TemplateCache', () => {
  it('compiles a version once, a new version again, and drops the least recently used beyond its bound', async () => {
    const cache = new TemplateCache(2);
    const a1 = cache.compiled(template('a', 1));
    expect(cache.compiled(template('a', 1))).toBe(a1);
    const a2 = cache.compiled(template('a', 2, 'أهلًا {{ contact.first_name }}'));
    expect(a2).not.toBe(a1);
    const v2 = await a2;
    if (!v2.ok) throw new Error(v2.error.message);
    const out = render(v2.value, { contact: { first_name: 'ريم' }, campaign: { season: 'الصيف' } });
    expect(out.ok && out.value.subject).toBe('أهلًا \u2068ريم\u2069');
    // a@2 was used last; b comes in and a@1 (least recently used) goes.
    cache.compiled(template('b', 1));
    expect(cache.size).toBe(2);
    expect(cache.compiled(template('a', 2))).toBe(a2);
    expect(cache.compiled(template('a', 1))).not.toBe(a1);
  });

  it('gives a broken template back as a problem with its line and column', async () => {
    const cache = new TemplateCache();
    const broken = await cache.compiled(template('c', 1, 'مرحبًا {{ contact.secret_field.x.y }}'));
    expect(broken.ok).toBe(false);
    expect(broken.ok ? undefined : broken.error).toMatchObject({ part: 'subject', line: 1 });
  });
});

describe('isHardBounce', () => {
  it('reads the SMTP status the engine kept', () => {
    expect(isHardBounce('550: 5.1.1 <a@b.sa>: Recipient address rejected: User unknown')).toBe(true);
    expect(isHardBounce('552: 5.2.2 Mailbox full')).toBe(false);
    expect(isHardBounce('550: 550 5.1.1 User unknown')).toBe(true);
    expect(isHardBounce('552: 552 5.2.2 Mailbox full')).toBe(false);
    expect(isHardBounce('550: 5.7.1 blocked by policy')).toBe(false);
    expect(isHardBounce('invalid_recipient: the provider says the address does not exist')).toBe(true);
  });
});
