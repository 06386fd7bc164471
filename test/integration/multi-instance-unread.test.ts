import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unreadCount } from "../../src/client/unread";
import { connect, getPage, signUp } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import { nodeChatClient, waitFor } from "../helpers/node-client";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Unread counts agree across devices when the devices are on different
// instances: the read marker a socket on one instance sets reaches the same
// user's socket on the other (a per-user frame through Redis), and both
// instances read it back from PostgreSQL after a reconnect.
const testDb = testDatabase();
const { url: databaseUrl } = testDb;

describe.runIf(ready)("unread counts across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let bob: Member;
  let annOnOne: ReturnType<typeof nodeChatClient>;
  let annOnTwo: ReturnType<typeof nodeChatClient>;
  let annCookie: string;
  let general: string;

  beforeAll(async () => {
    await testDb.create();
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    bob = await joinAs(one.url);
    general = roomIdFromReady(bob.socket, "general");
    const ann = await signUp(two.url);
    annCookie = ann.cookie;
    expect((await getPage(two.url, "/r/general", ann.cookie)).status).toBe(200);
    // One of Ann's devices on each instance.
    annOnOne = nodeChatClient(one.url, ann.cookie);
    annOnTwo = nodeChatClient(two.url, ann.cookie);
    for (const { client } of [annOnOne, annOnTwo]) {
      await waitFor(() => client.roomSummary(general) !== undefined, "ann's ready");
      client.open(general, [], client.roomSummary(general)?.lastSeq ?? 0);
    }
  });

  afterAll(async () => {
    annOnOne?.client.stop();
    annOnTwo?.client.stop();
    await closeAll([bob?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  const unread = (chat: ReturnType<typeof nodeChatClient>) => {
    const summary = chat.client.roomSummary(general);
    return summary ? unreadCount(summary) : -1;
  };
  const both = () => `one=${unread(annOnOne)} two=${unread(annOnTwo)}`;

  /** What a fresh connection to `url` reports for general (read from the database). */
  const freshUnread = async (url: string) => {
    const socket = await connect(url, annCookie);
    const ready = socket.frames.find((f) => f.type === "ready");
    socket.close();
    const rooms = (ready?.rooms ?? []) as { id: string; lastSeq: number; lastReadSeq: number }[];
    const room = rooms.find((r) => r.id === general);
    return room ? room.lastSeq - room.lastReadSeq : -1;
  };

  it("a read marker set on instance one reaches the same user's socket on instance two", async () => {
    for (let i = 0; i < 3; i++) await sendAndAck(bob.socket, general, `unread ${i}`);
    await waitFor(
      () => unread(annOnOne) === 3 && unread(annOnTwo) === 3,
      "3 unread on both",
      5_000,
      both,
    );

    annOnOne.client.markRead(general);
    await waitFor(
      () => unread(annOnOne) === 0 && unread(annOnTwo) === 0,
      "0 unread on both",
      5_000,
      both,
    );
    expect(await freshUnread(one.url)).toBe(0);
    expect(await freshUnread(two.url)).toBe(0);
  });

  it("and back: marking read on instance two clears instance one; writing marks read", async () => {
    for (let i = 0; i < 2; i++) await sendAndAck(bob.socket, general, `more ${i}`);
    await waitFor(
      () => unread(annOnOne) === 2 && unread(annOnTwo) === 2,
      "2 unread on both",
      5_000,
      both,
    );
    expect(await freshUnread(one.url)).toBe(2);
    expect(await freshUnread(two.url)).toBe(2);

    annOnTwo.client.markRead(general);
    await waitFor(
      () => unread(annOnOne) === 0 && unread(annOnTwo) === 0,
      "0 unread on both",
      5_000,
      both,
    );

    // Bob writes, then Ann answers from instance two: her answer moves her marker everywhere.
    await sendAndAck(bob.socket, general, "question?");
    await waitFor(
      () => unread(annOnOne) === 1 && unread(annOnTwo) === 1,
      "1 unread on both",
      5_000,
      both,
    );
    annOnTwo.client.send(general, "answer");
    await waitFor(
      () =>
        annOnTwo.client.pending.length === 0 && unread(annOnOne) === 0 && unread(annOnTwo) === 0,
      "writing to mark read on both",
      5_000,
      both,
    );
    expect(await freshUnread(one.url)).toBe(0);
  });
});

// An unreachable service: services.ts printed a loud banner (with CI=true
// it throws instead). A visible skipped entry keeps vitest's report honest.
describe.skipIf(ready)(
  "unread counts across instances (PostgreSQL or Redis unreachable: skipped, see the banner)",
  () => {
    it("needs the services", () => {});
  },
);
