/**
 * Web Push subscription (issue 13): after notifications are granted, this
 * browser subscribes with the server's VAPID key and hands the
 * subscription to the server, which pushes to it while no tab is visible.
 * Every failure comes back as a sentence for the page, never a throw.
 */

export type PushOutcome = { ok: true } | { ok: false; reason: string };

/** base64url (RFC 4648 §5, padding optional) to bytes, or null when it is not that. */
export function base64UrlToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  const bare = text.replace(/=+$/, "");
  // A length of 1 mod 4 cannot come from any byte string.
  if (bare.length % 4 === 1) return null;
  const base64 = bare.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A P-256 public key as VAPID uses it: 65 bytes, uncompressed (0x04 first). */
export function isVapidKey(bytes: Uint8Array): boolean {
  return bytes.length === 65 && bytes[0] === 0x04;
}

/** The server's refusal as a sentence: its JSON `error` when it gave one. */
async function refusal(response: Response, what: string): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string" && body.error) return `${what}: ${body.error}`;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return `${what} (HTTP ${response.status}).`;
}

/**
 * Subscribes this browser to Web Push and registers it with the server.
 * Needs the service worker (public/sw.js) and a granted permission.
 */
export async function subscribeToPush(): Promise<PushOutcome> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) {
    return { ok: false, reason: "This browser has no service workers, so no push." };
  }
  if (typeof PushManager === "undefined") {
    return { ok: false, reason: "This browser does not support Web Push." };
  }
  try {
    const keyResponse = await fetch("/api/push/key", { credentials: "same-origin" });
    if (!keyResponse.ok) {
      return { ok: false, reason: await refusal(keyResponse, "Push is not available") };
    }
    const { publicKey } = (await keyResponse.json()) as { publicKey?: unknown };
    const key = typeof publicKey === "string" ? base64UrlToBytes(publicKey) : null;
    if (!key || !isVapidKey(key)) {
      return { ok: false, reason: "The server's push key is not a valid VAPID key." };
    }
    // `ready` never settles without a registration (vite dev registers none).
    if (!(await navigator.serviceWorker.getRegistration())) {
      return { ok: false, reason: "The app's service worker is not installed, so no push." };
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key as Uint8Array<ArrayBuffer>,
    });
    const stored = await fetch("/api/push/subscriptions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (!stored.ok) {
      return {
        ok: false,
        reason: await refusal(stored, "The server did not keep the subscription"),
      };
    }
    return { ok: true };
  } catch (error) {
    // Network gone, or the browser's push service refused (blocked, no key match).
    const detail = error instanceof Error && error.message ? ` ${error.message}` : "";
    return { ok: false, reason: `Could not subscribe to push notifications.${detail}` };
  }
}
