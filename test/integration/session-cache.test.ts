import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp, upgradeStatus } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { openDb } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const PASSWORD = "correct horse battery";
const tokenOf = (cookie: string) =>
  decodeURIComponent(cookie.split("=")[1] ?? "").split(".")[0] ?? "";
const upgrade = (url: string, cookie: string) => upgradeStatus(url, { cookie, origin: url });

// The upgrade's session lookup is cached for a few seconds
// (session-lookup.server.ts); an ended session must still be refused on
// its very next upgrade, and the fast path must answer as better-auth does.
describe("the upgrade's cached session lookup", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_SESSION_SWEEP_SECONDS: "1" } });
  });
  afterAll(() => server?.stop());

  const sessionRow = (token: string) => {
    const db = openDb(server.dataDir);
    try {
      return db
        .prepare('select "expiresAt" as expiresAt from session where token = ?')
        .get(token) as { expiresAt: string } | undefined;
    } finally {
      db.close();
    }
  };
  const setExpiry = (token: string, at: Date) => {
    const db = openDb(server.dataDir);
    try {
      db.prepare('update session set "expiresAt" = ? where token = ?').run(at.toISOString(), token);
    } finally {
      db.close();
    }
  };

  it("serves a second connect of a session and refuses it right after sign-out", async () => {
    const { cookie } = await signUp(server.url);
    const first = await connect(server.url, cookie);
    const second = await connect(server.url, cookie);
    const out = await httpFrom(server.url, "/api/auth/sign-out", { body: {}, headers: { cookie } });
    expect(out.status).toBe(200);
    expect((await first.closed).code).toBe(4001);
    expect((await second.closed).code).toBe(4001);
    expect(await upgrade(server.url, cookie)).toBe(401);
  });

  it("refuses a session revoked from another session of the user on its next upgrade", async () => {
    const first = await signUp(server.url, { password: PASSWORD });
    const again = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email: first.email, password: PASSWORD },
    });
    const second = again.cookie ?? "";
    // Looked up (and cached), then closed: no socket is left to be revoked.
    const socket = await connect(server.url, second);
    socket.close();
    await socket.closed;
    const revoked = await httpFrom(server.url, "/api/auth/revoke-other-sessions", {
      body: {},
      headers: { cookie: first.cookie },
    });
    expect(revoked.status).toBe(200);
    expect(await upgrade(server.url, second)).toBe(401);
    expect(await upgrade(server.url, first.cookie)).toBe(101);
  });

  it("refuses a session whose row was deleted by hand once the sweep saw it gone", async () => {
    const { cookie } = await signUp(server.url);
    const socket = await connect(server.url, cookie);
    const db = openDb(server.dataDir);
    try {
      db.prepare("delete from session where token = ?").run(tokenOf(cookie));
    } finally {
      db.close();
    }
    expect((await socket.closed).code).toBe(4001);
    expect(await upgrade(server.url, cookie)).toBe(401);
  });

  it("refuses a forged or tampered cookie without a lookup answering it", async () => {
    const { cookie } = await signUp(server.url);
    const [name, value = ""] = cookie.split("=");
    const decoded = decodeURIComponent(value);
    // One character changed, and never to itself (a token may start with "x").
    const swap = decoded.startsWith("x") ? "y" : "x";
    const tampered = `${name}=${encodeURIComponent(`${swap}${decoded.slice(1)}`)}`;
    expect(tampered).not.toBe(cookie);
    expect(await upgrade(server.url, tampered)).toBe(401);
    expect(await upgrade(server.url, `${name}=${tokenOf(cookie)}`)).toBe(401);
    expect(await upgrade(server.url, cookie)).toBe(101);
  });

  it("refuses an expired session and leaves its removal to better-auth", async () => {
    const { cookie } = await signUp(server.url);
    const token = tokenOf(cookie);
    setExpiry(token, new Date(Date.now() - 60_000));
    expect(await upgrade(server.url, cookie)).toBe(401);
    // better-auth deletes an expired session it is asked about.
    await expect.poll(() => sessionRow(token)).toBeUndefined();
  });

  it("lets better-auth refresh a session due for it, as on any other request", async () => {
    const { cookie } = await signUp(server.url);
    const token = tokenOf(cookie);
    // Six days left of seven: past better-auth's one-day update age.
    const soon = new Date(Date.now() + 6 * 86_400_000 - 60_000);
    setExpiry(token, soon);
    const socket = await connect(server.url, cookie);
    const row = sessionRow(token);
    expect(new Date(row?.expiresAt ?? 0).getTime()).toBeGreaterThan(soon.getTime() + 30_000);
    socket.close();
  });
});

const clustered = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

describe.runIf(clustered)("the cached lookup across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
  });
  afterAll(async () => {
    await stopTwoInstances(testDb, [one, two]);
  });

  it("a sign-out on one instance is refused on the other's next upgrade", async () => {
    const { cookie } = await signUp(one.url);
    // Instance two looks the session up in PostgreSQL and caches it.
    const onTwo = await connect(two.url, cookie).catch((error) => {
      throw new Error(`${error}\n${two.output().slice(-3000)}`);
    });
    expect(await upgrade(two.url, cookie)).toBe(101);
    const out = await httpFrom(one.url, "/api/auth/sign-out", { body: {}, headers: { cookie } });
    expect(out.status).toBe(200);
    // The relay's revocation reached two: its socket closed, its cache forgot.
    expect((await onTwo.closed).code).toBe(4001);
    expect(await upgrade(two.url, cookie)).toBe(401);
  });
});
