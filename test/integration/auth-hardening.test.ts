import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { type RunningServer, startServer } from "../helpers/server";

describe("sign-in abuse and session cookies", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_AUTH_ATTEMPTS_PER_MINUTE: "3" } });
  });
  afterAll(() => server?.stop());

  const signIn = (password: string) =>
    fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "victim@example.test", password }),
    });

  it("answers repeated sign-in attempts from one address with 429 and a clear message", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn(`guess-${i}-password`)).status);
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const body = await (await signIn("another-guess")).json();
    expect(JSON.stringify(body)).toMatch(/too many/i);
  });
});

describe("session cookie attributes", () => {
  let plain: RunningServer;
  let secure: RunningServer;
  beforeAll(async () => {
    [plain, secure] = await Promise.all([
      startServer(),
      startServer({ env: { PARLEY_PUBLIC_URL: "https://chat.example.com" } }),
    ]);
  });
  afterAll(() => Promise.all([plain?.stop(), secure?.stop()]));

  const cookieOf = async (server: RunningServer, origin: string) => {
    const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({
        name: "C",
        email: `c-${Date.now()}@example.test`,
        password: "correct horse battery",
      }),
    });
    return response.headers.getSetCookie().find((c) => c.includes("session_token")) ?? "";
  };

  it("is HttpOnly and SameSite=Lax, not Secure over plain http", async () => {
    const cookie = await cookieOf(plain, plain.url);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect((await signUp(plain.url)).cookie).toMatch(/^better-auth\.session_token=/);
  });

  it("is Secure when the public URL is https", async () => {
    const cookie = await cookieOf(secure, "https://chat.example.com");
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });
});
