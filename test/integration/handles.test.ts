import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame } from "../helpers/clients";
import {
  authPost,
  joinAs,
  nextError,
  openDb,
  privateRoom,
  roomIdFromReady,
  sendAndAck,
} from "../helpers/integration-extra";
import { usePostgresServer } from "../helpers/postgres-server";
import { type RunningServer, startServer } from "../helpers/server";
import { postgresAvailable } from "../helpers/services";

// Handles (issue 17): unique case-insensitively, also under concurrent
// sign-ups (the unique index on lower(handle) decides the race), on SQLite
// and PostgreSQL; mentions resolve by handle; invites take one.

const signUpWith = (url: string, handle: string | undefined, name = "Dana Lee") =>
  authPost(url, "/sign-up/email", {
    name,
    email: `h-${randomUUID().slice(0, 10)}@example.test`,
    password: "correct horse battery",
    ...(handle === undefined ? {} : { handle }),
  });

/** The `user` of the `ready` frame a fresh socket of this cookie gets. */
async function readyUser(url: string, cookie: string) {
  const socket = await connect(url, cookie);
  const ready = socket.frames.find((f) => f.type === "ready") as Frame;
  socket.close();
  return ready.user as { id: string; name: string; handle?: string };
}

function describeHandleRules(label: string, serverOf: () => RunningServer) {
  it(`${label}: of 6 concurrent sign-ups for one handle in different cases, exactly one wins; the rest hear "That handle is taken"`, async () => {
    const url = serverOf().url;
    const base = `dana${randomUUID().slice(0, 6)}`;
    const spellings = [base, base.toUpperCase(), `@${base}`, ` ${base} `, base, base.toUpperCase()];
    const results = await Promise.all(spellings.map((handle) => signUpWith(url, handle)));
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(5);
    for (const r of lost) {
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: "HANDLE_TAKEN" });
      expect(r.json.message).toMatch(/That handle is taken/);
    }
    expect(won[0]?.json.user).toMatchObject({ handle: base });
    // Taken later too, whatever the case.
    const again = await signUpWith(url, base.toUpperCase());
    expect(again.json).toMatchObject({ code: "HANDLE_TAKEN" });
  });

  it(`${label}: refuses a malformed handle with a clear error and creates nothing`, async () => {
    const url = serverOf().url;
    for (const handle of ["a", "dana lee", "zoë", "x".repeat(33)]) {
      const refused = await signUpWith(url, handle);
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ code: "INVALID_HANDLE" });
      expect(refused.json.message).toMatch(/Handles/);
    }
  });

  it(`${label}: a sign-up without a handle gets one from the name, numbered when taken`, async () => {
    const url = serverOf().url;
    const name = `Quinn ${randomUUID().slice(0, 6)}`;
    const first = await signUpWith(url, undefined, name);
    const second = await signUpWith(url, undefined, name);
    const base = name.toLowerCase().replace(" ", ".");
    expect((first.json.user as { handle?: string }).handle).toBe(base);
    expect((second.json.user as { handle?: string }).handle).toBe(`${base}2`);
  });
}

