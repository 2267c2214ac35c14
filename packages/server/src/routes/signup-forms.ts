import { ok } from '@wasl/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { escapeHtml, html, page } from '../http/public-page.ts';
import { consentEvent, listTopics, setConsent } from '../services/consent.ts';
import { identifyContact } from '../services/identity.ts';
import { FixedWindowLimiter } from '../services/ingest-limits.ts';
import { requestDoubleOptIn } from '../services/messaging/double-opt-in.ts';
import { loadPolicy } from '../services/messaging/policy.ts';

const KeyParams = z.strictObject({ siteKey: z.string().max(64) });
const Query = z.strictObject({ lang: z.enum(['ar', 'en']).optional() });

/** Sign-ups per address per 10 minutes: a person retrying, not a script. */
const PER_IP = 10;
const WINDOW_MS = 600_000;
/** The trap field: hidden from people, filled by form-spamming bots. */
const HONEYPOT = 'website';

const TEXT = {
  ar: {
    title: 'اشترك في نشرتنا',
    email: 'البريد الإلكتروني',
    firstName: 'الاسم الأول',
    phone: 'الجوال (اختياري)',
    consent: (site: string) => `أوافق على تلقي رسائل تسويقية بالبريد من ${site}.`,
    topics: 'النشرات',
    submit: 'اشترك',
    thanks: 'شكرًا لاشتراكك!',
    needConsent: 'فعّل الموافقة على الرسائل لنرسل إليك.',
    badEmail: 'اكتب بريدًا إلكترونيًا صحيحًا.',
    tooMany: 'محاولات كثيرة. حاول بعد قليل.',
    unknown: 'هذا النموذج غير موجود.',
  },
  en: {
    title: 'Subscribe to our newsletter',
    email: 'Email',
    firstName: 'First name',
    phone: 'Mobile (optional)',
    consent: (site: string) => `I agree to receive marketing email from ${site}.`,
    topics: 'Newsletters',
    submit: 'Subscribe',
    thanks: 'Thank you for subscribing!',
    needConsent: 'Tick the consent box so we may write to you.',
    badEmail: 'Enter a valid email address.',
    tooMany: 'Too many attempts. Try again shortly.',
    unknown: 'This form does not exist.',
  },
} as const;

/** The form page may sit in an iframe on the site it belongs to (f.js); nothing else may frame it. */
function allowFraming(reply: FastifyReply, domain: string) {
  reply.removeHeader('x-frame-options');
  reply.header(
    'content-security-policy',
    `default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'self' https://${domain} https://www.${domain} http://${domain}`,
  );
}

interface FormState {
  error?: string;
  values?: { email?: string; firstName?: string; phone?: string };
}

function formPage(
  locale: 'ar' | 'en',
  siteKey: string,
  siteName: string,
  topics: { id: string; name: string }[],
  state: FormState = {},
): string {
  const t = TEXT[locale];
  const v = state.values ?? {};
  const topicBoxes = topics.length
    ? `<fieldset><legend>${t.topics}</legend>${topics
        .map(
          (topic) =>
            `<label><input type="checkbox" name="topic" value="${escapeHtml(topic.id)}" checked> ${escapeHtml(topic.name)}</label>`,
        )
        .join('')}</fieldset>`
    : '';
  return page(
    locale,
    t.title,
    `<h1>${t.title}</h1>${state.error ? `<p class="note" role="alert">${state.error}</p>` : ''}
<form method="post" action="/forms/${encodeURIComponent(siteKey)}?lang=${locale}">
<label>${t.email} <input type="email" name="email" required dir="ltr" value="${escapeHtml(v.email ?? '')}"></label>
<label>${t.firstName} <input type="text" name="firstName" value="${escapeHtml(v.firstName ?? '')}"></label>
<label>${t.phone} <input type="tel" name="phone" dir="ltr" value="${escapeHtml(v.phone ?? '')}"></label>
<label style="position:absolute;left:-10000px" aria-hidden="true">Website <input type="text" name="${HONEYPOT}" tabindex="-1" autocomplete="off"></label>
<label><input type="checkbox" name="consent" value="email"> ${escapeHtml(t.consent(siteName))}</label>
${topicBoxes}<button type="submit">${t.submit}</button></form>`,
  );
}

/**
 * The signup form of a tracked site: a hosted page (`/forms/{siteKey}`) and a
 * script tag that embeds it (`/f.js`, `data-site`). A sign-up creates or
 * updates the contact by the identity rules and records email consent with its
 * proof (address, user agent, site, page) only when the box is ticked. Bots
 * that fill the hidden field are thanked and ignored; one address gets 10
 * tries per 10 minutes.
 */
