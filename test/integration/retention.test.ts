import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, type WireFile } from "../../src/protocol/frames";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import { bytes, getFile, storedBlobs, upload } from "../helpers/files";
import {
  closeAll,
  createRoom,
  joinAs,
  type Member,
  openDb,
  roomIdFromReady,
  sendAndAck,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

const DAY = 86_400_000;

let server: RunningServer;
let owner: Member;
let member: Member;
let general: string;
const sockets: TestSocket[] = [];

/** Makes a stored message look `days` old (the sweep reads created_at). */
function age(messageId: string, days: number) {
  const db = openDb(server.dataDir);
  try {
    db.prepare("UPDATE message SET created_at = ? WHERE id = ?").run(
      Date.now() - days * DAY,
      messageId,
    );
  } finally {
    db.close();
  }
}

function rowOf(messageId: string) {
  const db = openDb(server.dataDir);
  try {
    return db
      .prepare("SELECT seq, text, deleted_at, rev FROM message WHERE id = ?")
      .get(messageId) as { seq: number; text: string; deleted_at: number | null; rev: number };
  } finally {
    db.close();
  }
}

function auditRows(action: string) {
  const db = openDb(server.dataDir);
  try {
    return db
      .prepare("SELECT actor_id, room_id, details FROM audit_log WHERE action = ? ORDER BY at")
      .all(action)
      .map((row) => ({
        actorId: String(row.actor_id),
        roomId: row.room_id === null ? null : String(row.room_id),
        details: JSON.parse(String(row.details)) as Record<string, unknown>,
      }));
  } finally {
    db.close();
  }
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const saveServer = (days: unknown, cookie = owner.cookie) =>
  callServerFn<{ ok: boolean; days?: number | null; error?: string }>(
    server.url,
    "saveServerRetentionFn",
    { days },
    { cookie },
  );
const saveRoom = (roomId: string, days: unknown, cookie = owner.cookie) =>
  callServerFn<{ ok: boolean; days?: number | null; error?: string }>(
    server.url,
    "saveRoomRetentionFn",
    { roomId, days },
    { cookie },
  );

beforeAll(async () => {
  server = await startServer({ env: { PARLEY_RETENTION_SWEEP_SECONDS: "1" } });
  owner = await joinAs(server.url);
  member = await joinAs(server.url);
  sockets.push(owner.socket, member.socket);
  general = roomIdFromReady(owner.socket, "general");
});
afterAll(async () => {
  await closeAll(sockets);
  await server?.stop();
});

describe("retention: keep messages for N days", () => {
  it("refuses bad values and non-admins, and changes nothing", async () => {
    for (const [days, words] of [
      [-1, "at least 1 day"],
      ["0", "at least 1 day"],
      ["1.5", "whole number"],
      ["ten", "whole number"],
      ["3651", "At most 3650 days"],
    ] as const) {
      const server = await saveServer(days);
      expect(server.ok && server.result).toMatchObject({ ok: false });
      expect(server.ok && server.result.error).toContain(words);
      const room = await saveRoom(general, days);
      expect(room.ok && room.result.error).toContain(words);
    }
    const asMember = await saveServer(30, member.cookie);
    expect(asMember.ok).toBe(false);
    expect(asMember.ok || asMember.error.message).toContain("Only admins");
    const roomAsMember = await saveRoom(general, 30, member.cookie);
    expect(roomAsMember.ok).toBe(false);
    const gone = await saveRoom(randomUUID(), 30);
    expect(gone.ok && gone.result).toEqual({ ok: false, error: "This room is no longer there." });
    const read = await callServerFn<{ days: number | null }>(
      server.url,
      "serverRetentionFn",
      undefined,
      { cookie: owner.cookie, method: "GET" },
    );
    expect(read.ok && read.result).toEqual({ days: null });
    expect(auditRows("retention.update")).toEqual([]);
  });

  it("deletes what is older than the limit (with its files), keeps the rest, tells live and resuming clients, audits the sweep", async () => {
    const kept = createRoom(server.dataDir);
    const short = createRoom(server.dataDir);
    const alice = await joinAs(server.url, ["general", kept.slug, short.slug]);
    sockets.push(alice.socket);
    const room = (slug: string) => roomIdFromReady(alice.socket, slug);

    // general: two old (one with a file, one reacted to), one new.
    const file = await upload(server.url, {
      cookie: alice.cookie,
      name: "old.txt",
      body: bytes(2_000),
    });
    expect(file.status).toBe(201);
    const wireFile = file.json.file as unknown as WireFile;
    const fileId = wireFile.id;
    const clientId = randomUUID();
    alice.socket.send({
      type: "send",
      roomId: general,
      clientId,
      text: "old with a file",
      fileIds: [fileId],
    });
    const withFile = (await alice.socket.next((f) => f.type === "ack" && f.clientId === clientId))
      .message as WireMessage;
    const reacted = await sendAndAck(alice.socket, general, "old with a reaction");
    alice.socket.send({ type: "react", roomId: general, messageId: reacted.id, emoji: "👍" });
    await alice.socket.next(
      (f) =>
        f.type === "updated" &&
        (f.message as WireMessage).id === reacted.id &&
        ((f.message as WireMessage).reactions?.length ?? 0) > 0,
    );
    const fresh = await sendAndAck(alice.socket, general, "new enough");
    const oldKept = await sendAndAck(alice.socket, room(kept.slug), "40 days, kept by 60");
    const oldShort = await sendAndAck(alice.socket, room(short.slug), "5 days, past 2");
    const shortFresh = await sendAndAck(alice.socket, room(short.slug), "1 hour");
    expect(storedBlobs(server.dataDir).length).toBeGreaterThan(0);
    const blobsBefore = storedBlobs(server.dataDir);

    // A client that saw general up to now, then went away.
    const resumer = await connect(server.url, member.cookie);
    resumer.send({ type: "subscribe", roomId: general });
    const subscribed = await resumer.next((f) => f.type === "subscribed" && f.roomId === general);
    resumer.close();
    await resumer.closed;

    age(withFile.id, 40);
    age(reacted.id, 31);
    age(fresh.id, 29);
    age(oldKept.id, 40);
    age(oldShort.id, 5);
    // Room limits first: the server's 30 days must never reach `kept`.
    expect((await saveRoom(room(kept.slug), "60")).ok).toBe(true);
    expect((await saveRoom(room(short.slug), 2)).ok).toBe(true);
    const saved = await saveServer(" 30 ");
    expect(saved.ok && saved.result).toEqual({ ok: true, days: 30 });

    const deleted = (id: string) => rowOf(id).deleted_at !== null;
    await waitFor(
      () => deleted(withFile.id) && deleted(reacted.id) && deleted(oldShort.id),
      "the sweep to delete the old messages",
    );
    for (const message of [withFile, reacted, oldShort]) {
      const row = rowOf(message.id);
      expect([message.id, row.seq, row.text]).toEqual([message.id, message.seq, ""]);
    }
    for (const message of [fresh, oldKept, shortFresh]) {
      expect([message.text, deleted(message.id)]).toEqual([message.text, false]);
    }

    // The watermark moved past what was swept, and nowhere else.
    const watermark = (roomId: string) => {
      const db = openDb(server.dataDir);
      try {
        const row = db.prepare("SELECT retention_seq FROM room WHERE id = ?").get(roomId);
        return Number(row?.retention_seq);
      } finally {
        db.close();
      }
    };
    await waitFor(() => watermark(general) === reacted.seq, "general's watermark");
    expect(watermark(room(short.slug))).toBe(oldShort.seq);
    expect(watermark(room(kept.slug))).toBe(0);

    // Live sockets hear each deletion as a delete's `updated`.
    for (const message of [withFile, reacted]) {
      const frame = await alice.socket.next(
        (f) =>
          f.type === "updated" &&
          (f.message as WireMessage).id === message.id &&
          (f.message as WireMessage).deleted === true,
      );
      expect((frame.message as WireMessage).reactions).toEqual([]);
    }

    // The file's row and blob are gone; its URL answers 404.
    await waitFor(
      () => storedBlobs(server.dataDir).length < blobsBefore.length,
      "the blob to be deleted",
    );
    const served = await getFile(server.url, fileUrl(wireFile), alice.cookie);
    expect(served.status).toBe(404);

    // A client resuming by rev gets the deletions.
    const back = await connect(server.url, member.cookie);
    sockets.push(back);
    const start = back.frames.length;
    back.send({
      type: "subscribe",
      roomId: general,
      afterSeq: subscribed.lastSeq,
      afterRev: subscribed.lastRev,
    });
    await back.next((f) => f.type === "history" && f.roomId === general && f.done === true);
    const replayed = back.frames
      .slice(start)
      .filter((f: Frame) => f.type === "history")
      .flatMap((f) => f.messages as WireMessage[]);
    const seen = new Map(replayed.map((m) => [m.id, m]));
    expect(seen.get(withFile.id)).toMatchObject({ deleted: true, text: "", seq: withFile.seq });
    expect(seen.get(reacted.id)).toMatchObject({ deleted: true, text: "" });
    expect(seen.get(fresh.id)?.deleted ?? false).toBe(false);

    // The sweep's audit rows: the system's, counts per room, `kept` never in them.
    const sweeps = auditRows("retention.sweep");
    expect(sweeps.length).toBeGreaterThan(0);
    const perRoom: Record<string, number> = {};
    for (const sweep of sweeps) {
      expect(sweep.actorId).toBe("system:retention");
      for (const [id, n] of Object.entries(sweep.details.rooms as Record<string, number>)) {
        perRoom[id] = (perRoom[id] ?? 0) + n;
      }
    }
    expect(perRoom).toEqual({ [general]: 2, [room(short.slug)]: 1 });
    const files = sweeps.reduce((sum, sweep) => sum + Number(sweep.details.files), 0);
    expect(files).toBeGreaterThan(0);
    // And the three settings, each with its own row.
    const updates = auditRows("retention.update");
    expect(updates.map((u) => [u.roomId, u.details])).toEqual([
      [room(kept.slug), { scope: "room", from: null, to: 60 }],
      [room(short.slug), { scope: "room", from: null, to: 2 }],
      [null, { scope: "server", from: null, to: 30 }],
    ]);

    // Empty means forever again: nothing else goes.
    expect((await saveServer("")).ok).toBe(true);
    const read = await callServerFn<{ days: number | null }>(
      server.url,
      "serverRetentionFn",
      undefined,
      { cookie: owner.cookie, method: "GET" },
    );
    expect(read.ok && read.result).toEqual({ days: null });
    const rooms = await callServerFn<{ rows: { id: string; retentionDays: number | null }[] }>(
      server.url,
      "adminRoomsFn",
      {},
      { cookie: owner.cookie, method: "GET" },
    );
    const listed = new Map((rooms.ok ? rooms.result.rows : []).map((r) => [r.id, r.retentionDays]));
    expect(listed.get(room(kept.slug))).toBe(60);
    expect(listed.get(general)).toBeNull();
  });
});
