import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, signUp, type TestSocket, upgradeStatus } from "../helpers/clients";
import { type HttpAnswer, httpFrom } from "../helpers/http-from";
import { openDb, roomIdFromReady, sendAndAck } from "../helpers/integration-extra";
import { usePostgresServer } from "../helpers/postgres-server";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable } from "../helpers/services";
import { awayFromBoundary, secretOf, totpAt } from "../helpers/totp";

const PASSWORD = "correct horse battery";
const SERVER_NAME = "Acme Chat";

/** Every cookie an answer set, as one Cookie header (name=value; ...), empty ones dropped. */
function cookiesOf(answer: HttpAnswer): string {
  const set = answer.headers["set-cookie"];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  return list
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c.split("=")[1])
    .join("; ");
}

/** A socket is still served: a send on it is acked. */
async function stillServed(socket: TestSocket, text: string) {
  const general = roomIdFromReady(socket, "general");
  expect((await sendAndAck(socket, general, text)).text).toBe(text);
}

describe("two-factor authentication (TOTP)", () => {
  let server: RunningServer;
  const setSetting = (key: string, value: unknown) => {
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO server_setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(key, JSON.stringify(value));
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    server = await startServer();
    setSetting("serverName", SERVER_NAME);
  });
  afterAll(() => server?.stop());

  const post = (path: string, body: unknown, cookie?: string) =>
    httpFrom(server.url, `/api/auth${path}`, { body, headers: cookie ? { cookie } : {} });

  /** A new user with TOTP set up (the setup's own code one step behind); its secret, codes, cookie. */
  async function withTwoFactor() {
    const user = await signUp(server.url, { password: PASSWORD });
    const enabled = await post("/two-factor/enable", { password: PASSWORD }, user.cookie);
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = enabled.json() as { totpURI: string; backupCodes: string[] };
    const secret = secretOf(totpURI);
    const step = await awayFromBoundary();
    const verified = await post(
      "/two-factor/verify-totp",
      { code: totpAt(secret, step) },
      user.cookie,
    );
    expect(verified.status).toBe(200);
    return { ...user, secret, backupCodes, cookie: verified.cookie ?? "", totpURI };
  }

  /** The password step of a sign-in: the two-factor challenge cookie it left. */
  async function passwordStep(email: string): Promise<string> {
    const answer = await post("/sign-in/email", { email, password: PASSWORD });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ twoFactorRedirect: true, twoFactorMethods: ["totp"] });
    // No session yet: only the challenge (the session cookie is cleared, if set at all).
    expect(answer.cookie ?? "better-auth.session_token=").toBe("better-auth.session_token=");
    const challenge = cookiesOf(answer);
    expect(challenge).toContain("two_factor=");
    return challenge;
  }

  it("setup: refuses a wrong password, names the server as issuer, accepts a step behind", async () => {
    const user = await signUp(server.url, { password: PASSWORD });
    const wrong = await post("/two-factor/enable", { password: "not the password" }, user.cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.json().code).toBe("INVALID_PASSWORD");

    const enabled = await post(
      "/two-factor/enable",
      { password: PASSWORD, issuer: "Someone Else" },
      user.cookie,
    );
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = enabled.json() as { totpURI: string; backupCodes: string[] };
    const uri = new URL(totpURI);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("issuer")).toBe(SERVER_NAME);
    expect(decodeURIComponent(uri.pathname)).toContain(`${SERVER_NAME}:${user.email}`);
    expect(secretOf(totpURI)).toMatch(/^[A-Z2-7]{32,}$/);
    expect(backupCodes).toHaveLength(10);

    const secret = secretOf(totpURI);
    // Not on until a code is verified: a sign-in asks for no code yet.
    const early = await post("/sign-in/email", { email: user.email, password: PASSWORD });
    expect(early.json().twoFactorRedirect).toBeUndefined();

    let step = await awayFromBoundary();
    for (const far of [-2, 2]) {
      const refused = await post(
        "/two-factor/verify-totp",
        { code: totpAt(secret, step + far) },
        user.cookie,
      );
      expect(refused.status, `a code ${far} steps away`).toBe(401);
      expect(refused.json().code).toBe("INVALID_CODE");
    }
    step = await awayFromBoundary();
    const accepted = await post(
      "/two-factor/verify-totp",
      { code: totpAt(secret, step - 1) },
      user.cookie,
    );
    expect(accepted.status).toBe(200);
    // Turning it on replaced the session: the new cookie works, the old one is gone.
    expect(accepted.cookie).toBeDefined();
    const me = await httpFrom(server.url, "/api/auth/get-session", {
      headers: { cookie: accepted.cookie ?? "" },
    });
    expect((me.json().user as { twoFactorEnabled: boolean }).twoFactorEnabled).toBe(true);
  });

  it("sign-in asks for the code: none gives no session, a step ahead is accepted", async () => {
    const user = await withTwoFactor();
    const challenge = await passwordStep(user.email);
    // The challenge is no session: the socket and the pages refuse it.
    expect(await upgradeStatus(server.url, { cookie: challenge, origin: server.url })).toBe(401);
    const page = await getPage(server.url, "/r/general", challenge);
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(page.headers.get("location")).toContain("/sign-in");

    let step = await awayFromBoundary();
    for (const far of [2, -2]) {
      const refused = await post(
        "/two-factor/verify-totp",
        { code: totpAt(user.secret, step + far) },
        challenge,
      );
      expect(refused.status, `a code ${far} steps away`).toBe(401);
      expect(refused.json().code).toBe("INVALID_CODE");
      expect(refused.cookie).toBeUndefined();
    }
    step = await awayFromBoundary();
    const accepted = await post(
      "/two-factor/verify-totp",
      { code: totpAt(user.secret, step + 1) },
      challenge,
    );
    expect(accepted.status).toBe(200);
    const cookie = accepted.cookie ?? "";
    expect(cookie).not.toBe("");
    const socket = await connect(server.url, cookie);
    const ready = socket.frames.find((f) => f.type === "ready") as unknown as {
      user: { name: string };
    };
    expect(ready.user.name).toBe(user.name);
    socket.close();
    // The challenge is used up: the same cookie cannot make a second session.
    step = await awayFromBoundary();
    const again = await post(
      "/two-factor/verify-totp",
      { code: totpAt(user.secret, step) },
      challenge,
    );
    expect(again.status).toBe(401);
    expect(again.json().code).toBe("INVALID_TWO_FACTOR_COOKIE");
  });

  it("five wrong codes end the challenge", async () => {
    const user = await withTwoFactor();
    const challenge = await passwordStep(user.email);
    const step = await awayFromBoundary(2_000);
    const wrong = totpAt(user.secret, step + 5);
    for (let i = 0; i < 5; i++) {
      expect((await post("/two-factor/verify-totp", { code: wrong }, challenge)).status).toBe(401);
    }
    const sixth = await post(
      "/two-factor/verify-totp",
      { code: totpAt(user.secret, step) },
      challenge,
    );
    expect(sixth.status).toBe(400);
    expect(sixth.json().code).toBe("TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE");
  });

  it("a recovery code signs in once", async () => {
    const user = await withTwoFactor();
    const code = user.backupCodes[0] ?? "";
    const first = await post(
      "/two-factor/verify-backup-code",
      { code },
      await passwordStep(user.email),
    );
    expect(first.status).toBe(200);
    expect(first.cookie).toBeDefined();
    const second = await post(
      "/two-factor/verify-backup-code",
      { code },
      await passwordStep(user.email),
    );
    expect(second.status).toBe(401);
    expect(second.json().code).toBe("INVALID_BACKUP_CODE");
    // Another of the codes still works.
    const other = await post(
      "/two-factor/verify-backup-code",
      { code: user.backupCodes[1] },
      await passwordStep(user.email),
    );
    expect(other.status).toBe(200);
  });

  it("turning it off asks the password; sign-in then needs no code", async () => {
    const user = await withTwoFactor();
    const wrong = await post("/two-factor/disable", { password: "nope nope nope" }, user.cookie);
    expect(wrong.status).toBe(400);
    const off = await post("/two-factor/disable", { password: PASSWORD }, user.cookie);
    expect(off.status).toBe(200);
    const signIn = await post("/sign-in/email", { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.json().twoFactorRedirect).toBeUndefined();
    expect(signIn.cookie).toBeDefined();
  });

  it("the security page shows the setup button, or the state once on", async () => {
    const plain = await signUp(server.url, { password: PASSWORD });
    const page = await getPage(server.url, "/settings/security", plain.cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Set up two-factor authentication");
    expect(page.html).toContain("This device");
    const on = await withTwoFactor();
    const after = await getPage(server.url, "/settings/security", on.cookie);
    expect(after.html).toContain("Turn off two-factor authentication");
    const signedOut = await getPage(server.url, "/settings/security");
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  });
});

