/*
 * The console's service worker, for Web Push only (it serves no pages: its scope is /assets/).
 * The relay's push channel sends {title, body, url, tag} encrypted; the browser decrypts it and
 * this shows it. A click opens the deep link: an open console tab is focused and asked to go
 * there, else a new window opens.
 */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  const title = message.title || 'shopflow';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || '',
      tag: message.tag,
      data: { url: message.url || '/' },
      lang: 'vi',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  event.waitUntil(
    (async () => {
      // Only our own console's pages: a link to another site is opened as a new window, never navigated into.
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = target.origin === self.location.origin && windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        open.postMessage({ openUrl: target.href });
        return;
      }
      await self.clients.openWindow(target.href);
    })(),
  );
});
