import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
  type WireMessage,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import {
  adminQuery,
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();
const DAY = 86_400_000;
// More than two of the sweep's 500-message passes.
const OLD = 1_200;

async function waitFor(probe: () => Promise<boolean>, what: string, ms = 45_000) {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const query = (text: string, values: unknown[] = []) => adminQuery(text, testDb.url, values);

// Issue 15: two instances sweep one PostgreSQL database at the same time.
describe.runIf(ready)("retention sweep on two instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;
  let reader: Member;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    await testDb.create();
    const env = {
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      PARLEY_RETENTION_SWEEP_SECONDS: "1",
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    owner = await joinAs(one.url);
    reader = await joinAs(two.url);
    sockets.push(owner.socket, reader.socket);
  });

  afterAll(async () => {
    await closeAll(sockets);
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  it("deletes each old message once, in bounded audited passes, and the other instance's sockets hear it", async () => {
    const general = roomIdFromReady(owner.socket, "general");
    reader.socket.send({ type: "subscribe", roomId: general });
    await reader.socket.next((f) => f.type === "subscribed" && f.roomId === general);
    for (let at = 0; at < OLD; at += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, OLD - at) }, (_, i) =>
          sendAndAck(owner.socket, general, `old ${at + i}`),
        ),
      );
    }
    await query("update message set created_at = $1 where room_id = $2", [
      Date.now() - 3 * DAY,
      general,
    ]);
    const fresh = await sendAndAck(owner.socket, general, "fresh, kept");
    const saved = await callServerFn<{ ok: boolean }>(
      one.url,
      "saveRoomRetentionFn",
      { roomId: general, days: "2" },
      { cookie: owner.cookie },
    );
    expect(saved.ok && saved.result).toEqual({ ok: true, days: 2 });

    const left = async () =>
      Number(
        (
          await query(
            "select count(*) as n from message where room_id = $1 and deleted_at is null",
            [general],
          )
        ).rows[0].n,
      );
    await waitFor(async () => (await left()) === 1, "every old message to be swept");
    const kept = await query("select id, text from message where deleted_at is null");
    expect(kept.rows).toEqual([{ id: fresh.id, text: "fresh, kept" }]);

    // Every deletion has a revision of its own (a resume paged by rev splits no tie).
    const revs = await query(
      "select count(*) as n, count(distinct rev) as distinct_revs from message where room_id = $1 and deleted_at is not null",
      [general],
    );
    expect(Number(revs.rows[0].n)).toBe(OLD);
    expect(Number(revs.rows[0].distinct_revs)).toBe(OLD);

    // Counted once across both instances' passes, none over the batch.
    const sweeps = (
      await query("select actor_id, details from audit_log where action = 'retention.sweep'")
    ).rows.map((row) => ({
      actor: String(row.actor_id),
      details: JSON.parse(String(row.details)) as {
        messages: number;
        rooms: Record<string, number>;
      },
    }));
    expect(sweeps.length).toBeGreaterThanOrEqual(Math.ceil(OLD / 500));
    expect(sweeps.every((sweep) => sweep.actor === "system:retention")).toBe(true);
    expect(sweeps.every((sweep) => sweep.details.messages <= 500)).toBe(true);
    expect(sweeps.reduce((sum, sweep) => sum + (sweep.details.rooms[general] ?? 0), 0)).toBe(OLD);

    // The reader, on the other instance, hears every deletion live.
    const deletedIds = () =>
      new Set(
        reader.socket.frames
          .filter((f) => f.type === "updated" && (f.message as WireMessage).deleted === true)
          .map((f) => (f.message as WireMessage).id),
      );
    await waitFor(async () => deletedIds().size === OLD, "the reader to hear every deletion");
    expect(deletedIds().has(fresh.id)).toBe(false);
  });
});
