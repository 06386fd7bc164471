/**
 * Registers the service worker (public/sw.js) once the page has loaded, so
 * its install never competes with the page's own first requests. Never
 * under `vite dev`: a worker serving cached modules would fight Vite's hot
 * reload, and dev pages are not the built shell it caches.
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || typeof navigator === "undefined") return;
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error: unknown) => {
      // The app works without it (no offline reload, no push): say why once.
      console.warn("service worker not registered:", error);
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

/**
 * Drops the cached pages on sign-out: they were rendered for the person
 * leaving. Resolves once the worker has been told (or there is none).
 */
export async function clearServiceWorkerCache(): Promise<void> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  registration?.active?.postMessage({ type: "clear" });
}
