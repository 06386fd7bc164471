import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { closeAll, joinAs, type Member, userIdOf } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();
const PASSWORD = "correct horse battery";

// Issue 14: deactivating a user closes their sockets on every instance at once (4003).
describe.runIf(ready)("deactivation across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    owner = await joinAs(one.url);
  });

  afterAll(async () => {
    await closeAll([owner?.socket].filter((s) => s !== undefined));
    await stopTwoInstances(testDb, [one, two]);
  });

  it("closes the user's sockets on both instances with 4003 and refuses their sign-in on either", async () => {
    const victim = await signUp(two.url, { password: PASSWORD });
    const onTwo = await connect(two.url, victim.cookie);
    const second = await httpFrom(one.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    const onOne = await connect(one.url, second.cookie ?? "");
    const victimId = userIdOf(onTwo);
    const started = Date.now();
    const answer = await callServerFn(
      one.url,
      "setDeactivatedFn",
      { userId: victimId, deactivated: true },
      { cookie: owner.cookie },
    );
    expect(answer).toMatchObject({ ok: true, result: { ok: true } });
    const [closedOne, closedTwo] = await Promise.all([onOne.closed, onTwo.closed]);
    const took = Date.now() - started;
    console.log(`deactivation: both instances' sockets closed within ${took} ms`);
    expect(closedOne.code).toBe(4003);
    expect(closedTwo.code).toBe(4003);
    expect(took).toBeLessThan(1_000);
    for (const url of [one.url, two.url]) {
      await expect(connect(url, victim.cookie)).rejects.toThrow("401");
      const refused = await httpFrom(url, "/api/auth/sign-in/email", {
        body: { email: victim.email, password: PASSWORD },
      });
      expect(refused.status).toBe(403);
      expect(refused.json().message).toBe("This account is deactivated.");
    }
    const back = await callServerFn(
      two.url,
      "setDeactivatedFn",
      { userId: victimId, deactivated: false },
      { cookie: owner.cookie },
    );
    expect(back).toMatchObject({ ok: true, result: { ok: true } });
    const signedIn = await httpFrom(two.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    expect(signedIn.status).toBe(200);
    const again = await connect(one.url, signedIn.cookie ?? "");
    await closeAll([again]);
  });

  it("runs the console's reads and changes on PostgreSQL: search, role, audit filters, room delete", async () => {
    const other = await signUp(one.url);
    const users = await callServerFn<{ rows: { id: string; role: string }[]; total: number }>(
      two.url,
      "adminUsersFn",
      { query: other.email.slice(0, 12).toUpperCase() },
      { cookie: owner.cookie, method: "GET" },
    );
    expect(users.ok && users.result.total).toBe(1);
    const otherId = (users.ok && users.result.rows[0]?.id) || "";
    const role = await callServerFn(
      two.url,
      "changeRoleFn",
      { userId: otherId, role: "guest" },
      { cookie: owner.cookie },
    );
    expect(role).toMatchObject({ ok: true, result: { ok: true } });
    const created = await callServerFn<{ ok: boolean; room?: { slug: string; id: string } }>(
      one.url,
      "createRoomFn",
      { name: `pg-doomed-${Date.now() % 100000}` },
      { cookie: owner.cookie },
    );
    const roomId = (created.ok && created.result.room?.id) || "";
    expect(roomId).not.toBe("");
    const watcher = await connect(two.url, owner.cookie);
    const rooms = await callServerFn<{ rows: { id: string; members: number }[] }>(
      one.url,
      "adminRoomsFn",
      {},
      { cookie: owner.cookie, method: "GET" },
    );
    expect(rooms.ok && rooms.result.rows.find((r) => r.id === roomId)?.members).toBe(1);
    const deleted = await callServerFn(
      one.url,
      "deleteRoomFn",
      { roomId },
      { cookie: owner.cookie },
    );
    expect(deleted).toMatchObject({ ok: true, result: { ok: true } });
    // The owner's socket on the other instance hears it.
    await watcher.next((f) => f.type === "room_removed" && f.roomId === roomId);
    await closeAll([watcher]);
    const audit = await callServerFn<{ rows: { action: string }[]; total: number }>(
      two.url,
      "adminAuditFn",
      { action: "room.delete", from: Date.now() - 60_000, to: Date.now() + 1_000 },
      { cookie: owner.cookie, method: "GET" },
    );
    expect(audit.ok && audit.result.total).toBe(1);
    const byActor = await callServerFn<{ total: number }>(
      two.url,
      "adminAuditFn",
      { actorId: owner.userId },
      { cookie: owner.cookie, method: "GET" },
    );
    // user.deactivate, user.reactivate, user.role, room.delete.
    expect(byActor.ok && byActor.result.total).toBe(4);
  });
});