export function signupFormRoutes(app: App, ctx: ServerContext): void {
  const limiter = new FixedWindowLimiter(PER_IP, WINDOW_MS);

  const siteOf = (key: string) =>
    ctx.db
      .selectFrom('sites')
      .select(['id', 'workspace_id', 'name', 'domain'])
      .where('key', '=', key)
      .executeTakeFirst();
  const localeOf = (request: FastifyRequest, q: { lang?: 'ar' | 'en' }): 'ar' | 'en' =>
    q.lang ?? (String(request.headers['accept-language'] ?? '').startsWith('en') ? 'en' : 'ar');

  app.get(
    '/f.js',
    {
      schema: {
        tags: ['forms'],
        summary: 'Embeds the signup form: <script src="/f.js" data-site="site_…" data-lang="ar">',
      },
    },
    async (_request, reply) => {
      const base = ctx.config.publicUrl.replace(/\/$/, '');
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(
          `(function(){var s=document.currentScript;if(!s)return;var f=document.createElement('iframe');` +
            `f.src=${JSON.stringify(`${base}/forms/`)}+encodeURIComponent(s.getAttribute('data-site')||'')+'?lang='+(s.getAttribute('data-lang')||document.documentElement.lang||'ar').slice(0,2);` +
            `f.title='signup';f.style.border='0';f.style.width='100%';f.style.minHeight='460px';s.parentNode.insertBefore(f,s.nextSibling);})();`,
        );
    },
  );

  app.register(async (plain) => {
    plain.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    const scope = plain.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();

    scope.get(
      '/forms/:siteKey',
      {
        schema: {
          tags: ['forms'],
          summary: 'The hosted signup form (HTML)',
          params: KeyParams,
          querystring: Query,
        },
      },
      async (request, reply) => {
        const locale = localeOf(request, request.query);
        const site = await siteOf(request.params.siteKey);
        if (!site)
          return html(reply, 404, page(locale, TEXT[locale].title, `<p>${TEXT[locale].unknown}</p>`));
        allowFraming(reply, site.domain);
        const topics = await listTopics(ctx.db, site.workspace_id);
        return html(reply, 200, formPage(locale, request.params.siteKey, site.name, topics));
      },
    );

    scope.post(
      '/forms/:siteKey',
      {
        schema: {
          tags: ['forms'],
          summary: 'Submit the signup form (form post)',
          params: KeyParams,
          querystring: Query,
        },
      },
      async (request, reply) => {
        const locale = localeOf(request, request.query);
        const t = TEXT[locale];
        const site = await siteOf(request.params.siteKey);
        if (!site) return html(reply, 404, page(locale, t.title, `<p>${t.unknown}</p>`));
        allowFraming(reply, site.domain);
        const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
        const thanks = () =>
          html(reply, 200, page(locale, t.title, `<p class="note" role="status">${t.thanks}</p>`));
        if ((form.get(HONEYPOT) ?? '') !== '') return thanks();
        const wait = limiter.take(request.ip, 1, ctx.clock());
        if (wait !== undefined) {
          reply.header('retry-after', String(wait));
          return html(reply, 429, page(locale, t.title, `<p class="note" role="alert">${t.tooMany}</p>`));
        }
        const values = {
          email: form.get('email')?.trim() ?? '',
          firstName: form.get('firstName')?.trim() ?? '',
          phone: form.get('phone')?.trim() ?? '',
        };
        const topics = await listTopics(ctx.db, site.workspace_id);
        const again = (error: string) =>
          html(reply, 400, formPage(locale, request.params.siteKey, site.name, topics, { error, values }));
        if (form.get('consent') !== 'email') return again(t.needConsent);
        const traits: Record<string, unknown> = { email: values.email, source: `signup_form:${site.domain}` };
        if (values.firstName) traits.firstName = values.firstName;
        if (values.phone) traits.phone = values.phone;
        if (locale) traits.locale = locale;
        let person = await identifyContact(ctx.db, {
          workspaceId: site.workspace_id,
          traits,
          now: ctx.clock(),
        });
        if (!person.ok && person.error.field === 'phone') {
          delete traits.phone;
          person = await identifyContact(ctx.db, {
            workspaceId: site.workspace_id,
            traits,
            now: ctx.clock(),
          });
        }
        if (!person.ok) return again(t.badEmail);
        const proof = {
          ip: request.ip,
          userAgent: String(request.headers['user-agent'] ?? ''),
          site: site.domain,
          page: String(request.headers.referer ?? ''),
        };
        const now = ctx.clock();
        const wanted = new Set(form.getAll('topic'));
        // With double opt-in, email consent waits for the click in the confirmation email.
        const policy = await loadPolicy(ctx.db, site.workspace_id);
        const confirm = policy.ok && policy.value.doubleOptIn;
        const asked = confirm
          ? await requestDoubleOptIn(ctx.db, {
              workspaceId: site.workspace_id,
              contactId: person.value.contactId,
              proof: { ...proof, source: 'form' },
              secret: ctx.secret,
              publicUrl: ctx.config.publicUrl,
              now,
            })
          : undefined;
        if (asked?.ok) await ctx.messaging.enqueue([asked.value.message]);
        const changes = [
          asked?.ok
            ? ok(asked.value.consent)
            : await setConsent(ctx.db, {
                workspaceId: site.workspace_id,
                contactId: person.value.contactId,
                channel: 'email',
                status: 'granted',
                source: 'form',
                proof,
                now,
              }),
        ];
        for (const topic of topics) {
          changes.push(
            await setConsent(ctx.db, {
              workspaceId: site.workspace_id,
              contactId: person.value.contactId,
              channel: 'email',
              topicId: topic.id,
              status: wanted.has(topic.id) ? 'granted' : 'denied',
              source: 'form',
              proof,
              now,
            }),
          );
        }
        const facts = changes.flatMap((c) => (c.ok ? [consentEvent(site.workspace_id, c.value)] : []));
        await ctx.events?.append(facts).catch(() => undefined);
        if (person.value.merged.length > 0) {
          ctx.audience.contactsMerged(site.workspace_id, person.value.merged, person.value.contactId);
        } else ctx.audience.contactsChanged(site.workspace_id, [person.value.contactId]);
        return thanks();
      },
    );
  });
}
