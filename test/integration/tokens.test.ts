import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWithToken, makeBot, makeBotToken } from "../helpers/bots";
import { connect, type Frame, signUp, upgradeStatus } from "../helpers/clients";
import { httpFrom, waitFor } from "../helpers/http-from";
import {
  joinAs,
  type Member,
  openDb,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

type Made = { ok: true; id: string; token: string } | { ok: false; error: string };
type Listed = {
  tokens: { id: string; name: string; scopes: string[]; expiresAt: number | null }[];
  mayGrantAdmin: boolean;
};

// Issue 15: personal access tokens, bots, and tokens on /_ws (one SQLite instance).
describe("tokens and bots", () => {
  let server: RunningServer;
  let owner: Member;
  let member: Member;
  let general: string;
  const wsUrl = () => server.url;

  const create = (cookie: string, data: object) =>
    callServerFn<Made>(server.url, "createMyTokenFn", data, { cookie });

  beforeAll(async () => {
    // A sweep every second: the test below sees that it keeps token sockets open.
    server = await startServeLike({ env: { PARLEY_SESSION_SWEEP_SECONDS: "1" } });
    owner = await joinAs(server.url);
    member = await joinAs(server.url);
    general = roomIdFromReady(owner.socket, "general");
  });

  afterAll(async () => {
    owner?.socket.close();
    member?.socket.close();
    await server?.stop();
  });

  it("creates a token shown once, lists it without the secret, and refuses bad input", async () => {
    const made = await create(member.cookie, { name: "CI", scopes: ["read"], expiresAt: null });
    expect(made).toMatchObject({ ok: true, result: { ok: true } });
    const { token, id } = made.ok && made.result.ok ? made.result : { token: "", id: "" };
    expect(token).toMatch(/^pat_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    const listed = await callServerFn<Listed>(server.url, "myTokensFn", undefined, {
      cookie: member.cookie,
      method: "GET",
    });
    expect(listed).toMatchObject({ ok: true, result: { mayGrantAdmin: false } });
    const rows = listed.ok ? listed.result.tokens : [];
    expect(rows).toEqual([expect.objectContaining({ id, name: "CI", scopes: ["read"] })]);
    expect(JSON.stringify(listed)).not.toContain(token.slice(17));
    const refusals: [object, string][] = [
      [{ name: "", scopes: ["read"], expiresAt: null }, "Give the token a name."],
      [{ name: "x".repeat(81), scopes: ["read"], expiresAt: null }, "at most 80 characters"],
      [{ name: "a", scopes: [], expiresAt: null }, "Choose at least one scope."],
      [{ name: "a", scopes: ["sudo"], expiresAt: null }, 'Unknown scope "sudo".'],
      [{ name: "a", scopes: ["read"], expiresAt: Date.now() - 1 }, "in the future"],
      [{ name: "a", scopes: ["admin"], expiresAt: null }, "admin scope"],
    ];
    for (const [data, error] of refusals) {
      const answer = await create(member.cookie, data);
      expect(answer.ok && !answer.result.ok && answer.result.error, JSON.stringify(data)).toContain(
        error,
      );
    }
    // Malformed bodies never reach the rules.
    const malformed = await create(member.cookie, { name: 5, scopes: "read", expiresAt: "soon" });
    expect(malformed.ok).toBe(false);
    // Nothing was stored by any refusal.
    const after = await callServerFn<Listed>(server.url, "myTokensFn", undefined, {
      cookie: member.cookie,
      method: "GET",
    });
    expect(after.ok && after.result.tokens.map((t) => t.id)).toEqual([id]);
    // An owner may grant admin.
    const admin = await create(owner.cookie, {
      name: "ops",
      scopes: ["admin"],
      expiresAt: Date.now() + 86_400_000,
    });
    expect(admin).toMatchObject({ ok: true, result: { ok: true } });
  });

  it("refuses every token function without a session", async () => {
    const answers = await Promise.all([
      callServerFn(server.url, "myTokensFn", undefined, { method: "GET" }),
      callServerFn(server.url, "createMyTokenFn", { name: "a", scopes: ["read"], expiresAt: null }),
      callServerFn(server.url, "revokeMyTokenFn", { id: "aaaaaaaaaaaa" }),
    ]);
    for (const answer of answers) {
      expect(answer.ok).toBe(false);
      expect(!answer.ok && answer.error.message).toContain("not signed in");
    }
  });

  it("opens /_ws with a token (no Origin), keeps it through sweeps, and refuses bad ones", async () => {
    const made = await create(member.cookie, { name: "ws", scopes: ["read"], expiresAt: null });
    const token = made.ok && made.result.ok ? made.result.token : "";
    const socket = await connectWithToken(wsUrl(), token);
    const ready = socket.frames.find((f) => f.type === "ready") as Frame & {
      user: { id: string };
    };
    expect(ready.user.id).toBe(member.userId);
    // A cookie socket whose session row is deleted by hand closes at the next
    // sweep: once it has, a sweep ran, and the token's socket is still open.
    const other = await signUp(server.url);
    const doomed = await connect(server.url, other.cookie);
    const db = openDb(server.dataDir);
    try {
      db.prepare(`delete from session where "userId" = (select id from user where email = ?)`).run(
        other.email,
      );
    } finally {
      db.close();
    }
    expect((await doomed.closed).code).toBe(4001);
    const ref = randomUUID();
    socket.send({ type: "ping", ref });
    await socket.next((f) => f.type === "ok" && f.ref === ref);
    // A browser's foreign Origin is refused as ever; garbage and unknown tokens are 401.
    expect(
      await upgradeStatus(server.url, {
        authorization: `Bearer ${token}`,
        origin: "https://evil.example",
      }),
    ).toBe(403);
    const unknown = `pat_${"a".repeat(12)}_${"b".repeat(43)}`;
    for (const header of [
      "Bearer nonsense",
      `Bearer ${unknown}`,
      "Basic abc",
      `Bearer ${token}x`,
    ]) {
      expect(await upgradeStatus(server.url, { authorization: header }), header).toBe(401);
    }
    // Logged (and counted) apart from a tab without a session.
    await waitFor("the bad_token log line", () =>
      server.output().includes('"reason":"bad_token"') ? true : undefined,
    );
    // An expired token: refused at the upgrade, and its open socket closed by the sweep.
    const expiring = await create(member.cookie, {
      name: "short",
      scopes: ["read"],
      expiresAt: Date.now() + 60_000,
    });
    const short = expiring.ok && expiring.result.ok ? expiring.result : { id: "", token: "" };
    const shortSocket = await connectWithToken(wsUrl(), short.token);
    const db2 = openDb(server.dataDir);
    try {
      db2.prepare("update api_token set expires_at = ? where id = ?").run(Date.now() - 1, short.id);
    } finally {
      db2.close();
    }
    expect((await shortSocket.closed).code).toBe(4001);
    expect(await upgradeStatus(server.url, { authorization: `Bearer ${short.token}` })).toBe(401);
    // A row whose scopes hold nothing known (no token made here can) grants nothing: 403.
    const odd = await create(member.cookie, { name: "odd", scopes: ["read"], expiresAt: null });
    const oddToken = odd.ok && odd.result.ok ? odd.result : { id: "", token: "" };
    const db3 = openDb(server.dataDir);
    try {
      db3.prepare("update api_token set scopes = 'sudo' where id = ?").run(oddToken.id);
    } finally {
      db3.close();
    }
    expect(await upgradeStatus(server.url, { authorization: `Bearer ${oddToken.token}` })).toBe(
      403,
    );
    socket.close();
  });

  it("closes a revoked token's sockets at once and refuses it after", async () => {
    const made = await create(member.cookie, { name: "rev", scopes: ["read"], expiresAt: null });
    const { id, token } = made.ok && made.result.ok ? made.result : { id: "", token: "" };
    const sockets = await Promise.all([
      connectWithToken(wsUrl(), token),
      connectWithToken(wsUrl(), token),
    ]);
    // Someone else cannot revoke it.
    const foreign = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "revokeMyTokenFn",
      { id },
      { cookie: owner.cookie },
    );
    expect(foreign).toMatchObject({ ok: true, result: { ok: false } });
    const revoked = await callServerFn(
      server.url,
      "revokeMyTokenFn",
      { id },
      { cookie: member.cookie },
    );
    expect(revoked).toMatchObject({ ok: true, result: { ok: true } });
    for (const socket of sockets) expect((await socket.closed).code).toBe(4001);
    expect(await upgradeStatus(server.url, { authorization: `Bearer ${token}` })).toBe(401);
    const again = await callServerFn(
      server.url,
      "revokeMyTokenFn",
      { id },
      { cookie: member.cookie },
    );
    expect(again).toMatchObject({ ok: true, result: { ok: false } });
  });

  it("lets admins make bots and their tokens, with audit rows, and refuses members", async () => {
    const refused = await callServerFn(
      server.url,
      "createBotFn",
      { name: "Nope" },
      { cookie: member.cookie },
    );
    expect(refused.ok).toBe(false);
    const badName = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "createBotFn",
      { name: "   " },
      { cookie: owner.cookie },
    );
    expect(badName).toMatchObject({ ok: true, result: { ok: false, error: "Enter a name." } });
    const botId = await makeBot(server.url, owner.cookie, "Deploy Bot");
    const adminScope = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "createBotTokenFn",
      { botId, name: "x", scopes: ["admin"], expiresAt: null },
      { cookie: owner.cookie },
    );
    expect(adminScope).toMatchObject({ ok: true, result: { ok: false } });
    const notBot = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "createBotTokenFn",
      { botId: member.userId, name: "x", scopes: ["read"], expiresAt: null },
      { cookie: owner.cookie },
    );
    expect(notBot).toMatchObject({
      ok: true,
      result: { ok: false, error: "This bot is no longer there." },
    });
    const memberMakes = await callServerFn(
      server.url,
      "createBotTokenFn",
      { botId, name: "x", scopes: ["read"], expiresAt: null },
      { cookie: member.cookie },
    );
    expect(memberMakes.ok).toBe(false);
    const { id, token } = await makeBotToken(server.url, owner.cookie, botId);
    const listed = await callServerFn<{
      bots: { id: string; name: string; tokens: { id: string }[] }[];
    }>(server.url, "adminBotsFn", undefined, { cookie: owner.cookie, method: "GET" });
    expect(
      listed.ok && listed.result.bots.find((b) => b.id === botId)?.tokens.map((t) => t.id),
    ).toEqual([id]);
    // No password: nobody signs in as the bot.
    const db = openDb(server.dataDir);
    const email = (
      db.prepare("select email from user where id = ?").get(botId) as { email: string }
    ).email;
    const accounts = db
      .prepare("select count(*) as n from account where userId = ?")
      .get(botId) as { n: number };
    db.close();
    expect(email).toMatch(/@bots\.invalid$/);
    expect(accounts.n).toBe(0);
    const signIn = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email, password: "correct horse battery" },
    });
    expect(signIn.status).toBe(401);
    // The bot over /_ws is flagged, and so are its messages and its membership.
    owner.socket.send({ type: "invite", roomId: general, userId: botId });
    const bot = await connectWithToken(wsUrl(), token);
    const ready = bot.frames.find((f) => f.type === "ready") as Frame & { user: object };
    expect(ready.user).toMatchObject({ id: botId, name: "Deploy Bot", bot: true });
    const sent = await sendAndAck(bot, general, "build passed");
    expect(sent.author).toMatchObject({ id: botId, bot: true });
    const seen = await member.socket.next(
      (f) => f.type === "message" && (f.message as { id: string }).id === sent.id,
    );
    expect((seen.message as { author: object }).author).toMatchObject({ bot: true });
    // The room's member list (the subscribe's answer) flags it too.
    const sub = randomUUID();
    const from = member.socket.frames.length;
    member.socket.send({ type: "subscribe", roomId: general, ref: sub });
    const subscribed = await member.socket.next(
      (f) =>
        f.type === "subscribed" && member.socket.frames.indexOf(f) >= from && f.roomId === general,
    );
    await member.socket.next((f) => f.type === "ok" && f.ref === sub);
    const listedBot = (subscribed.members as { id: string; bot?: boolean }[]).find(
      (m) => m.id === botId,
    );
    expect(listedBot).toMatchObject({ bot: true });
    const card = await callServerFn<{ bot?: boolean }>(
      server.url,
      "profileCardFn",
      { userId: botId },
      {
        cookie: member.cookie,
        method: "GET",
      },
    );
    expect(card).toMatchObject({ ok: true, result: { bot: true } });
    // Revoking the bot's token closes its socket; the audit log has all three.
    const revoked = await callServerFn(
      server.url,
      "revokeBotTokenFn",
      { botId, tokenId: id },
      { cookie: owner.cookie },
    );
    expect(revoked).toMatchObject({ ok: true, result: { ok: true } });
    expect((await bot.closed).code).toBe(4001);
    const audit = await callServerFn<{ rows: { action: string; targetUserId: string | null }[] }>(
      server.url,
      "adminAuditFn",
      {},
      { cookie: owner.cookie, method: "GET" },
    );
    const actions = audit.ok
      ? audit.result.rows.filter((r) => r.targetUserId === botId).map((r) => r.action)
      : [];
    expect(actions.sort()).toEqual(["bot.create", "token.create", "token.revoke"]);
  });

  it("closes a deactivated bot's sockets (4003) and refuses its token", async () => {
    const botId = await makeBot(server.url, owner.cookie, "Old Bot");
    const { token } = await makeBotToken(server.url, owner.cookie, botId);
    const bot = await connectWithToken(wsUrl(), token);
    const done = await callServerFn(
      server.url,
      "setDeactivatedFn",
      { userId: botId, deactivated: true },
      { cookie: owner.cookie },
    );
    expect(done).toMatchObject({ ok: true, result: { ok: true } });
    expect((await bot.closed).code).toBe(4003);
    expect(await upgradeStatus(server.url, { authorization: `Bearer ${token}` })).toBe(401);
  });

  it("refuses the console's bot functions to members, and a revoke of a non-bot's token", async () => {
    const botId = await makeBot(server.url, owner.cookie, "Guarded Bot");
    const { id } = await makeBotToken(server.url, owner.cookie, botId);
    const asMember = await Promise.all([
      callServerFn(server.url, "adminBotsFn", undefined, { cookie: member.cookie, method: "GET" }),
      callServerFn(
        server.url,
        "revokeBotTokenFn",
        { botId, tokenId: id },
        { cookie: member.cookie },
      ),
    ]);
    for (const answer of asMember) {
      expect(answer.ok).toBe(false);
      expect(!answer.ok && answer.error.message).toContain("Only admins");
    }
    const own = await create(member.cookie, { name: "mine", scopes: ["read"], expiresAt: null });
    const mine = own.ok && own.result.ok ? own.result.id : "";
    // The console revokes bots' tokens only, never a person's.
    const notBot = await callServerFn(
      server.url,
      "revokeBotTokenFn",
      { botId: member.userId, tokenId: mine },
      { cookie: owner.cookie },
    );
    expect(notBot).toMatchObject({
      ok: true,
      result: { ok: false, error: "This bot is no longer there." },
    });
    const listed = await callServerFn<Listed>(server.url, "myTokensFn", undefined, {
      cookie: member.cookie,
      method: "GET",
    });
    expect(listed.ok && listed.result.tokens.some((t) => t.id === mine)).toBe(true);
  });

  it("gives a bot's token the admin scope only once the bot's own role is admin", async () => {
    const botId = await makeBot(server.url, owner.cookie, "Ops Bot");
    const ask = () =>
      callServerFn<{ ok: boolean; error?: string }>(
        server.url,
        "createBotTokenFn",
        { botId, name: "ops", scopes: ["admin"], expiresAt: null },
        { cookie: owner.cookie },
      );
    expect(await ask()).toMatchObject({ ok: true, result: { ok: false } });
    const promoted = await callServerFn(
      server.url,
      "changeRoleFn",
      { userId: botId, role: "admin" },
      { cookie: owner.cookie },
    );
    expect(promoted).toMatchObject({ ok: true, result: { ok: true } });
    expect(await ask()).toMatchObject({ ok: true, result: { ok: true } });
  });

  it("limits token changes per person: the 61st in an hour is refused in words", async () => {
    const person = await signUp(server.url);
    const body = { name: "burst", scopes: ["read"], expiresAt: null };
    for (let i = 0; i < 60; i++) {
      const answer = await create(person.cookie, body);
      expect(answer, `token ${i}`).toMatchObject({ ok: true, result: { ok: true } });
    }
    const refused = await create(person.cookie, body);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/^Too many token changes: try again in/);
    const listed = await callServerFn<Listed>(server.url, "myTokensFn", undefined, {
      cookie: person.cookie,
      method: "GET",
    });
    expect(listed.ok && listed.result.tokens.length).toBe(60);
  });

  it("a bot over /_ws resumes a gap by seq: exactly the messages it missed", async () => {
    const botId = await makeBot(server.url, owner.cookie, "Resume Bot");
    const { token } = await makeBotToken(server.url, owner.cookie, botId, ["read"]);
    const ref = randomUUID();
    owner.socket.send({ type: "invite", roomId: general, userId: botId, ref });
    await owner.socket.next((f) => f.ref === ref);
    const first = await connectWithToken(wsUrl(), token);
    const before = await sendAndAck(owner.socket, general, "before the gap");
    await first.next((f) => f.type === "message" && (f.message as { id: string }).id === before.id);
    first.close();
    await first.closed;
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await sendAndAck(owner.socket, general, `missed ${i}`));
    const second = await connectWithToken(wsUrl(), token);
    const subscribed = randomUUID();
    const start = second.frames.length;
    second.send({ type: "subscribe", roomId: general, afterSeq: before.seq, ref: subscribed });
    const ok = await second.next((f) => f.type === "ok" && f.ref === subscribed);
    const replayed = second.frames
      .slice(start, second.frames.indexOf(ok))
      .filter((f) => f.type === "history")
      .flatMap((f) => f.messages as { id: string; seq: number }[]);
    expect(replayed.map((m) => m.seq)).toEqual(missed.map((m) => m.seq));
    expect(replayed.map((m) => m.id)).toEqual(missed.map((m) => m.id));
    // And it is live again: the next message arrives as it is sent.
    const after = await sendAndAck(owner.socket, general, "after");
    await waitFor("the live message", () =>
      second.frames.find(
        (f) => f.type === "message" && (f.message as { id: string }).id === after.id,
      ),
    );
    second.close();
  });
});
