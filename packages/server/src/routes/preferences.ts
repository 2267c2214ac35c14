import type { ConsentChannel } from '@wasl/core';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { escapeHtml, html, page } from '../http/public-page.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors } from '../http/schemas.ts';
import { consentEvent, setConsent } from '../services/consent.ts';
import { getContact } from '../services/contacts.ts';
import {
  PAGE_CHANNELS,
  type PreferenceView,
  preferenceToken,
  preferenceView,
  readPreferenceToken,
} from '../services/preferences.ts';

const TokenParams = z.strictObject({ token: z.string().max(300) });
const ContactParams = z.strictObject({ ws: z.string(), contactId: z.string() });

const TEXT = {
  ar: {
    title: 'تفضيلات الاشتراك',
    hello: (name: string | null) => (name ? `مرحبًا ${name}،` : 'مرحبًا،'),
    intro: (ws: string) => `اختر ما تريد أن يصلك من ${ws}.`,
    channels: {
      email: 'البريد الإلكتروني',
      sms: 'الرسائل النصية',
      whatsapp: 'واتساب',
      webpush: 'إشعارات المتصفح',
    },
    topics: 'النشرات',
    save: 'حفظ التفضيلات',
    saved: 'حُفظت تفضيلاتك.',
    unsubscribeTitle: 'إلغاء الاشتراك',
    unsubscribeAsk: (ws: string) => `هل تريد إيقاف رسائل البريد التسويقية من ${ws}؟`,
    unsubscribeButton: 'إلغاء الاشتراك',
    unsubscribed: 'أُلغي اشتراكك في رسائل البريد التسويقية. يمكنك تغيير ذلك من صفحة التفضيلات.',
    manage: 'إدارة التفضيلات',
    invalid: 'هذا الرابط غير صالح. استخدم أحدث رسالة وصلتك.',
  },
  en: {
    title: 'Subscription preferences',
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    intro: (ws: string) => `Choose what ${ws} sends you.`,
    channels: {
      email: 'Email',
      sms: 'Text messages',
      whatsapp: 'WhatsApp',
      webpush: 'Browser notifications',
    },
    topics: 'Newsletters',
    save: 'Save preferences',
    saved: 'Your preferences are saved.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeAsk: (ws: string) => `Stop marketing email from ${ws}?`,
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: 'You are unsubscribed from marketing email. You can change this on the preferences page.',
    manage: 'Manage preferences',
    invalid: 'This link is not valid. Use the latest message you received.',
  },
} as const;

function preferencesPage(view: PreferenceView, token: string, saved: boolean): string {
  const t = TEXT[view.locale];
  const channels = view.channels
    .map(
      (c) =>
        `<label><input type="checkbox" name="channel" value="${c.channel}"${c.subscribed ? ' checked' : ''}> ${escapeHtml(t.channels[c.channel])} <bdi dir="ltr">${escapeHtml(c.address)}</bdi></label>`,
    )
    .join('');
  const topics = view.topics.length
    ? `<fieldset><legend>${t.topics}</legend>${view.topics
        .map(
          (topic) =>
            `<label><input type="checkbox" name="topic" value="${escapeHtml(topic.id)}"${topic.subscribed ? ' checked' : ''}> ${escapeHtml(topic.name)}</label>`,
        )
        .join('')}</fieldset>`
    : '';
  return page(
    view.locale,
    t.title,
    `<h1>${t.title}</h1>${saved ? `<p class="note" role="status">${t.saved}</p>` : ''}
<p>${escapeHtml(t.hello(view.firstName))} ${escapeHtml(t.intro(view.workspaceName))}</p>
<form method="post" action="/preferences/${encodeURIComponent(token)}">
<fieldset><legend>${t.title}</legend>${channels}</fieldset>${topics}
<button type="submit">${t.save}</button></form>`,
  );
}

/** Form bodies of the preference page: repeated keys become lists. */
function formValues(body: unknown, key: string): string[] {
  if (typeof body !== 'string') return [];
  return new URLSearchParams(body).getAll(key);
}

/**
 * The hosted preference centre and unsubscribe (decision: no login; a signed
 * link per contact). GET never changes anything — mail scanners follow links —
 * so unsubscribing takes a POST: the button on the page, or the RFC 8058
 * one-click POST a mail client sends for `List-Unsubscribe-Post`.
 */
