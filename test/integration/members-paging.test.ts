import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERS_INLINE_MAX, MEMBERS_PAGE } from "../../src/protocol/frames";
import { ask, subscribeTo } from "../helpers/asking";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import { closeAll, createRoom, joinAs, seedMembers } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

/** Seven shared names, so paging must order by name and then id. */
const crowd = (i: number, id: string) => {
  const tag = `big${String(i).padStart(5, "0")}${id.slice(0, 4)}`;
  return { name: `Big ${i % 7} ${tag}`, handle: tag };
};

// Issue 16: a room over MEMBERS_INLINE_MAX members sends the first page of
// its member list and a count; the client asks for the rest, page by page.

type Member = { id: string; name: string; online: boolean };

/**
 * Asks for pages of a large room's member list after `afterId` until one
 * holds `userId`; that member as the page showed them (undefined when no
 * page does).
 */
async function pageTo(
  socket: TestSocket,
  roomId: string,
  afterId: string | undefined,
  userId: string,
): Promise<Member | undefined> {
  let last = afterId;
  for (;;) {
    const start = socket.frames.length;
    await ask(socket, { type: "members", roomId, afterId: last });
    const page = socket.frames
      .slice(start)
      .find((f) => f.type === "members" && f.roomId === roomId) as Frame & {
      members: Member[];
      page: { more: boolean };
    };
    const found = page.members.find((m) => m.id === userId);
    if (found || !page.page.more) return found;
    last = page.members.at(-1)?.id;
  }
}

describe("paged member lists (issue 16)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("a large room's subscribe carries one page and the count; pages give everyone once", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    seedMembers(server.dataDir, room.id, MEMBERS_INLINE_MAX + 50, crowd);
    const total = MEMBERS_INLINE_MAX + 51;
    const started = performance.now();
    const subscribed = await subscribeTo(ann.socket, room.id);
    const subscribeMs = performance.now() - started;
    expect(subscribed.members as Member[]).toHaveLength(MEMBERS_PAGE);
    expect(subscribed.memberCount).toBe(total);
    expect(subscribed.membersMore).toBe(true);
    const seen = [...(subscribed.members as Member[])];
    let pages = 0;
    const pagingStarted = performance.now();
    for (;;) {
      const afterId = seen.at(-1)?.id;
      const start = ann.socket.frames.length;
      const answer = await ask(ann.socket, { type: "members", roomId: room.id, afterId });
      expect(answer.type).toBe("ok");
      const page = ann.socket.frames
        .slice(start)
        .find((f) => f.type === "members" && f.roomId === room.id) as Frame & {
        members: Member[];
        page: { more: boolean };
      };
      pages++;
      seen.push(...page.members);
      if (!page.page.more) break;
      expect(page.members).toHaveLength(MEMBERS_PAGE);
    }
    console.log(
      `members paging: subscribe with ${total} members in ${Math.round(subscribeMs)} ms ` +
        `(${MEMBERS_PAGE} sent), ${pages} pages more in ${Math.round(performance.now() - pagingStarted)} ms`,
    );
    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    expect(ids).toContain(ann.userId);
    // Ann is online; the seeded members never connected.
    expect(seen.find((m) => m.id === ann.userId)?.online).toBe(true);
    expect(seen.filter((m) => m.online)).toHaveLength(1);
    // Name order, then id, across the page boundaries.
    const key = (m: Member) => [m.name, m.id] as const;
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [key(seen[i - 1] as Member), key(seen[i] as Member)];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
    await closeAll([ann.socket]);
  }, 60_000);

  it("a large room's presence reaches a socket only for members on the pages it holds", async () => {
    const room = createRoom(server.dataDir);
    // "Aaron" sorts before the seeded "Big …" names (the first page), "Zed" after.
    const aaron = await joinAs(server.url, [room.slug], "AaronAble");
    const zed = await joinAs(server.url, [room.slug], "ZedZulu");
    seedMembers(server.dataDir, room.id, MEMBERS_INLINE_MAX + 50, crowd);
    const ann = await joinAs(server.url, [room.slug]);
    const subscribed = await subscribeTo(ann.socket, room.id);
    const firstPage = (subscribed.members as Member[]).map((m) => m.id);
    expect(firstPage).toContain(aaron.userId);
    expect(firstPage).not.toContain(zed.userId);
    type Batch = Frame & {
      changes: { user: { id: string }; online: boolean; rooms: string[] }[];
    };
    const batches = () => ann.socket.frames.filter((f) => f.type === "presence_batch") as Batch[];
    // A change Ann heard about someone, in this room or (inRoom false) anywhere:
    // everyone also shares general, a small room.
    const about = (userId: string, online: boolean, inRoom = true) =>
      batches().some((b) =>
        b.changes.some(
          (c) =>
            c.user.id === userId && c.online === online && (!inRoom || c.rooms.includes(room.id)),
        ),
      );
    const heard = (userId: string, online: boolean, inRoom = true) =>
      ann.socket.next((f) => f.type === "presence_batch" && about(userId, online, inRoom));

    // Both go offline; each tick is waited for (Zed's only reaches Ann through general).
    await closeAll([aaron.socket, zed.socket]);
    await heard(aaron.userId, false);
    await heard(zed.userId, false, false);
    // Both come back: Ann hears Aaron's return in this room, Zed's only through general.
    const zedAgain = await connect(server.url, zed.cookie);
    const aaronAgain = await connect(server.url, aaron.cookie);
    await heard(aaron.userId, true);
    await heard(zed.userId, true, false);
    expect(about(zed.userId, false)).toBe(false);
    expect(about(zed.userId, true)).toBe(false);

    // Once Ann pages down to Zed, his changes reach her too.
    expect(await pageTo(ann.socket, room.id, firstPage.at(-1), zed.userId)).toBeDefined();
    await closeAll([zedAgain]);
    await ann.socket.next((f) => f.type === "presence_batch" && about(zed.userId, false));
    await closeAll([ann.socket, aaronAgain]);
  }, 60_000);

  it("a small room still sends its whole list, with no count", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    seedMembers(server.dataDir, room.id, 5, crowd);
    const subscribed = await subscribeTo(ann.socket, room.id);
    expect(subscribed.members as Member[]).toHaveLength(6);
    expect(subscribed.memberCount).toBeUndefined();
    expect(subscribed.membersMore).toBeUndefined();
    await closeAll([ann.socket]);
  });

  it("refuses a page to someone outside the room, and a request without afterId", async () => {
    const room = createRoom(server.dataDir);
    seedMembers(server.dataDir, room.id, 3, crowd);
    const outsider = await joinAs(server.url, ["general"]);
    const anyone = randomUUID();
    const refused = await ask(outsider.socket, {
      type: "members",
      roomId: room.id,
      afterId: anyone,
    });
    expect(refused).toMatchObject({ type: "error", code: "forbidden" });
    expect(outsider.socket.frames.some((f) => f.type === "members" && f.roomId === room.id)).toBe(
      false,
    );
    const bad = await ask(outsider.socket, { type: "members", roomId: room.id });
    expect(bad).toMatchObject({ type: "error", code: "bad_frame" });
    await closeAll([outsider.socket]);
  });
});

