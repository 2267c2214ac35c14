// The browser scripts run here in node:vm against stand-ins for the browser
// APIs they call (service worker globals, Notification, PushManager); the
// network parts are real: the helper POSTs with Node's fetch to a real local
// server, and the notification shown comes from a push the real adapter sent
// and the fake push service decrypted. A real browser is not used.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext, Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushSubscription } from '../../src/types.ts';
import {
  generateVapidKeys,
  SERVICE_WORKER_SCRIPT,
  SUBSCRIBE_SCRIPT,
  WebPushAdapter,
} from '../../src/webpush/index.ts';
import { type PushService, startPushService } from './push-service.ts';

const keys = generateVapidKeys();
let service: PushService;
/** Wasl's subscription endpoint: stores what the helper POSTs. */
let wasl: { url: string; received: unknown[]; status: number; close: () => Promise<void> };

beforeAll(async () => {
  service = await startPushService(keys.publicKey);
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') {
        res.writeHead(415).end();
        return;
      }
      received.push(JSON.parse(text));
      res.writeHead(wasl.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  wasl = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/push/subscriptions`,
    received,
    status: 201,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
afterAll(async () => {
  await service.close();
  await wasl.close();
});

describe('browser scripts', () => {
  it('parse as scripts', () => {
    expect(() => new Script(SERVICE_WORKER_SCRIPT)).not.toThrow();
    expect(() => new Script(SUBSCRIBE_SCRIPT)).not.toThrow();
  });
});

/** Runs the service worker with stand-in worker globals; returns its handlers and what it did. */
function serviceWorker(openWindows: { url: string; focus: () => Promise<void> }[] = []) {
  const listeners = new Map<string, (event: unknown) => void>();
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const opened: string[] = [];
  const self = {
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    registration: {
      showNotification: async (title: string, options: Record<string, unknown>) => {
        shown.push({ title, options });
      },
    },
    location: { origin: 'https://shop.example' },
    clients: {
      matchAll: async () => openWindows,
      openWindow: async (url: string) => {
        opened.push(url);
      },
    },
  };
  runInNewContext(SERVICE_WORKER_SCRIPT, { self, URL });
  const dispatch = async (type: string, event: Record<string, unknown>) => {
    const waits: Promise<unknown>[] = [];
    listeners.get(type)!({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
  };
  return { listeners, shown, opened, dispatch };
}

describe('SERVICE_WORKER_SCRIPT', () => {
  it('shows the notification from a real, decrypted push, right-to-left in Arabic', async () => {
    const payload = {
      title: 'وصل طلبك',
      body: 'طلبك رقم ١٢٣ في الطريق إليك',
      url: '/ar/orders/123',
      icon: 'https://shop.example/icon.png',
      dir: 'rtl',
      lang: 'ar',
      tag: 'order-123',
    };
    const adapter = new WebPushAdapter({
      vapidFor: () => ({ subject: 'mailto:ops@wasl.example', ...keys }),
      allowPrivateTargets: true,
      ca: service.cert,
    });
    const sent = await adapter.send(
      { id: 'm1', subscription: service.subscribe(), payload: JSON.stringify(payload), ttl: 60 },
      { signal: new AbortController().signal, commit: async () => {} },
    );
    await adapter.close();
    expect(sent.ok).toBe(true);
    const plaintext = service.deliveries.at(-1)!.plaintext;

    const sw = serviceWorker();
    expect([...sw.listeners.keys()]).toEqual(['push', 'notificationclick']);
    await sw.dispatch('push', { data: { json: () => JSON.parse(plaintext), text: () => plaintext } });
    expect(sw.shown).toHaveLength(1);
    expect(sw.shown[0]!.title).toBe('وصل طلبك');
    expect({ ...sw.shown[0]!.options, data: { ...(sw.shown[0]!.options.data as object) } }).toEqual({
      body: 'طلبك رقم ١٢٣ في الطريق إليك',
      dir: 'rtl',
      lang: 'ar',
      icon: 'https://shop.example/icon.png',
      tag: 'order-123',
      data: { url: '/ar/orders/123' },
    });
  });

  it('falls back to automatic direction and shows text that is not JSON as the body', async () => {
    const sw = serviceWorker();
    await sw.dispatch('push', {
      data: {
        json: () => {
          throw new SyntaxError('not JSON');
        },
        text: () => 'نص عادي',
      },
    });
    expect(sw.shown[0]!.title).toBe('');
    expect(sw.shown[0]!.options.body).toBe('نص عادي');
    expect(sw.shown[0]!.options.dir).toBe('auto');
  });

  it('focuses an open window on the link, or opens one', async () => {
    let focused = 0;
    let closed = 0;
    const notification = { data: { url: '/ar/orders/123' }, close: () => closed++ };
    const open = serviceWorker([
      { url: 'https://shop.example/other', focus: async () => {} },
      { url: 'https://shop.example/ar/orders/123', focus: async () => void focused++ },
    ]);
    await open.dispatch('notificationclick', { notification });
    expect([focused, closed, open.opened]).toEqual([1, 1, []]);

    const none = serviceWorker();
    await none.dispatch('notificationclick', { notification });
    expect(none.opened).toEqual(['https://shop.example/ar/orders/123']);
  });
});

interface FakeSubscription {
  options: { applicationServerKey: ArrayBuffer };
  toJSON: () => PushSubscription;
  unsubscribe: () => Promise<boolean>;
}

/** Runs the helper against stand-in browser APIs; returns its `subscribe` and a log of the calls. */
function page(options: {
  permission?: string;
  existing?: FakeSubscription;
  supported?: boolean;
  installing?: boolean;
}) {
  const log: unknown[][] = [];
  const browserSubscription = service.subscribe();
  const made: FakeSubscription = {
    options: { applicationServerKey: new Uint8Array(Buffer.from(keys.publicKey, 'base64url')).buffer },
    toJSON: () => browserSubscription,
    unsubscribe: async () => true,
  };
  const worker = {
    state: 'installing',
    listener: undefined as undefined | (() => void),
    addEventListener(_type: string, listener: () => void) {
      this.listener = listener;
    },
  };
  const registration = {
    active: options.installing ? null : {},
    installing: options.installing ? worker : null,
    waiting: null,
    pushManager: {
      getSubscription: async () => options.existing ?? null,
      subscribe: async (o: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
        log.push(['subscribe', o.userVisibleOnly, Buffer.from(o.applicationServerKey).toString('base64url')]);
        return made;
      },
    },
  };
  const navigator =
    options.supported === false
      ? {}
      : {
          serviceWorker: {
            register: async (url: string, o: unknown) => {
              log.push(['register', url, o]);
              if (options.installing) {
                setTimeout(() => {
                  worker.state = 'activated';
                  worker.listener?.();
                }, 10);
              }
              return registration;
            },
          },
        };
  const self: Record<string, unknown> = {};
  runInNewContext(SUBSCRIBE_SCRIPT, {
    self,
    navigator,
    PushManager: function PushManager() {},
    Notification: {
      requestPermission: async () => {
        log.push(['requestPermission']);
        return options.permission ?? 'granted';
      },
    },
    fetch,
    atob,
  });
  const api = self.waslPush as {
    subscribe: (o: object) => Promise<{ ok: boolean; reason?: string; subscription?: PushSubscription }>;
    urlBase64ToUint8Array: (text: string) => Uint8Array;
  };
  return { api, log, browserSubscription };
}

describe('SUBSCRIBE_SCRIPT', () => {
  it('registers, asks, subscribes with the VAPID key and POSTs the subscription; a push then reaches it', async () => {
    const before = wasl.received.length;
    const { api, log, browserSubscription } = page({});
    const result = await api.subscribe({
      workerUrl: '/wasl-sw.js',
      vapidPublicKey: keys.publicKey,
      endpoint: wasl.url,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ ok: true, subscription: browserSubscription });
    expect(log).toEqual([
      ['register', '/wasl-sw.js', undefined],
      ['requestPermission'],
      ['subscribe', true, keys.publicKey],
    ]);
    expect(wasl.received.slice(before)).toEqual([browserSubscription]);

    // What Wasl stored is enough to push to that browser.
    const adapter = new WebPushAdapter({
      vapidFor: () => ({ subject: 'https://wasl.example/contact', ...keys }),
      allowPrivateTargets: true,
      ca: service.cert,
    });
    const stored = wasl.received.at(-1) as PushSubscription;
    const sent = await adapter.send(
      { id: 'm2', subscription: stored, payload: '{"title":"أهلاً بك"}', ttl: 0 },
      { signal: new AbortController().signal, commit: async () => {} },
    );
    await adapter.close();
    expect(sent.ok).toBe(true);
    expect(service.deliveries.at(-1)!.plaintext).toBe('{"title":"أهلاً بك"}');
  });

  it('decodes base64url keys of any padding', () => {
    const { api } = page({});
    for (const bytes of [
      Buffer.from([0xfb, 0xff]),
      Buffer.from([0xfe, 0xfd, 0xfc, 0x3e]),
      Buffer.alloc(65, 0xbf),
    ]) {
      expect(Buffer.from(api.urlBase64ToUint8Array(bytes.toString('base64url')))).toEqual(bytes);
    }
  });

  it('stops when permission is denied: no subscription, nothing posted', async () => {
    const before = wasl.received.length;
    const { api, log } = page({ permission: 'denied' });
    const result = await api.subscribe({
      workerUrl: '/sw.js',
      vapidPublicKey: keys.publicKey,
      endpoint: wasl.url,
    });
    expect(result).toEqual({ ok: false, reason: 'denied' });
    expect(log.map((entry) => entry[0])).toEqual(['register', 'requestPermission']);
    expect(wasl.received.length).toBe(before);
  });

  it('reports browsers without push support', async () => {
    const { api } = page({ supported: false });
    expect(
      await api.subscribe({ workerUrl: '/sw.js', vapidPublicKey: keys.publicKey, endpoint: wasl.url }),
    ).toEqual({
      ok: false,
      reason: 'unsupported',
    });
  });

  it('waits for the worker to activate, and replaces a subscription made with another VAPID key', async () => {
    let unsubscribed = 0;
    const stale: FakeSubscription = {
      options: {
        applicationServerKey: new Uint8Array(Buffer.from(generateVapidKeys().publicKey, 'base64url')).buffer,
      },
      toJSON: () => service.subscribe(),
      unsubscribe: async () => {
        unsubscribed++;
        return true;
      },
    };
    const { api, log } = page({ existing: stale, installing: true });
    const result = await api.subscribe({
      workerUrl: '/sw.js',
      vapidPublicKey: keys.publicKey,
      endpoint: wasl.url,
    });
    expect(result.ok).toBe(true);
    expect(unsubscribed).toBe(1);
    expect(log.at(-1)).toEqual(['subscribe', true, keys.publicKey]);
  });

  it('reports a refused POST by its status', async () => {
    wasl.status = 500;
    try {
      const { api } = page({});
      expect(
        await api.subscribe({ workerUrl: '/sw.js', vapidPublicKey: keys.publicKey, endpoint: wasl.url }),
      ).toEqual({ ok: false, reason: 'http 500' });
    } finally {
      wasl.status = 201;
    }
  });
});
