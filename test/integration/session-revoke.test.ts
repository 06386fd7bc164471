import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp, type TestSocket } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { joinAs, openDb, roomIdFromReady, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

const PASSWORD = "correct horse battery";

// F-6: every way a session ends closes its sockets at once.
describe("revoked sessions lose their sockets", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_SESSION_SWEEP_SECONDS: "1" } });
  });
  afterAll(() => server?.stop());

  /** One user signed in twice: the first session's cookie, the second's cookie and socket. */
  const twoSessions = async () => {
    const first = await signUp(server.url, { password: PASSWORD });
    const again = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email: first.email, password: PASSWORD },
    });
    expect(again.status).toBe(200);
    const second = again.cookie ?? "";
    const socket = await connect(server.url, second);
    return { first: first.cookie, second, socket };
  };

  const closedWithin = async (socket: TestSocket, ms: number, started: number) => {
    const closed = await Promise.race([
      socket.closed,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms)),
    ]);
    const took = Date.now() - started;
    return { closed, took };
  };

  const tokenOf = async (cookie: string, other: string) => {
    const list = await httpFrom(server.url, "/api/auth/list-sessions", { headers: { cookie } });
    const sessions = JSON.parse(list.text) as { token: string }[];
    const own = await httpFrom(server.url, "/api/auth/get-session", { headers: { cookie: other } });
    const wanted = (own.json().session as { token: string }).token;
    return sessions.find((s) => s.token === wanted)?.token ?? "";
  };

  it.each([
    [
      "change-password with revokeOtherSessions",
      async (first: string) => ({
        path: "/api/auth/change-password",
        body: {
          currentPassword: PASSWORD,
          newPassword: "another good password",
          revokeOtherSessions: true,
        },
        cookie: first,
      }),
    ],
    [
      "revoke-other-sessions",
      async (first: string) => ({
        path: "/api/auth/revoke-other-sessions",
        body: {},
        cookie: first,
      }),
    ],
    [
      "revoke-sessions",
      async (first: string) => ({
        path: "/api/auth/revoke-sessions",
        body: {},
        cookie: first,
      }),
    ],
    [
      "revoke-session",
      async (first: string, second: string) => ({
        path: "/api/auth/revoke-session",
        body: { token: await tokenOf(first, second) },
        cookie: first,
      }),
    ],
  ])("%s closes the other session's socket within 1 s", async (_what, make) => {
    const { first, second, socket } = await twoSessions();
    const call = await make(first, second);
    const started = Date.now();
    const answer = await httpFrom(server.url, call.path, {
      body: call.body,
      headers: { cookie: call.cookie },
    });
    expect(answer.status).toBe(200);
    const { closed, took } = await closedWithin(socket, 1_000, started);
    console.log(`${_what}: socket closed after ${took} ms`);
    expect(closed?.code).toBe(4001);
  });

  it("a session row deleted from the database closes its socket by the next sweep", async () => {
    const { cookie } = await signUp(server.url);
    const socket = await connect(server.url, cookie);
    const token = decodeURIComponent(cookie.split("=")[1] ?? "").split(".")[0] ?? "";
    const started = Date.now();
    const db = openDb(server.dataDir);
    try {
      expect(db.prepare("DELETE FROM session WHERE token = ?").run(token).changes).toBe(1);
    } finally {
      db.close();
    }
    const { closed, took } = await closedWithin(socket, 5_000, started);
    console.log(`deleted session: socket closed after ${took} ms (sweep every 1 s)`);
    expect(closed?.code).toBe(4001);
  });

  it("leaves the sockets of sessions that still exist alone", async () => {
    const live = await joinAs(server.url);
    const other = await signUp(server.url);
    const doomed = await connect(server.url, other.cookie);
    const token = decodeURIComponent(other.cookie.split("=")[1] ?? "").split(".")[0] ?? "";
    const db = openDb(server.dataDir);
    try {
      db.prepare("DELETE FROM session WHERE token = ?").run(token);
    } finally {
      db.close();
    }
    // The sweep that closed this one asked about both tokens in one query.
    expect((await doomed.closed).code).toBe(4001);
    // The live socket is still open and served: a send is acked.
    const general = roomIdFromReady(live.socket, "general");
    const message = await sendAndAck(live.socket, general, "still here");
    expect(message.text).toBe("still here");
    live.socket.close();
  });
});