describe("sessions", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  /** One user signed in on three devices, each with a socket. */
  async function threeDevices() {
    const first = await signUp(server.url, { password: PASSWORD });
    // Opening the room joins it: the sockets can then post there.
    await getPage(server.url, "/r/general", first.cookie);
    const cookies = [first.cookie];
    for (const agent of ["Firefox/133.0", "Chrome/131.0.0.0 Safari/537.36"]) {
      const again = await httpFrom(server.url, "/api/auth/sign-in/email", {
        body: { email: first.email, password: PASSWORD },
        headers: { "user-agent": `Mozilla/5.0 (X11; Linux x86_64) ${agent}` },
      });
      expect(again.status).toBe(200);
      cookies.push(again.cookie ?? "");
    }
    const sockets = await Promise.all(cookies.map((cookie) => connect(server.url, cookie)));
    return { cookies, sockets };
  }

  const tokenOf = (cookie: string) =>
    decodeURIComponent(cookie.split("=")[1] ?? "").split(".")[0] ?? "";

  it("are listed with browser, system and address; this device marked", async () => {
    const { cookies, sockets } = await threeDevices();
    const page = await callServerFn<{
      sessions: { token: string; browser: string; os: string; ip: string; current: boolean }[];
    }>(server.url, "securityPageFn", undefined, { cookie: cookies[0], method: "GET" });
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    const rows = page.result.sessions;
    expect(rows).toHaveLength(3);
    expect(rows[0]?.current).toBe(true);
    expect(rows[0]?.token).toBe(tokenOf(cookies[0] ?? ""));
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    expect(rows.map((r) => r.browser).sort()).toEqual(
      expect.arrayContaining(["Firefox 133", "Chrome 131"]),
    );
    expect(rows.find((r) => r.browser === "Firefox 133")?.os).toBe("Linux");
    for (const row of rows) expect(row.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    for (const socket of sockets) socket.close();
  });

  it("Sign out closes that session's socket, and only that one", async () => {
    const { cookies, sockets } = await threeDevices();
    const [mine, doomed, other] = sockets as [TestSocket, TestSocket, TestSocket];
    const started = Date.now();
    const revoked = await httpFrom(server.url, "/api/auth/revoke-session", {
      body: { token: tokenOf(cookies[1] ?? "") },
      headers: { cookie: cookies[0] ?? "" },
    });
    expect(revoked.status).toBe(200);
    const closed = await Promise.race([
      doomed.closed,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000)),
    ]);
    console.log(`revoke-session: socket closed after ${Date.now() - started} ms`);
    expect(closed?.code).toBe(4001);
    await stillServed(mine, "still here (this device)");
    await stillServed(other, "still here (the third device)");
    const gone = await httpFrom(server.url, "/api/auth/get-session", {
      headers: { cookie: cookies[1] ?? "" },
    });
    expect(gone.text).toBe("null");
    mine.close();
    other.close();
  });

  it("Sign out everywhere else keeps this session and its socket", async () => {
    const { cookies, sockets } = await threeDevices();
    const [mine, ...others] = sockets as [TestSocket, TestSocket, TestSocket];
    const revoked = await httpFrom(server.url, "/api/auth/revoke-other-sessions", {
      body: {},
      headers: { cookie: cookies[0] ?? "" },
    });
    expect(revoked.status).toBe(200);
    for (const socket of others) expect((await socket.closed).code).toBe(4001);
    await stillServed(mine, "the one left");
    const list = await httpFrom(server.url, "/api/auth/list-sessions", {
      headers: { cookie: cookies[0] ?? "" },
    });
    expect((JSON.parse(list.text) as unknown[]).length).toBe(1);
    mine.close();
  });
});

