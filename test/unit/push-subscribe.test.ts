import { afterEach, describe, expect, it, vi } from "vitest";
import { generateVAPIDKeys } from "web-push";
import { subscribeToPush } from "../../src/client/push-subscribe";

const { publicKey } = generateVAPIDKeys();
const subscriptionJson = {
  endpoint: "https://push.example/abc",
  expirationTime: null,
  keys: { p256dh: "p", auth: "a" },
};

type Calls = { url: string; init?: RequestInit }[];

/**
 * The browser surface subscribeToPush touches (service worker container,
 * PushManager, fetch), with each answer set by the test.
 */
function browser(options: {
  registered?: boolean;
  key?: Response;
  subscribe?: () => Promise<unknown>;
  store?: Response;
}) {
  const calls: Calls = [];
  const subscribe = vi.fn(options.subscribe ?? (async () => ({ toJSON: () => subscriptionJson })));
  const registration = { pushManager: { subscribe } };
  vi.stubGlobal("PushManager", class {});
  vi.stubGlobal("navigator", {
    serviceWorker: {
      getRegistration: async () => (options.registered === false ? undefined : registration),
      ready: Promise.resolve(registration),
    },
  });
  vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    if (url === "/api/push/key") return options.key ?? Response.json({ publicKey });
    return options.store ?? new Response(null, { status: 201 });
  });
  return { calls, subscribe };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("subscribeToPush", () => {
  it("subscribes with the server's key and posts the subscription", async () => {
    const { calls, subscribe } = browser({});
    expect(await subscribeToPush()).toEqual({ ok: true });
    const options = (
      subscribe.mock.calls[0] as unknown[] | undefined
    )?.[0] as PushSubscriptionOptionsInit;
    expect(options.userVisibleOnly).toBe(true);
    expect(Buffer.from(options.applicationServerKey as Uint8Array).toString("base64url")).toBe(
      publicKey,
    );
    const post = calls[1];
    expect(post?.url).toBe("/api/push/subscriptions");
    expect(post?.init).toMatchObject({ method: "POST", credentials: "same-origin" });
    expect(JSON.parse(String(post?.init?.body))).toEqual(subscriptionJson);
  });

  it("says push is off with the server's own reason (503)", async () => {
    browser({ key: Response.json({ error: "Web Push is not configured." }, { status: 503 }) });
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "Push is not available: Web Push is not configured.",
    });
  });

  it("names the status when the refusal is not JSON", async () => {
    browser({ key: new Response("<html>bad gateway</html>", { status: 502 }) });
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "Push is not available (HTTP 502).",
    });
  });

  it("refuses a key that is not a VAPID public key", async () => {
    const { subscribe } = browser({ key: Response.json({ publicKey: "c2hvcnQ" }) });
    expect(await subscribeToPush()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/VAPID/),
    });
    expect(subscribe).not.toHaveBeenCalled();
  });

  it("reports the push service's refusal", async () => {
    browser({
      subscribe: async () => {
        throw new DOMException("Registration failed - push service error", "AbortError");
      },
    });
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "Could not subscribe to push notifications. Registration failed - push service error",
    });
  });

  it("reports a server that did not keep the subscription", async () => {
    browser({ store: Response.json({ error: "Not signed in." }, { status: 401 }) });
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "The server did not keep the subscription: Not signed in.",
    });
  });

  it("says so when the worker is not installed instead of waiting forever", async () => {
    browser({ registered: false });
    expect(await subscribeToPush()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/service worker/),
    });
  });

  it("says so where the browser has no Web Push", async () => {
    vi.stubGlobal("navigator", {});
    expect(await subscribeToPush()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/service workers/),
    });
    vi.stubGlobal("navigator", { serviceWorker: {} });
    vi.stubGlobal("PushManager", undefined);
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "This browser does not support Web Push.",
    });
  });

  it("reports a network failure", async () => {
    browser({});
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await subscribeToPush()).toEqual({
      ok: false,
      reason: "Could not subscribe to push notifications. Failed to fetch",
    });
  });
});