describe("a large room's member page read mid-tick (issue 16)", () => {
  // A long tick, so that a leave, a page read and a return fit in one.
  const TICK_MS = 5_000;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_PRESENCE_TICK_MS: String(TICK_MS) } });
  });
  afterAll(() => server?.stop());

  it("someone who left and came back within the tick reaches the reader whose page showed them gone", async () => {
    const room = createRoom(server.dataDir);
    const aaron = await joinAs(server.url, [room.slug], "AaronAble");
    const zed = await joinAs(server.url, [room.slug], "ZedZulu");
    seedMembers(server.dataDir, room.id, MEMBERS_INLINE_MAX + 50, crowd);
    const ann = await joinAs(server.url, [room.slug]);
    const subscribed = await subscribeTo(ann.socket, room.id);
    type Batch = Frame & { changes: { user: { id: string }; online: boolean; rooms: string[] }[] };
    const about = (f: Frame, userId: string, online: boolean) =>
      f.type === "presence_batch" &&
      (f as Batch).changes.some(
        (c) => c.user.id === userId && c.online === online && c.rooms.includes(room.id),
      );

    // A tick has just ended when Ann hears of Aaron (first page): Zed's
    // leave then opens the next one.
    await closeAll([aaron.socket]);
    await ann.socket.next((f) => about(f, aaron.userId, false), TICK_MS * 3);
    const leftAt = performance.now();
    await closeAll([zed.socket]);

    // Ann pages down to Zed, until the page shows him gone.
    const afterId = (subscribed.members as Member[]).at(-1)?.id;
    let shown = await pageTo(ann.socket, room.id, afterId, zed.userId);
    while (shown?.online) shown = await pageTo(ann.socket, room.id, afterId, zed.userId);
    expect(shown?.online).toBe(false);

    // Zed is back before the tick ends: the tick must tell Ann, whose page
    // says he is gone, though he ends it where he began.
    const zedAgain = await connect(server.url, zed.cookie);
    const withinTick = performance.now() - leftAt < TICK_MS;
    const told = await ann.socket.next((f) => about(f, zed.userId, true), TICK_MS * 3);
    expect(told.type).toBe("presence_batch");
    console.log(`page read and return within the tick: ${withinTick}`);
    await closeAll([ann.socket, zedAgain]);
  }, 60_000);
});