describe("handles on SQLite (built server)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  describeHandleRules("sqlite", () => server);

  it("the session and member lists carry the handle", async () => {
    const ann = await joinAs(server.url, ["general"], `Ann${randomUUID().slice(0, 6)}`);
    const user = await readyUser(server.url, ann.cookie);
    expect(user.handle).toBe(ann.name.toLowerCase());
    const general = roomIdFromReady(ann.socket, "general");
    ann.socket.send({ type: "subscribe", roomId: general });
    const members = await ann.socket.next((f) => f.type === "subscribed" && f.roomId === general);
    const me = (members.members as { id: string; handle?: string }[]).find(
      (m) => m.id === ann.userId,
    );
    expect(me?.handle).toBe(user.handle);
    ann.socket.close();
  });

  it("update-user checks a new handle the same way: taken by another is refused, one's own or a free one is kept", async () => {
    const ann = await joinAs(server.url, ["general"], `Ann${randomUUID().slice(0, 6)}`);
    const bob = await joinAs(server.url, ["general"], `Bob${randomUUID().slice(0, 6)}`);
    ann.socket.close();
    bob.socket.close();
    const update = (cookie: string, handle: string) =>
      fetch(`${server.url}/api/auth/update-user`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, cookie },
        body: JSON.stringify({ handle }),
      }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const taken = await update(ann.cookie, bob.name.toUpperCase());
    expect(taken).toMatchObject({ status: 400, json: { code: "HANDLE_TAKEN" } });
    expect(await update(ann.cookie, "x")).toMatchObject({
      status: 400,
      json: { code: "INVALID_HANDLE" },
    });
    expect((await update(ann.cookie, ann.name)).status).toBe(200);
    const fresh = `ann.${randomUUID().slice(0, 6)}`;
    expect((await update(ann.cookie, fresh.toUpperCase())).status).toBe(200);
    expect((await readyUser(server.url, ann.cookie)).handle).toBe(fresh);
  });

  it("a mention of a non-member notifies nobody, is named in the ack, and an invite by handle fixes it", async () => {
    const ann = await joinAs(server.url);
    const carol = await joinAs(server.url, ["general"], `Carol${randomUUID().slice(0, 6)}`);
    const carolHandle = (await readyUser(server.url, carol.cookie)).handle as string;
    const room = privateRoom(server.dataDir, [ann.userId]);
    ann.socket.send({ type: "subscribe", roomId: room.id });

    const start = ann.socket.frames.length;
    const clientId = randomUUID();
    ann.socket.send({
      type: "send",
      roomId: room.id,
      clientId,
      text: `can @${carolHandle.toUpperCase()} review? and @nobody-here-${randomUUID().slice(0, 4)}`,
    });
    const ack = await ann.socket.next(
      (f) => f.type === "ack" && f.clientId === clientId && ann.socket.frames.indexOf(f) >= start,
    );
    const unresolved = ack.unresolved as string[];
    expect(unresolved).toHaveLength(2);
    expect(unresolved[0]).toBe(carolHandle);
    expect(mentionRows(server, room.id)).toEqual([]);

    // "Invite them?": the invite frame by handle (any case, with the @).
    ann.socket.send({
      type: "invite",
      roomId: room.id,
      userHandle: `@${carolHandle.toUpperCase()}`,
    });
    const added = await carol.socket.next((f) => f.type === "room_added");
    expect(added).toMatchObject({ room: { id: room.id, kind: "private" } });
    await ann.socket.next(
      (f) =>
        f.type === "members" &&
        f.roomId === room.id &&
        (f.members as { id: string }[]).some((m) => m.id === carol.userId),
    );
    const now = await sendAndAck(ann.socket, room.id, `thanks @${carolHandle}!`);
    expect(mentionRows(server, room.id)).toEqual([{ seq: now.seq, user_id: carol.userId }]);

    // An unknown handle is refused, naming it.
    const before = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userHandle: "no-such-handle-zz" });
    const error = await nextError(ann.socket, before);
    expect(error).toMatchObject({ code: "not_found" });
    expect(String(error.message)).toContain("@no-such-handle-zz");
    ann.socket.close();
    carol.socket.close();
  });
});

const pgReady = await postgresAvailable();

describe.runIf(pgReady)("handles on PostgreSQL (built server)", () => {
  const server = usePostgresServer("parley_handles");
  describeHandleRules("postgres", server);
});

function mentionRows(server: RunningServer, roomId: string) {
  const db = openDb(server.dataDir);
  try {
    return db
      .prepare("SELECT seq, user_id FROM message_mention WHERE room_id = ? ORDER BY seq")
      .all(roomId)
      .map((row) => ({ seq: Number(row.seq), user_id: String(row.user_id) }));
  } finally {
    db.close();
  }
}
