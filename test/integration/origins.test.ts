import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, upgradeStatus } from "../helpers/clients";
import { startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

const allowed = "https://chat.example.com";
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  // Served as in `npm run serve`: under vitest's NODE_ENV=test better-auth
  // would skip the origin check this file also covers.
  server = await startServeLike({
    env: { PARLEY_ALLOWED_ORIGINS: `${allowed}, https://b.example` },
  });
  ({ cookie } = await signUp(server.url));
});
afterAll(() => server?.stop());

describe("PARLEY_ALLOWED_ORIGINS guards the websocket upgrade", () => {
  it("accepts a configured origin with a valid cookie (101)", async () => {
    expect(await upgradeStatus(server.url, { cookie, origin: allowed })).toBe(101);
    expect(await upgradeStatus(server.url, { cookie, origin: "https://b.example" })).toBe(101);
  });

  it("still accepts the app's own origin and a client that sends no Origin", async () => {
    expect(await upgradeStatus(server.url, { cookie, origin: server.url })).toBe(101);
    expect(await upgradeStatus(server.url, { cookie })).toBe(101);
  });

  it.each([
    "https://evil.example",
    "http://chat.example.com",
    "https://chat.example.com:8443",
    "https://chat.example.com.evil.example",
    "https://sub.chat.example.com",
    "null",
  ])("refuses %s with 403 even with a valid cookie", async (origin) => {
    expect(await upgradeStatus(server.url, { cookie, origin })).toBe(403);
  });

  it("a configured origin without a session is still 401", async () => {
    expect(await upgradeStatus(server.url, { origin: allowed })).toBe(401);
  });
});

describe("the Origin check compares scheme, host and port (F-18)", () => {
  it("refuses an https Origin with the right host against a plain-http server (403)", async () => {
    const https = server.url.replace(/^http:/, "https:");
    expect(await upgradeStatus(server.url, { cookie, origin: https })).toBe(403);
    // An X-Forwarded-Proto from a proxy that is not trusted changes nothing.
    const spoofed = { cookie, origin: https, "x-forwarded-proto": "https" };
    expect(await upgradeStatus(server.url, spoofed)).toBe(403);
  });

  it("behind a trusted proxy, the scheme comes from X-Forwarded-Proto", async () => {
    const proxied = await startServeLike({ env: { PARLEY_TRUST_PROXY: "true" } });
    try {
      const user = await signUp(proxied.url);
      const https = proxied.url.replace(/^http:/, "https:");
      const overTls = { cookie: user.cookie, "x-forwarded-proto": "https" };
      expect(await upgradeStatus(proxied.url, { ...overTls, origin: https })).toBe(101);
      // The page was https, so an http Origin is not the app's.
      expect(await upgradeStatus(proxied.url, { ...overTls, origin: proxied.url })).toBe(403);
      expect(await upgradeStatus(proxied.url, { cookie: user.cookie, origin: https })).toBe(403);
    } finally {
      await proxied.stop();
    }
  });
});

describe("PARLEY_ALLOWED_ORIGINS is shared with the auth API", () => {
  const signUpFrom = (origin: string) =>
    fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      // A cookie makes it a credentialed request, which better-auth origin-checks.
      headers: { "content-type": "application/json", origin, cookie: "theme=dark" },
      body: JSON.stringify({
        name: "Cross",
        email: `cross-${randomUUID()}@example.test`,
        password: "long enough password",
      }),
    });

  it("accepts a sign-up from a configured origin", async () => {
    expect((await signUpFrom(allowed)).status).toBe(200);
  });

  it("refuses a sign-up from a foreign origin with 403 INVALID_ORIGIN", async () => {
    const response = await signUpFrom("https://evil.example");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code?: string }).code).toBe("INVALID_ORIGIN");
  });
});