describe("require two-factor authentication", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO server_setting (key, value) VALUES ('requireTwoFactor', 'true')",
      ).run();
    } finally {
      db.close();
    }
  });
  afterAll(() => server?.stop());

  it("sends a user without it to /settings/security and refuses the chat's server functions", async () => {
    const user = await signUp(server.url, { password: PASSWORD });
    for (const path of ["/r/general", "/saved", "/rooms"]) {
      const page = await getPage(server.url, path, user.cookie);
      expect(page.status, path).toBeGreaterThanOrEqual(300);
      expect(page.status, path).toBeLessThan(400);
      expect(page.headers.get("location"), path).toBe("/settings/security");
    }
    const security = await getPage(server.url, "/settings/security", user.cookie);
    expect(security.status).toBe(200);
    expect(security.html).toContain(
      "Your server requires two-factor authentication. Set it up to continue.",
    );
    const saved = await callServerFn(server.url, "savedFn", undefined, {
      cookie: user.cookie,
      method: "GET",
    });
    expect(saved.ok).toBe(false);
    if (!saved.ok) expect(saved.error.message).toContain("requires two-factor");

    // Once set up, the pages and functions are open again.
    const enabled = await httpFrom(server.url, "/api/auth/two-factor/enable", {
      body: { password: PASSWORD },
      headers: { cookie: user.cookie },
    });
    const secret = secretOf((enabled.json() as { totpURI: string }).totpURI);
    const verified = await httpFrom(server.url, "/api/auth/two-factor/verify-totp", {
      body: { code: totpAt(secret, await awayFromBoundary()) },
      headers: { cookie: user.cookie },
    });
    expect(verified.status).toBe(200);
    const cookie = verified.cookie ?? "";
    expect((await getPage(server.url, "/saved", cookie)).status).toBe(200);
    const after = await callServerFn(server.url, "savedFn", undefined, { cookie, method: "GET" });
    expect(after.ok).toBe(true);
    const page = await getPage(server.url, "/settings/security", cookie);
    expect(page.html).not.toContain("Set it up to continue");
  });
});

