/**
 * Web push end to end: a browser subscribes through the public, site-keyed
 * endpoints served with the tracker; the API queues; the real delivery
 * engine composes and the real WebPushAdapter sends to a fake push service
 * that checks the VAPID JWT against the workspace's key and decrypts the
 * payload as the browser would; what the push service answers (410) is applied.
 */

import { runInNewContext } from 'node:vm';
import type { PushSubscription as Subscription } from '@wasl/channels';
import { WebPushAdapter } from '@wasl/channels/webpush';
import { consentVisitor } from '@wasl/ingest';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type PushService, startPushService } from '../../../channels/test/webpush/push-service.ts';
import { createSite, suppress } from '../../src/index.ts';
import { identifyContact } from '../../src/services/identity.ts';
import { createDelivery } from '../../src/services/messaging/index.ts';
import { vapidForMessages } from '../../src/services/web-push.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team, uniqueEmail } from '../helpers/people.ts';
import { runUntilSettled } from './delivery.ts';

describeEachEngine('web push: subscribe, send through the engine, push service answers', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let site: { id: string; key: string };
  let publicKey: string;
  let service: PushService;
  let adapter: WebPushAdapter;
  let templateId: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { messaging: { channels: ['webpush'] } });
    crew = await team(t, 'متجر الورد');
    ws = crew.workspace.id;
    const made = await createSite(t.db, {
      workspaceId: ws,
      name: 'المتجر',
      domain: 'shop.example.sa',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    site = made.value;
    const key = await call(t.app, 'GET', `/push/${site.key}/key`);
    expect(key.statusCode).toBe(200);
    publicKey = key.json().publicKey;
    service = await startPushService(publicKey);
    adapter = new WebPushAdapter({
      vapidFor: vapidForMessages(t.db, { clock: () => t.clock.now }),
      allowPrivateTargets: true,
      ca: service.cert,
    });
    const template = await call(t.app, 'POST', `/api/workspaces/${ws}/templates`, {
      as: crew.as.marketer,
      body: {
        channel: 'webpush',
        name: 'عرض الموسم',
        subject: 'عرض {{ campaign.name }} يا {{ contact.first_name }}',
        body: 'خصم ٢٠٪ على الورود حتى نهاية الأسبوع',
        dir: 'rtl',
        lang: 'ar-SA',
      },
    });
    expect(template.statusCode).toBe(201);
    templateId = template.json().template.id;
  });
  afterAll(async () => {
    await adapter.close();
    await service.close();
    await t.close();
  });

  // A new minute for each test: the public endpoints' per-address limit counts within one.
  beforeEach(() => {
    t.clock.now += 60_000;
  });

  async function deliver() {
    const errors: unknown[] = [];
    const { engine, outcomes } = createDelivery({
      db: t.db,
      dialect: t.oltp.dialect,
      secret: TEST_SECRET,
      publicUrl: t.config.publicUrl,
      adapters: { webpush: adapter },
      record: (events) => t.events.store.append(events),
      onError: (error) => errors.push(error),
      clock: () => t.clock.now,
      engine: { pollMs: 10 },
    });
    engine.start();
    await runUntilSettled(t, engine, outcomes, errors, 5_000);
  }

  /** A browser on the shop's site: subscribes at the fake push service, then posts to Wasl. */
  async function subscribeBrowser(options: { uid?: string; status?: number; siteKey?: string } = {}) {
    const subscription = service.subscribe(options.status ? { status: options.status } : {});
    const res = await call(t.app, 'POST', `/push/${options.siteKey ?? site.key}/subscriptions`, {
      body: {
        ...subscription,
        expirationTime: null,
        lang: 'ar-SA',
        ...(options.uid ? { uid: options.uid } : {}),
      },
      headers: {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        referer: 'https://shop.example.sa/ar/offers',
      },
    });
    return { res, subscription };
  }

  /** A contact the tracker (consent mode, this uid) identified on the site. */
  async function knownVisitor(firstName: string) {
    const uid = `${Math.random()}`.slice(2);
    const identified = await identifyContact(t.db, {
      workspaceId: ws,
      anonymousIds: [consentVisitor(site.id, uid).id],
      traits: { email: uniqueEmail('visitor'), firstName },
      now: t.clock.now,
    });
    if (!identified.ok) throw new Error(identified.error.message);
    return { uid, contactId: identified.value.contactId };
  }

  const send = (body: Record<string, unknown>) =>
    call(t.app, 'POST', `/api/workspaces/${ws}/messages`, { as: crew.as.marketer, body });
  const marketing = (contactId: string) => ({
    contactId,
    channel: 'webpush',
    marketing: true,
    content: { templateId, variables: { name: 'الربيع' }, url: 'https://shop.example.sa/ar/ورود' },
  });
  const logOf = async (id: string) =>
    (await call(t.app, 'GET', `/api/workspaces/${ws}/messages/${id}`, { as: crew.as.analyst })).json()
      .message;
  const consentOf = (contactId: string) =>
    t.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('channel', '=', 'webpush')
      .executeTakeFirst();
  const stored = (endpoint: string) =>
    t.db.selectFrom('push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirst();
  const deliveredTo = (s: Subscription) =>
    service.deliveries.filter((d) => d.path === new URL(s.endpoint).pathname);

  it('keeps webpush templates: the subject is the title, both Liquid, checked at save, previewed', async () => {
    const save = (body: Record<string, unknown>) =>
      call(t.app, 'POST', `/api/workspaces/${ws}/templates`, { as: crew.as.marketer, body });
    const untitled = await save({ channel: 'webpush', name: 'بلا عنوان', body: 'نص' });
    expect(untitled.statusCode).toBe(400);
    expect(untitled.json().error.field).toBe('subject');
    const misspelt = await save({
      channel: 'webpush',
      name: 'خطأ',
      subject: '{{ contact.frist_name }}',
      body: 'نص',
    });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().error.field).toBe('subject');
    const preview = await call(t.app, 'POST', `/api/workspaces/${ws}/templates/${templateId}/preview`, {
      as: crew.as.marketer,
      body: {},
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      subject: 'عرض معاينة يا سارة',
      text: 'خصم ٢٠٪ على الورود حتى نهاية الأسبوع',
    });
  });

  it('gives the same VAPID key for a site every time, CORS-open; an unknown site key is a 404', async () => {
    const again = await call(t.app, 'GET', `/push/${site.key}/key`);
    expect(again.json()).toEqual({ publicKey });
    expect(again.headers['access-control-allow-origin']).toBe('*');
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    expect((await call(t.app, 'GET', '/push/site_nope/key')).statusCode).toBe(404);
    const preflight = await call(t.app, 'OPTIONS' as 'GET', `/push/${site.key}/subscriptions`);
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it('refuses bad subscribe bodies naming the field, and a wrong site key with 404, storing nothing', async () => {
    const good = service.subscribe();
    const cases: [unknown, string][] = [
      [{ ...good, endpoint: good.endpoint.replace('https:', 'http:') }, 'endpoint'],
      [{ ...good, keys: { ...good.keys, p256dh: 'c2hvcnQ' } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, auth: 'not base64url!' } }, 'keys.auth'],
      [{ endpoint: good.endpoint }, 'keys'],
      [{ ...good, contactId: 'someone-else' }, 'contactId'],
    ];
    for (const [body, field] of cases) {
      const res = await call(t.app, 'POST', `/push/${site.key}/subscriptions`, { body });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field, field).toBe(field);
    }
    const unknown = await call(t.app, 'POST', '/push/site_nope/subscriptions', { body: good });
    expect(unknown.statusCode).toBe(404);
    expect(await stored(good.endpoint)).toBeUndefined();
  });

  it('links a known visitor’s subscription to the contact and grants webpush consent with proof', async () => {
    const { uid, contactId } = await knownVisitor('ليلى');
    const { res, subscription } = await subscribeBrowser({ uid });
    expect(res.statusCode).toBe(204);
    expect(await stored(subscription.endpoint)).toMatchObject({
      workspace_id: ws,
      site_id: site.id,
      contact_id: contactId,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      language: 'ar-SA',
      user_agent_family: 'Chrome',
    });
    const consent = await consentOf(contactId);
    expect(consent).toMatchObject({ status: 'granted', source: 'push_permission' });
    expect(JSON.parse(consent!.proof)).toMatchObject({
      site: 'shop.example.sa',
      page: 'https://shop.example.sa/ar/offers',
      pushService: service.origin,
    });
    const list = await call(t.app, 'GET', `/api/workspaces/${ws}/push/subscriptions?contactId=${contactId}`, {
      as: crew.as.analyst,
    });
    expect(list.json().subscriptions).toEqual([
      expect.objectContaining({
        contactId,
        siteId: site.id,
        pushService: service.origin,
        browser: 'Chrome',
      }),
    ]);
  });

  it('sends a personalised Arabic notification the browser decrypts intact, right to left', async () => {
    const { uid, contactId } = await knownVisitor('سارة');
    const { subscription } = await subscribeBrowser({ uid });
    const res = await send(marketing(contactId));
    expect(res.statusCode).toBe(202);
    expect(res.json().message).toMatchObject({ channel: 'webpush', status: 'queued', waiting: null });
    await deliver();
    expect(service.rejected).toEqual([]);
    const got = deliveredTo(subscription);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.plaintext)).toEqual({
      title: 'عرض الربيع يا سارة',
      body: 'خصم ٢٠٪ على الورود حتى نهاية الأسبوع',
      url: 'https://shop.example.sa/ar/ورود',
      dir: 'rtl',
      lang: 'ar-SA',
    });
    expect(got[0]!.claims.sub).toBe(`mailto:${crew.users.owner.email}`);
    expect(got[0]!.urgency).toBe('normal');
    expect(await logOf(res.json().message.id)).toMatchObject({ status: 'sent', provider: 'webpush' });
    expect((await stored(subscription.endpoint))?.last_success_at).toBe(t.clock.now);
  });

  it('sends to the newest of a contact’s devices only', async () => {
    const { uid, contactId } = await knownVisitor('منى');
    const older = await subscribeBrowser({ uid });
    t.clock.now += 1000;
    const newer = await subscribeBrowser({ uid });
    await send(marketing(contactId));
    await deliver();
    expect([deliveredTo(older.subscription).length, deliveredTo(newer.subscription).length]).toEqual([0, 1]);
  });

  it('skips a marketing push without consent: a subscription made before the visitor was known', async () => {
    const uid = 'anonymous-then-known';
    const { subscription } = await subscribeBrowser({ uid });
    expect((await stored(subscription.endpoint))?.contact_id).toBeNull();
    const { contactId } = await (async () => {
      const identified = await identifyContact(t.db, {
        workspaceId: ws,
        anonymousIds: [consentVisitor(site.id, uid).id],
        traits: { email: uniqueEmail('later'), firstName: 'هدى' },
        now: t.clock.now,
      });
      if (!identified.ok) throw new Error(identified.error.message);
      return identified.value;
    })();
    const id = (await send(marketing(contactId))).json().message.id;
    // Transactional needs no consent: the same subscription is the contact's address.
    const receipt = await send({
      contactId,
      channel: 'webpush',
      marketing: false,
      content: { title: 'Your order shipped', body: 'Order 123 is on its way' },
    });
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(await logOf(receipt.json().message.id)).toMatchObject({ status: 'sent' });
    const got = deliveredTo(subscription).map((d) => JSON.parse(d.plaintext));
    expect(got).toEqual([
      { title: 'Your order shipped', body: 'Order 123 is on its way', dir: 'ltr', lang: 'ar-SA' },
    ]);
  });

  it('skips a contact with no subscription (no_address) and a suppressed endpoint (suppressed)', async () => {
    const lonely = await knownVisitor('خالد');
    const none = (await send(marketing(lonely.contactId))).json().message.id;
    const { uid, contactId } = await knownVisitor('نورة');
    const { subscription } = await subscribeBrowser({ uid });
    await suppress(t.db, {
      workspaceId: ws,
      channel: 'webpush',
      address: subscription.endpoint,
      reason: 'manual',
      now: t.clock.now,
    });
    const suppressed = (await send(marketing(contactId))).json().message.id;
    await deliver();
    expect(await logOf(none)).toMatchObject({ status: 'skipped', skipReason: 'no_address' });
    expect(await logOf(suppressed)).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(deliveredTo(subscription)).toHaveLength(0);
  });

  it('skips a notification over the push payload limit, naming its size', async () => {
    const { uid, contactId } = await knownVisitor('ريم');
    const { subscription } = await subscribeBrowser({ uid });
    const res = await send({
      contactId,
      channel: 'webpush',
      marketing: false,
      content: { title: 'تنبيه', body: 'ب'.repeat(2000) },
    });
    await deliver();
    const log = await logOf(res.json().message.id);
    expect(log.status).toBe('skipped');
    expect(log.skipReason).toMatch(
      /^payload_too_large: the notification is 40\d\d bytes in UTF-8; push services take at most 3993$/,
    );
    expect(deliveredTo(subscription)).toHaveLength(0);
  });

  it('removes a subscription its push service calls gone (410), withdrawing consent with the last one', async () => {
    const { uid, contactId } = await knownVisitor('عمر');
    const { subscription } = await subscribeBrowser({ uid, status: 410 });
    const id = (await send(marketing(contactId))).json().message.id;
    await deliver();
    const log = await logOf(id);
    expect(log).toMatchObject({ status: 'failed' });
    expect(log.lastError).toMatch(/^subscription_gone: HTTP 410/);
    expect(await stored(subscription.endpoint)).toBeUndefined();
    expect(await consentOf(contactId)).toMatchObject({
      status: 'unsubscribed',
      source: 'push_service_gone',
    });
    // Nothing left to send to.
    const next = (await send(marketing(contactId))).json().message.id;
    await deliver();
    expect(await logOf(next)).toMatchObject({ status: 'skipped', skipReason: 'no_address' });
  });

  it('unsubscribes by endpoint; consent is withdrawn only with the last subscription, and a refresh does not regrant it', async () => {
    const { uid, contactId } = await knownVisitor('فهد');
    const first = await subscribeBrowser({ uid });
    const second = await subscribeBrowser({ uid });
    const unsubscribe = (endpoint: string, key = site.key) =>
      call(t.app, 'POST', `/push/${key}/unsubscribe`, { body: { endpoint } });
    expect((await unsubscribe(first.subscription.endpoint)).statusCode).toBe(204);
    expect(await stored(first.subscription.endpoint)).toBeUndefined();
    expect(await consentOf(contactId)).toMatchObject({ status: 'granted' });
    expect((await unsubscribe(second.subscription.endpoint)).statusCode).toBe(204);
    expect(await consentOf(contactId)).toMatchObject({
      status: 'unsubscribed',
      source: 'push_unsubscribe',
    });
    expect((await unsubscribe(second.subscription.endpoint)).statusCode).toBe(204);
    expect((await unsubscribe(second.subscription.endpoint, 'site_nope')).statusCode).toBe(404);
  });

  it('keeps workspaces apart: another workspace’s site key cannot unsubscribe, see or link this one’s browsers', async () => {
    const { uid, contactId } = await knownVisitor('سلمى');
    const { subscription } = await subscribeBrowser({ uid });
    const other = await team(t, 'Other');
    const theirSite = await createSite(t.db, {
      workspaceId: other.workspace.id,
      name: 'Other',
      domain: 'other.example',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!theirSite.ok) throw new Error(theirSite.error.message);
    const theirKey = (await call(t.app, 'GET', `/push/${theirSite.value.key}/key`)).json().publicKey;
    expect(theirKey).not.toBe(publicKey);
    const res = await call(t.app, 'POST', `/push/${theirSite.value.key}/unsubscribe`, {
      body: { endpoint: subscription.endpoint },
    });
    expect(res.statusCode).toBe(204);
    expect(await stored(subscription.endpoint)).toMatchObject({ workspace_id: ws, contact_id: contactId });
    // The same uid on their site is another visitor (hashed with the site): no link to our contact.
    const theirs = await subscribeBrowser({ uid, siteKey: theirSite.value.key });
    expect(theirs.res.statusCode).toBe(204);
    const row = await t.db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('workspace_id', '=', other.workspace.id)
      .executeTakeFirstOrThrow();
    expect(row.contact_id).toBeNull();
    const list = await call(t.app, 'GET', `/api/workspaces/${ws}/push/subscriptions`, {
      as: other.as.owner,
    });
    expect(list.statusCode).toBe(404);
  });

  it('runs the served page helper: enable() fetches the key, subscribes and posts uid and language', async () => {
    const { uid, contactId } = await knownVisitor('دانة');
    const browserSubscription = service.subscribe();
    const posted: unknown[] = [];
    // fetch as the page would: cross-origin to Wasl, answered by the app in-process.
    const fetch = async (url: string, init: { method?: string; body?: string; headers?: object } = {}) => {
      const { pathname } = new URL(url);
      if (init.body) posted.push(JSON.parse(init.body));
      const res = await t.app.inject({
        method: (init.method ?? 'GET') as 'GET',
        url: pathname,
        ...(init.body ? { payload: init.body, headers: { 'content-type': 'application/json' } } : {}),
      });
      return { ok: res.statusCode < 300, status: res.statusCode, json: async () => res.json() };
    };
    const made = {
      options: { applicationServerKey: new Uint8Array(Buffer.from(publicKey, 'base64url')).buffer },
      endpoint: browserSubscription.endpoint,
      toJSON: () => ({ ...browserSubscription, expirationTime: null }),
      unsubscribe: async () => true,
    };
    const registration = {
      active: {},
      pushManager: { getSubscription: async () => null, subscribe: async () => made },
    };
    const registered: string[] = [];
    const self: Record<string, unknown> = {};
    const context = {
      self,
      document: {
        currentScript: {
          src: 'https://wasl.example.sa/push/subscribe.js',
          getAttribute: (name: string) => ({ 'data-site': site.key })[name] ?? null,
        },
      },
      navigator: {
        language: 'ar-SA',
        serviceWorker: {
          register: async (url: string) => {
            registered.push(url);
            return registration;
          },
        },
      },
      localStorage: { getItem: (key: string) => (key === 'wasl_uid' ? uid : null) },
      PushManager: function PushManager() {},
      Notification: { requestPermission: async () => 'granted' },
      fetch,
      atob,
      URL,
    };
    const script = (await call(t.app, 'GET', '/push/subscribe.js')).body;
    runInNewContext(script, context);
    const result = await (self.waslPush as { enable: () => Promise<{ ok: boolean }> }).enable();
    expect(result.ok).toBe(true);
    expect(registered).toEqual(['/wasl-sw.js']);
    expect(posted).toEqual([{ ...browserSubscription, expirationTime: null, uid, lang: 'ar-SA' }]);
    expect(await stored(browserSubscription.endpoint)).toMatchObject({
      contact_id: contactId,
      language: 'ar-SA',
    });
  });

  it('limits the public calls per address, answering 429 with Retry-After', async () => {
    const from = { remoteAddress: '203.0.113.77' };
    for (let i = 0; i < 30; i++) {
      expect((await call(t.app, 'GET', `/push/${site.key}/key`, from)).statusCode).toBe(200);
    }
    const refused = await call(t.app, 'GET', `/push/${site.key}/key`, from);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await call(t.app, 'GET', `/push/${site.key}/key`, { remoteAddress: '203.0.113.78' })).statusCode,
    ).toBe(200);
  });

  it('does not regrant consent when a browser refreshes a subscription after the person unsubscribed', async () => {
    const { uid, contactId } = await knownVisitor('جود');
    const { subscription } = await subscribeBrowser({ uid });
    const put = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.marketer,
      body: { channel: 'webpush', status: 'unsubscribed', source: 'preference_page' },
    });
    expect(put.statusCode).toBe(200);
    const again = await call(t.app, 'POST', `/push/${site.key}/subscriptions`, {
      body: { ...subscription, uid },
    });
    expect(again.statusCode).toBe(204);
    expect(await consentOf(contactId)).toMatchObject({ status: 'unsubscribed' });
    const id = (await send(marketing(contactId))).json().message.id;
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(deliveredTo(subscription)).toHaveLength(0);
  });

  it('serves the service worker (also at a versioned, immutable URL) and the page helper, for any origin', async () => {
    const sw = await call(t.app, 'GET', '/push/sw.js');
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(sw.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(sw.body).toContain("self.addEventListener('push'");
    const doc = (await call(t.app, 'GET', '/api/openapi.json')).json() as {
      paths: Record<string, unknown>;
    };
    const versioned = Object.keys(doc.paths).find((p) => /^\/push\/sw-[0-9a-f]{12}\.js$/.test(p));
    expect(versioned).toBeDefined();
    const pinned = await call(t.app, 'GET', versioned!);
    expect(pinned.body).toBe(sw.body);
    expect(pinned.headers['cache-control']).toContain('immutable');
    const helper = await call(t.app, 'GET', '/push/subscribe.js');
    expect(helper.body).toContain('waslPush.enable');
    expect(helper.body).toContain("'/push/'");
  });
});
