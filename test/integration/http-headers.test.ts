import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { type RunningServer, startServer } from "../helpers/server";

// F-18: HSTS with an https public URL; private answers are never cached.
describe("transport and cache headers", () => {
  let plain: RunningServer;
  let https: RunningServer;
  beforeAll(async () => {
    [plain, https] = await Promise.all([
      startServer(),
      startServer({ env: { PARLEY_PUBLIC_URL: "https://chat.example.com" } }),
    ]);
  });
  afterAll(() => Promise.all([plain?.stop(), https?.stop()]));

  it("sends Strict-Transport-Security only when the public URL is https", async () => {
    const secure = await httpFrom(https.url, "/sign-in");
    expect(secure.headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    const insecure = await httpFrom(plain.url, "/sign-in");
    expect(insecure.headers["strict-transport-security"]).toBeUndefined();
  });

  it("marks signed-in pages, room pages, auth and server-function answers no-store", async () => {
    const { cookie } = await signUp(plain.url);
    const answers = {
      home: await httpFrom(plain.url, "/", { headers: { cookie } }),
      room: await httpFrom(plain.url, "/r/general", { headers: { cookie } }),
      session: await httpFrom(plain.url, "/api/auth/get-session", { headers: { cookie } }),
      signIn: await httpFrom(plain.url, "/api/auth/sign-in/email", {
        body: { email: "x@example.test", password: "wrong password" },
      }),
      serverFn: await httpFrom(plain.url, "/_serverFn/nothing", { body: {}, headers: { cookie } }),
    };
    for (const [what, answer] of Object.entries(answers)) {
      expect([what, answer.headers["cache-control"]]).toEqual([what, "no-store"]);
    }
  });
});