export function preferenceRoutes(app: App, ctx: ServerContext): void {
  const contactOf = (token: string) => readPreferenceToken(ctx.secret, token);
  const proof = (request: { ip: string; headers: Record<string, unknown> }) => ({
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? ''),
  });
  const invalid = (reply: FastifyReply, locale: 'ar' | 'en' = 'ar') =>
    html(reply, 404, page(locale, TEXT[locale].title, `<p>${TEXT[locale].invalid}</p>`));

  const record = async (workspaceId: string, changes: Awaited<ReturnType<typeof setConsent>>[]) => {
    const facts = changes.flatMap((c) => (c.ok ? [consentEvent(workspaceId, c.value)] : []));
    if (facts.length > 0) await ctx.events?.append(facts).catch(() => undefined);
  };

  app.register(async (plain) => {
    plain.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    const scope = plain.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();

    scope.get(
      '/preferences/:token',
      {
        schema: { tags: ['preferences'], summary: 'The hosted preference page (HTML)', params: TokenParams },
      },
      async (request, reply) => {
        const who = contactOf(request.params.token);
        const view = who && (await preferenceView(ctx.db, who.workspaceId, who.contactId));
        if (!view) return invalid(reply);
        return html(reply, 200, preferencesPage(view, request.params.token, false));
      },
    );

    scope.post(
      '/preferences/:token',
      {
        schema: {
          tags: ['preferences'],
          summary: 'Save the preference page (form post)',
          params: TokenParams,
        },
      },
      async (request, reply) => {
        const who = contactOf(request.params.token);
        const view = who && (await preferenceView(ctx.db, who.workspaceId, who.contactId));
        if (!who || !view) return invalid(reply);
        const channels = new Set(formValues(request.body, 'channel'));
        const topics = new Set(formValues(request.body, 'topic'));
        const now = ctx.clock();
        const changes = [];
        for (const c of view.channels) {
          const wanted = channels.has(c.channel);
          if (wanted === c.subscribed) continue;
          changes.push(
            await setConsent(ctx.db, {
              workspaceId: who.workspaceId,
              contactId: who.contactId,
              channel: c.channel as ConsentChannel,
              status: wanted ? 'granted' : 'unsubscribed',
              source: 'preference_page',
              proof: proof(request),
              now,
            }),
          );
        }
        for (const topic of view.topics) {
          const wanted = topics.has(topic.id);
          if (wanted === topic.subscribed) continue;
          changes.push(
            await setConsent(ctx.db, {
              workspaceId: who.workspaceId,
              contactId: who.contactId,
              channel: 'email',
              topicId: topic.id,
              status: wanted ? 'granted' : 'unsubscribed',
              source: 'preference_page',
              proof: proof(request),
              now,
            }),
          );
        }
        await record(who.workspaceId, changes);
        if (changes.length > 0) ctx.audience.contactsChanged(who.workspaceId, [who.contactId]);
        const after = await preferenceView(ctx.db, who.workspaceId, who.contactId);
        return html(reply, 200, preferencesPage(after ?? view, request.params.token, true));
      },
    );

    scope.get(
      '/unsubscribe/:token',
      {
        schema: {
          tags: ['preferences'],
          summary: 'Asks to confirm unsubscribing from marketing email (HTML; changes nothing)',
          params: TokenParams,
        },
      },
      async (request, reply) => {
        const who = contactOf(request.params.token);
        const view = who && (await preferenceView(ctx.db, who.workspaceId, who.contactId));
        if (!view) return invalid(reply);
        const t = TEXT[view.locale];
        const token = encodeURIComponent(request.params.token);
        return html(
          reply,
          200,
          page(
            view.locale,
            t.unsubscribeTitle,
            `<h1>${t.unsubscribeTitle}</h1><p>${escapeHtml(t.unsubscribeAsk(view.workspaceName))}</p>
<form method="post" action="/unsubscribe/${token}"><button type="submit">${t.unsubscribeButton}</button></form>
<p><a href="/preferences/${token}">${t.manage}</a></p>`,
          ),
        );
      },
    );

    scope.post(
      '/unsubscribe/:token',
      {
        schema: {
          tags: ['preferences'],
          summary:
            'Unsubscribe from marketing email: the page button, or RFC 8058 one-click (List-Unsubscribe-Post)',
          params: TokenParams,
        },
      },
      async (request, reply) => {
        const who = contactOf(request.params.token);
        const view = who && (await preferenceView(ctx.db, who.workspaceId, who.contactId));
        if (!who || !view) return invalid(reply);
        const change = await setConsent(ctx.db, {
          workspaceId: who.workspaceId,
          contactId: who.contactId,
          channel: 'email',
          status: 'unsubscribed',
          source: 'unsubscribe_link',
          proof: proof(request),
          now: ctx.clock(),
        });
        await record(who.workspaceId, [change]);
        ctx.audience.contactsChanged(who.workspaceId, [who.contactId]);
        const t = TEXT[view.locale];
        return html(
          reply,
          200,
          page(
            view.locale,
            t.unsubscribeTitle,
            `<h1>${t.unsubscribeTitle}</h1><p class="note" role="status">${t.unsubscribed}</p>
<p><a href="/preferences/${encodeURIComponent(request.params.token)}">${t.manage}</a></p>`,
          ),
        );
      },
    );
  });

  app.get(
    '/api/workspaces/:ws/contacts/:contactId/preference-links',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: "The contact's signed preference and unsubscribe links (for messages and support)",
        security: SESSION_OR_KEY,
        params: ContactParams,
        response: {
          200: z.object({ preferences: z.string(), unsubscribe: z.string(), channels: z.array(z.string()) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const contact = await getContact(ctx.db, ws, contactId);
      if (!contact) return sendProblem(reply, { code: 'not_found', message: 'contact not found' });
      const token = preferenceToken(ctx.secret, ws, contact.id);
      const base = ctx.config.publicUrl.replace(/\/$/, '');
      return {
        preferences: `${base}/preferences/${token}`,
        unsubscribe: `${base}/unsubscribe/${token}`,
        channels: [...PAGE_CHANNELS],
      };
    },
  );
}