const pgReady = await postgresAvailable();

// better-auth's migration makes the twoFactor table on PostgreSQL too.
describe.runIf(pgReady)("two-factor on PostgreSQL (built server)", () => {
  const server = usePostgresServer("parley_two_factor");

  it("sets up TOTP and signs in with a code and a recovery code", async () => {
    const url = server().url;
    const post = (path: string, body: unknown, cookie?: string) =>
      httpFrom(url, `/api/auth${path}`, { body, headers: cookie ? { cookie } : {} });
    const user = await signUp(url, { password: PASSWORD });
    const enabled = await post("/two-factor/enable", { password: PASSWORD }, user.cookie);
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = enabled.json() as { totpURI: string; backupCodes: string[] };
    const secret = secretOf(totpURI);
    let step = await awayFromBoundary();
    expect(
      (await post("/two-factor/verify-totp", { code: totpAt(secret, step + 2) }, user.cookie))
        .status,
    ).toBe(401);
    expect(
      (await post("/two-factor/verify-totp", { code: totpAt(secret, step + 1) }, user.cookie))
        .status,
    ).toBe(200);
    const challenge = cookiesOf(
      await post("/sign-in/email", { email: user.email, password: PASSWORD }),
    );
    step = await awayFromBoundary();
    const signedIn = await post(
      "/two-factor/verify-totp",
      { code: totpAt(secret, step) },
      challenge,
    );
    expect(signedIn.status).toBe(200);
    const again = cookiesOf(
      await post("/sign-in/email", { email: user.email, password: PASSWORD }),
    );
    const recovered = await post("/two-factor/verify-backup-code", { code: backupCodes[0] }, again);
    expect(recovered.status).toBe(200);
    expect(recovered.cookie).toBeDefined();
  });
});
