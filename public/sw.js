// Parley's service worker (issue 13). Plain JS served as /sw.js, with no
// bundler step, so the browser's update check compares this exact file.
// It keeps the app shell for offline reloads and shows Web Push messages.

/** Bump to drop every cached copy on the next activate (old names are deleted). */
const SHELL_CACHE = "parley-shell-v1";

/**
 * Paths never cached: the live API, the socket, server functions and
 * uploaded files are private or must be fresh, and an old copy of them
 * would be wrong rather than merely stale.
 */
const NEVER_CACHED = /^\/(api|_ws|_serverFn|files|healthz|readyz|metrics)(\/|$)/;

self.addEventListener("install", () => {
  // A new version takes over at once: the shell it caches is the page's own.
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("parley-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      // Pages loaded before the worker was installed are served by it too.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  // Sign-out: the cached pages were rendered for the person leaving.
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.delete(SHELL_CACHE));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) return;
  if (request.mode === "navigate") event.respondWith(networkFirst(request));
  // Built assets carry a content hash in their name: a cached one never goes stale.
  else if (url.pathname.startsWith("/assets/")) event.respondWith(cacheFirst(request));
});

/** A page: the server's answer, kept for later; offline, the last one kept. */
async function networkFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    // Only a real page: a redirect to sign-in or an error page is not the shell.
    if (response.ok && response.type === "basic" && !response.redirected) {
      await cache.put(pageKey(request.url), response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(pageKey(request.url));
    if (cached) return cached;
    throw error;
  }
}

/** One copy per page path: `?m=` links open the same room from the same copy. */
function pageKey(href) {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/**
 * The push payload (pushPayloadSchema in src/protocol/push.ts, checked
 * again here because this file is not bundled with zod), or null when the
 * text is not one. Kept to the fields this worker reads.
 */
function parsePushPayload(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const isText = (v) => typeof v === "string";
  if (value.type === "show") {
    const ok =
      isText(value.tag) &&
      isText(value.title) &&
      isText(value.url) &&
      isText(value.roomId) &&
      Number.isSafeInteger(value.seq) &&
      (value.body === undefined || isText(value.body));
    if (!ok) return null;
    return { type: "show", tag: value.tag, title: value.title, body: value.body, url: value.url };
  }
  if (value.type === "close") {
    if (!Array.isArray(value.tags) || !value.tags.every(isText)) return null;
    return { type: "close", tags: value.tags };
  }
  return null;
}

/** Whether a window of this origin is visible and focused (it shows the message itself). */
async function focusedWindow() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows.some((client) => client.visibilityState === "visible" && client.focused);
}

async function handlePush(payload) {
  if (payload.type === "close") {
    const shown = await self.registration.getNotifications();
    for (const notification of shown) {
      if (payload.tags.includes(notification.tag)) notification.close();
    }
    return;
  }
  if (await focusedWindow()) return;
  await self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    icon: "/icons/icon-192.png",
    data: { url: payload.url },
  });
}

self.addEventListener("push", (event) => {
  const payload = event.data ? parsePushPayload(event.data.text()) : null;
  if (payload) event.waitUntil(handlePush(payload));
});

/** The notification's link if it stays on this origin (a payload names no other site). */
function sameOriginUrl(href) {
  try {
    const url = new URL(href, self.location.origin);
    return url.origin === self.location.origin ? url.href : null;
  } catch {
    return null;
  }
}

async function openNotification(href) {
  const url = sameOriginUrl(href) ?? `${self.location.origin}/`;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const target = windows.find((client) => client.focused) ?? windows[0];
  if (!target) {
    await self.clients.openWindow(url);
    return;
  }
  const focused = await target.focus();
  // navigate() works on controlled windows only; another is opened afresh.
  try {
    await (focused ?? target).navigate(url);
  } catch {
    await self.clients.openWindow(url);
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data;
  event.waitUntil(openNotification(data && typeof data.url === "string" ? data.url : "/"));
});
