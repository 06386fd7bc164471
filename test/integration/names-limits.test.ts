import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPage, signUp } from "../helpers/clients";
import { joinAs, nextError, openDb, settle } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Security issue 18: F-2 (invites name one person), F-10 (limits, blocking),
// F-12 (look-alike room names), F-14 (private names stay private), F-16
// (no cross-site join), through the built server over real HTTP and sockets.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

type Room = { id: string; slug: string; name: string; kind: string };
type Created = { ok: true; room: Room } | { ok: false; error: string };

function isMember(dataDir: string, roomId: string, userId: string): boolean {
  const db = openDb(dataDir);
  try {
    return (
      db
        .prepare("SELECT 1 FROM room_member WHERE room_id = ? AND user_id = ?")
        .get(roomId, userId) !== undefined
    );
  } finally {
    db.close();
  }
}

async function createRoom(url: string, cookie: string, name: string, isPrivate = false) {
  const answer = await callServerFn<Created>(
    url,
    "createRoomFn",
    { name, private: isPrivate },
    { cookie },
  );
  if (!answer.ok) throw new Error(`createRoomFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

async function privateRoom(url: string, cookie: string) {
  const created = await createRoom(url, cookie, `secret ${randomUUID().slice(0, 6)}`, true);
  if (!created.ok) throw new Error(created.error);
  return created.room;
}

describe("F-2: an invite names one person", () => {
  it("an invite by id reaches exactly that one of two people called dana", async () => {
    const ann = await joinAs(server.url);
    const dana1 = await joinAs(server.url, ["general"], "dana");
    const dana2 = await joinAs(server.url, ["general"], "dana");
    const room = await privateRoom(server.url, ann.cookie);
    ann.socket.send({ type: "invite", roomId: room.id, userId: dana2.userId });
    const added = await dana2.socket.next((f) => f.type === "room_added");
    expect(added).toMatchObject({ room: { id: room.id } });
    await settle(300);
    expect(dana1.socket.frames.some((f) => f.type === "room_added")).toBe(false);
    expect(isMember(server.dataDir, room.id, dana2.userId)).toBe(true);
    expect(isMember(server.dataDir, room.id, dana1.userId)).toBe(false);
  });

  it("refuses an ambiguous name, and nobody joins", async () => {
    const ann = await joinAs(server.url);
    const name = `dana${randomUUID().slice(0, 4)}`;
    const first = await joinAs(server.url, ["general"], name);
    const second = await joinAs(server.url, ["general"], name.toUpperCase());
    const room = await privateRoom(server.url, ann.cookie);
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userName: name });
    const error = await nextError(ann.socket, start);
    expect(error.message).toMatch(/more than one person is called/i);
    await settle(300);
    for (const dana of [first, second]) {
      expect(isMember(server.dataDir, room.id, dana.userId)).toBe(false);
      expect(dana.socket.frames.some((f) => f.type === "room_added")).toBe(false);
    }
  });

  it('an unknown person gets "nobody is called ...", an unknown id "no such person"', async () => {
    const ann = await joinAs(server.url);
    const room = await privateRoom(server.url, ann.cookie);
    let start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userName: "zz nobody here" });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "not_found",
      message: 'nobody is called "zz nobody here"',
    });
    start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userId: "no-such-id" });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "not_found",
      message: "no such person",
    });
  });

  it("searchUsersFn lists people by name with id and their unique handle", async () => {
    const ann = await joinAs(server.url);
    const name = `dora${randomUUID().slice(0, 4)}`;
    const a = await joinAs(server.url, ["general"], name);
    const b = await joinAs(server.url, ["general"], `${name}x`);
    const answer = await callServerFn<{
      ok: true;
      users: { id: string; name: string; handle: string }[];
    }>(
      server.url,
      "searchUsersFn",
      { q: name.toUpperCase() },
      { cookie: ann.cookie, method: "GET" },
    );
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const users = answer.result.users;
    expect(users.map((u) => u.id).sort()).toEqual([a.userId, b.userId].sort());
    // The handle tells two people apart (issue 17: it replaced the tag).
    for (const user of users) expect(user.handle).toMatch(/^[a-z0-9._-]{2,32}$/);
    expect(new Set(users.map((u) => u.handle)).size).toBe(2);
    const empty = await callServerFn<{ ok: boolean }>(
      server.url,
      "searchUsersFn",
      { q: "" },
      { cookie: ann.cookie, method: "GET" },
    );
    expect(empty).toMatchObject({ ok: true, result: { ok: true, users: [] } });
    const anonymous = await callServerFn(
      server.url,
      "searchUsersFn",
      { q: name },
      { method: "GET" },
    );
    expect(anonymous.ok).toBe(false);
  });
});

describe("F-12: look-alike room names", () => {
  it("refuses a Cyrillic look-alike, an RTL override and the dm- prefix, with clear errors", async () => {
    const { cookie } = await signUp(server.url);
    const cases: [string, RegExp][] = [
      ["g\u0435neral", /looks like the existing room "general"/],
      ["\u202Elareneg", /formatting or invisible characters \(U\+202E\)/],
      ["gen\u200Beral", /formatting or invisible characters \(U\+200B\)/],
      ["dm-abcdef12", /kept for direct messages/],
      ["GENERAL", /already exists|looks like/],
    ];
    for (const [name, error] of cases) {
      const answer = await createRoom(server.url, cookie, name);
      expect(answer, name).toMatchObject({ ok: false });
      if (!answer.ok) expect(answer.error, name).toMatch(error);
    }
    // A private room may not take a public room's look-alike either.
    const hidden = await createRoom(server.url, cookie, "g\u0435neral", true);
    expect(hidden).toMatchObject({ ok: false });
    const db = openDb(server.dataDir);
    const generals = db
      .prepare("SELECT count(*) AS n FROM room WHERE name LIKE 'g%neral'")
      .get() as { n: number };
    db.close();
    expect(Number(generals.n)).toBe(1);
  });
});

describe("F-14: private room names cannot be confirmed", () => {
  it("a public room with a private room's name is created and reveals nothing", async () => {
    const alice = await signUp(server.url);
    const eve = await signUp(server.url);
    const name = `Alice secret ${randomUUID().slice(0, 4)}`;
    const hidden = await createRoom(server.url, alice.cookie, name, true);
    expect(hidden.ok).toBe(true);
    const open = await createRoom(server.url, eve.cookie, name);
    expect(open).toMatchObject({ ok: true, room: { kind: "public", name } });
    if (hidden.ok && open.ok) expect(open.room.slug).not.toBe(hidden.room.slug);
  });
});

describe("F-16: a cross-site arrival does not join", () => {
  it("a cross-site GET of /r/<slug> shows a Join room button; same-origin and typed URLs join", async () => {
    const owner = await signUp(server.url);
    const created = await createRoom(server.url, owner.cookie, `lobby ${randomUUID().slice(0, 6)}`);
    if (!created.ok) throw new Error(created.error);
    const { room } = created;
    const victim = await joinAs(server.url);
    const crossSite = await fetch(`${server.url}/r/${room.slug}`, {
      headers: {
        cookie: victim.cookie,
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
      },
    });
    expect(crossSite.status).toBe(200);
    expect(await crossSite.text()).toContain("Join room");
    expect(isMember(server.dataDir, room.id, victim.userId)).toBe(false);
    const sameSite = await fetch(`${server.url}/r/${room.slug}`, {
      headers: { cookie: victim.cookie, "sec-fetch-site": "same-site" },
    });
    expect(sameSite.status).toBe(200);
    expect(isMember(server.dataDir, room.id, victim.userId)).toBe(false);
    // The explicit action joins.
    const joined = await callServerFn<{ ok: boolean }>(
      server.url,
      "joinRoomFn",
      { roomId: room.id },
      { cookie: victim.cookie },
    );
    expect(joined).toMatchObject({ ok: true, result: { ok: true } });
    expect(isMember(server.dataDir, room.id, victim.userId)).toBe(true);
    // A typed URL (`none`) and a same-origin link still join at once.
    for (const site of ["none", "same-origin"]) {
      const created2 = await createRoom(
        server.url,
        owner.cookie,
        `hall ${randomUUID().slice(0, 6)}`,
      );
      if (!created2.ok) throw new Error(created2.error);
      const response = await fetch(`${server.url}/r/${created2.room.slug}`, {
        headers: { cookie: victim.cookie, "sec-fetch-site": site },
      });
      expect(response.status).toBe(200);
      expect(isMember(server.dataDir, created2.room.id, victim.userId), site).toBe(true);
    }
  });

  it("joinRoomFn refuses a private room to a non-member, as not found", async () => {
    const owner = await signUp(server.url);
    const room = await privateRoom(server.url, owner.cookie);
    const eve = await joinAs(server.url);
    const answer = await callServerFn(
      server.url,
      "joinRoomFn",
      { roomId: room.id },
      { cookie: eve.cookie },
    );
    expect(answer).toMatchObject({ ok: true, result: { ok: false, error: "No such room." } });
    expect(isMember(server.dataDir, room.id, eve.userId)).toBe(false);
    expect((await getPage(server.url, `/r/${room.slug}`, eve.cookie)).status).toBe(404);
  });

  it("server functions answer with the same policy as frames (history, DMs)", async () => {
    const owner = await signUp(server.url);
    const room = await privateRoom(server.url, owner.cookie);
    const eve = await joinAs(server.url);
    const history = (roomId: string) =>
      callServerFn(
        server.url,
        "historyFn",
        { roomId, beforeSeq: 10 },
        { cookie: eve.cookie, method: "GET" },
      );
    const refused = await history(room.id);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toBe("you are not a member of this room");
    const missing = await history("no-such-room");
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toBe("no such room");
    const dm = (userId: string) =>
      callServerFn(server.url, "openDmFn", { userId }, { cookie: eve.cookie });
    expect(await dm(eve.userId)).toMatchObject({ result: { ok: false, error: "That is you." } });
    expect(await dm("u-nobody")).toMatchObject({
      result: { ok: false, error: "No such person." },
    });
  });
});

describe("F-10: blocking", () => {
  it("a blocked user's DM and invite are refused, nothing reaches the blocker; unblock restores", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const blocked = await callServerFn<{ ok: boolean }>(
      server.url,
      "blockUserFn",
      { userId: ann.userId },
      { cookie: bob.cookie },
    );
    expect(blocked).toMatchObject({ ok: true, result: { ok: true } });
    const list = await callServerFn<{ ok: true; userIds: string[] }>(
      server.url,
      "blockedUsersFn",
      {},
      { cookie: bob.cookie, method: "GET" },
    );
    expect(list).toMatchObject({ ok: true, result: { userIds: [ann.userId] } });
    const dm = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "openDmFn",
      { userId: bob.userId },
      { cookie: ann.cookie },
    );
    expect(dm).toMatchObject({ ok: true, result: { ok: false } });
    if (dm.ok) expect(dm.result.error).toMatch(/does not accept direct messages from you/);
    const room = await privateRoom(server.url, ann.cookie);
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userId: bob.userId });
    const error = await nextError(ann.socket, start);
    expect(error).toMatchObject({ code: "forbidden" });
    expect(String(error.message)).toMatch(/does not accept invites from you/);
    await settle(300);
    expect(bob.socket.frames.some((f) => f.type === "room_added")).toBe(false);
    expect(isMember(server.dataDir, room.id, bob.userId)).toBe(false);
    // Bob can still reach Ann if he wants to... once he unblocks her, so can she.
    const unblocked = await callServerFn(
      server.url,
      "unblockUserFn",
      { userId: ann.userId },
      { cookie: bob.cookie },
    );
    expect(unblocked).toMatchObject({ ok: true, result: { ok: true } });
    const again = await callServerFn(
      server.url,
      "openDmFn",
      { userId: bob.userId },
      { cookie: ann.cookie },
    );
    expect(again).toMatchObject({ ok: true, result: { ok: true } });
    ann.socket.send({ type: "invite", roomId: room.id, userId: bob.userId });
    await bob.socket.next((f) => f.type === "room_added");
    const self = await callServerFn(
      server.url,
      "blockUserFn",
      { userId: bob.userId },
      { cookie: bob.cookie },
    );
    expect(self).toMatchObject({ ok: true, result: { ok: false, error: "That is you." } });
  });
});

describe("F-10: blocking an existing DM", () => {
  it("the blocked person's sends in an existing DM are refused; unblocking brings the DM back", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const dm = await callServerFn<{ ok: true; slug: string }>(
      server.url,
      "openDmFn",
      { userId: bob.userId },
      { cookie: ann.cookie },
    );
    if (!dm.ok || !dm.result.ok) throw new Error(`no DM: ${JSON.stringify(dm)}`);
    const added = await bob.socket.next((f) => f.type === "room_added");
    const roomId = String((added.room as { id: string }).id);
    await callServerFn(server.url, "blockUserFn", { userId: ann.userId }, { cookie: bob.cookie });
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "send", roomId, clientId: "after-block", text: "still there?" });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "forbidden",
      clientId: "after-block",
    });
    expect(isMember(server.dataDir, roomId, ann.userId)).toBe(false);
    expect(isMember(server.dataDir, roomId, bob.userId)).toBe(true);
    await callServerFn(server.url, "unblockUserFn", { userId: ann.userId }, { cookie: bob.cookie });
    const again = await callServerFn<{ ok: boolean; slug?: string }>(
      server.url,
      "openDmFn",
      { userId: bob.userId },
      { cookie: ann.cookie },
    );
    expect(again).toMatchObject({ ok: true, result: { ok: true, slug: dm.result.slug } });
    expect(isMember(server.dataDir, roomId, ann.userId)).toBe(true);
  });
});

describe("F-10: per-user limits on server functions and actions", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({
      env: {
        PARLEY_ROOMS_PER_HOUR: "20",
        PARLEY_DMS_PER_HOUR: "2",
        PARLEY_INVITES_PER_HOUR: "3",
        PARLEY_SEARCHES_PER_SECOND: "2",
        PARLEY_PAGES_PER_SECOND: "2",
      },
    });
  });
  afterAll(() => limited?.stop());

  it("300 rooms in about a second: past the hourly limit each is refused", async () => {
    const { cookie } = await signUp(limited.url);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        createRoom(limited.url, cookie, `flood ${i} ${randomUUID().slice(0, 4)}`, true),
      ),
    );
    const ms = Date.now() - started;
    const made = answers.filter((a) => a.ok).length;
    const refused = answers.filter((a) => !a.ok);
    console.info(`300 createRoomFn calls in ${ms} ms: ${made} created, ${refused.length} refused`);
    expect(made).toBe(20);
    for (const answer of refused) {
      if (!answer.ok) expect(answer.error).toMatch(/too many new rooms.*try again in/i);
    }
  });

  it("invites per hour: past the limit an invite is refused and nobody is added", async () => {
    const ann = await joinAs(limited.url);
    const room = await privateRoom(limited.url, ann.cookie);
    const guests = await Promise.all([1, 2, 3, 4].map(() => joinAs(limited.url)));
    for (const guest of guests.slice(0, 3)) {
      ann.socket.send({ type: "invite", roomId: room.id, userId: guest.userId });
      await guest.socket.next((f) => f.type === "room_added");
    }
    const last = guests[3];
    if (!last) throw new Error("no fourth guest");
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userId: last.userId });
    const error = await nextError(ann.socket, start);
    expect(error).toMatchObject({ code: "rate_limited" });
    expect(String(error.message)).toMatch(/too many invites/i);
    expect(isMember(limited.dataDir, room.id, last.userId)).toBe(false);
  });

  it("new DMs per hour: the third is refused, an existing DM still opens", async () => {
    const ann = await signUp(limited.url);
    const others = await Promise.all([1, 2, 3].map(() => joinAs(limited.url)));
    const open = (userId: string) =>
      callServerFn<{ ok: boolean; error?: string }>(
        limited.url,
        "openDmFn",
        { userId },
        { cookie: ann.cookie },
      );
    const ids = others.map((o) => o.userId);
    expect(await open(ids[0] ?? "")).toMatchObject({ result: { ok: true } });
    expect(await open(ids[1] ?? "")).toMatchObject({ result: { ok: true } });
    const third = await open(ids[2] ?? "");
    expect(third).toMatchObject({ result: { ok: false } });
    if (third.ok) expect(third.result.error).toMatch(/too many new direct messages/i);
    expect(await open(ids[0] ?? "")).toMatchObject({ result: { ok: true } });
  });

  it("searches and history pages per second: a burst is refused past the limit", async () => {
    const user = await joinAs(limited.url);
    const ready = user.socket.frames.find((f) => f.type === "ready");
    const roomId = String((ready?.rooms as { id: string }[] | undefined)?.[0]?.id);
    const searches = await Promise.all(
      Array.from({ length: 10 }, () =>
        callServerFn(
          limited.url,
          "searchFn",
          { q: "hello" },
          { cookie: user.cookie, method: "GET" },
        ),
      ),
    );
    const searchRefusals = searches.filter((s) => !s.ok);
    console.info(`10 searches at once: ${10 - searchRefusals.length} answered`);
    expect(searchRefusals.length).toBeGreaterThan(0);
    for (const s of searchRefusals)
      if (!s.ok) expect(s.error.message).toMatch(/too many searches/i);
    const pages = await Promise.all(
      Array.from({ length: 10 }, () =>
        callServerFn(
          limited.url,
          "historyFn",
          { roomId, beforeSeq: 10 },
          { cookie: user.cookie, method: "GET" },
        ),
      ),
    );
    const pageRefusals = pages.filter((p) => !p.ok);
    expect(pageRefusals.length).toBeGreaterThan(0);
    for (const p of pageRefusals) if (!p.ok) expect(p.error.message).toMatch(/too many pages/i);
  });
});
