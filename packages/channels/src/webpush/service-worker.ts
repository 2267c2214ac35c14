/**
 * The browser side of web push, as script text the server hands out: the
 * service worker that shows a Wasl notification (Arabic right-to-left
 * included) and opens its link on click, and the helper a page loads to
 * register that worker, ask permission, subscribe and send the subscription
 * to Wasl. Plain ES2017 so every browser with push support runs it as is.
 */

/**
 * The service worker. It must be served from the site's own origin (a worker
 * controls only its origin), e.g. as /wasl-sw.js. The push payload is the
 * JSON the WebPushAdapter sends: { title, body, url, icon, dir, lang, tag }.
 */
export const SERVICE_WORKER_SCRIPT = `'use strict';
self.addEventListener('push', function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  var options = {
    body: typeof data.body === 'string' ? data.body : '',
    dir: data.dir === 'rtl' || data.dir === 'ltr' ? data.dir : 'auto',
    lang: typeof data.lang === 'string' ? data.lang : '',
    data: { url: typeof data.url === 'string' ? data.url : '/' }
  };
  if (typeof data.icon === 'string') options.icon = data.icon;
  if (typeof data.tag === 'string') options.tag = data.tag;
  var title = typeof data.title === 'string' ? data.title : '';
  event.waitUntil(self.registration.showNotification(title, options));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var target = (event.notification.data && event.notification.data.url) || '/';
  var url = new URL(target, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && 'focus' in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
`;

/**
 * The page helper. It defines `waslPush.subscribe({ workerUrl, vapidPublicKey,
 * endpoint, scope?, fields? })`, to be called from a click (browsers want a user
 * gesture before asking permission). It POSTs the subscription's JSON with
 * `fields` added (/push/subscribe.js adds the tracker's visitor id and the
 * language). It resolves to { ok: true, subscription }
 * or { ok: false, reason: 'unsupported' | 'denied' | 'http <status>' }.
 */
export const SUBSCRIBE_SCRIPT = `(function () {
  'use strict';
  function urlBase64ToUint8Array(text) {
    var padding = '='.repeat((4 - (text.length % 4)) % 4);
    var raw = atob((text + padding).replace(/-/g, '+').replace(/_/g, '/'));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function sameBytes(buffer, bytes) {
    if (!buffer) return false;
    var view = new Uint8Array(buffer);
    if (view.length !== bytes.length) return false;
    for (var i = 0; i < view.length; i++) if (view[i] !== bytes[i]) return false;
    return true;
  }
  function activated(registration) {
    if (registration.active) return Promise.resolve(registration);
    var worker = registration.installing || registration.waiting;
    return new Promise(function (resolve) {
      worker.addEventListener('statechange', function () {
        if (worker.state === 'activated') resolve(registration);
      });
    });
  }
  async function subscribe(options) {
    if (!('serviceWorker' in navigator) || typeof PushManager === 'undefined' || typeof Notification === 'undefined') {
      return { ok: false, reason: 'unsupported' };
    }
    var registration = await navigator.serviceWorker.register(options.workerUrl, options.scope ? { scope: options.scope } : undefined);
    var permission = await Notification.requestPermission();
    if (permission !== 'granted') return { ok: false, reason: 'denied' };
    await activated(registration);
    var key = urlBase64ToUint8Array(options.vapidPublicKey);
    var subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    var response = await fetch(options.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({}, subscription.toJSON(), options.fields)),
      credentials: 'omit'
    });
    if (!response.ok) return { ok: false, reason: 'http ' + response.status };
    return { ok: true, subscription: subscription.toJSON() };
  }
  self.waslPush = { subscribe: subscribe, urlBase64ToUint8Array: urlBase64ToUint8Array };
})();
`;
