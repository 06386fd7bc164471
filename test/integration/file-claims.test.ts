import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireFile } from "../../src/protocol/frames";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import { createRoom, joinAs, openDb, type WireMessage } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Claiming files in the message's transaction (issue 12), over a real
// socket on the built server. Until the upload route (POST /api/files) is
// on main, an "upload" is what that route leaves behind: a file row in the
// server's SQLite file and its bytes under PARLEY_DATA_DIR/files.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const blobPath = (key: string) => join(server.dataDir, "files", key);

/** An unclaimed upload of `uploaderId`: its row and its blob (and thumbnail). */
function upload(uploaderId: string, name = "cat.png", type = "image/png") {
  const id = randomUUID();
  const blobKey = `f/${id}`;
  const thumbKey = `t/${id}`;
  for (const key of [blobKey, thumbKey]) {
    mkdirSync(join(blobPath(key), ".."), { recursive: true });
    writeFileSync(blobPath(key), `bytes of ${name}`);
  }
  const db = openDb(server.dataDir);
  try {
    db.prepare(
      `insert into file (id, uploader_id, name, size, content_type, blob_key, thumb_key, width, height, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, uploaderId, name, 13, type, blobKey, thumbKey, 64, 48, Date.now());
  } finally {
    db.close();
  }
  return { id, blobKey, thumbKey };
}

/** Sends and resolves with this send's one answer: its ack or its error. */
async function sendWithFiles(
  socket: TestSocket,
  roomId: string,
  fileIds: string[],
  text = "",
  clientId = randomUUID(),
): Promise<Frame> {
  socket.send({ type: "send", roomId, clientId, text, fileIds });
  return socket.next((f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId);
}

/** A room both people opened and subscribed to. */
async function twoMembers() {
  const room = createRoom(server.dataDir);
  const ann = await joinAs(server.url, [room.slug]);
  const bob = await joinAs(server.url, [room.slug]);
  for (const socket of [ann.socket, bob.socket]) {
    socket.send({ type: "subscribe", roomId: room.id });
    await socket.next((f) => f.type === "subscribed" && f.roomId === room.id);
  }
  return { room, ann, bob };
}

const lastSeqOf = (roomId: string) => {
  const db = openDb(server.dataDir);
  try {
    return Number(db.prepare("select last_seq from room where id = ?").get(roomId)?.last_seq);
  } finally {
    db.close();
  }
};

/** Polls until `check` holds (the blob delete runs after the delete's commit). */
async function eventually(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("files on messages", () => {
  it("a send with files acks with them, the other member gets them live, and history has them", async () => {
    const { room, ann, bob } = await twoMembers();
    const photo = upload(ann.userId, "cat.png", "image/png");
    const doc = upload(ann.userId, "report.pdf", "application/pdf");
    const ack = await sendWithFiles(ann.socket, room.id, [photo.id, doc.id]);
    expect(ack.type).toBe("ack");
    const message = ack.message as WireMessage;
    expect(message.text).toBe("");
    expect(message.files).toEqual([
      {
        id: photo.id,
        name: "cat.png",
        size: 13,
        type: "image/png",
        image: true,
        width: 64,
        height: 48,
      },
      { id: doc.id, name: "report.pdf", size: 13, type: "application/pdf", image: false },
    ] satisfies WireFile[]);
    const live = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === message.id,
    );
    expect((live.message as WireMessage).files).toEqual(message.files);

    // After a reconnect the replay carries them...
    bob.socket.close();
    const again = await connect(server.url, bob.cookie);
    again.send({ type: "subscribe", roomId: room.id, afterSeq: 0 });
    const history = await again.next(
      (f) => f.type === "history" && (f.messages as WireMessage[]).some((m) => m.id === message.id),
    );
    const replayed = (history.messages as WireMessage[]).find((m) => m.id === message.id);
    expect(replayed?.files).toEqual(message.files);
    // ...and so does the room page's history.
    const page = await callServerFn<{ messages: WireMessage[] }>(
      server.url,
      "openRoomFn",
      { slug: room.slug },
      { cookie: bob.cookie, method: "GET" },
    );
    expect(page.ok && page.result.messages.find((m) => m.id === message.id)?.files).toEqual(
      message.files,
    );
    again.close();
    ann.socket.close();
  });

  it("a claimed file cannot be claimed again, and another's file is refused: nothing stored", async () => {
    const { room, ann, bob } = await twoMembers();
    const photo = upload(ann.userId);
    const first = await sendWithFiles(ann.socket, room.id, [photo.id], "mine");
    expect(first.type).toBe("ack");
    const seq = lastSeqOf(room.id);
    const fresh = upload(ann.userId);
    const again = await sendWithFiles(ann.socket, room.id, [fresh.id, photo.id], "again");
    expect(again).toMatchObject({
      type: "error",
      code: "forbidden",
      message: "a file of this message is not yours to attach or is already attached",
    });
    const theirs = await sendWithFiles(bob.socket, room.id, [fresh.id], "stolen");
    expect(theirs).toMatchObject({ type: "error", code: "forbidden" });
    const unknown = await sendWithFiles(bob.socket, room.id, [randomUUID()], "ghost");
    expect(unknown).toMatchObject({ type: "error", code: "not_found" });
    expect(lastSeqOf(room.id)).toBe(seq);
    // The fresh upload was not claimed by the refused send: Ann can still attach it.
    const later = await sendWithFiles(ann.socket, room.id, [fresh.id], "now");
    expect(later.type).toBe("ack");
    ann.socket.close();
    bob.socket.close();
  });

  it("deleting the message deletes its blobs from the store, and its files from the wire", async () => {
    const { room, ann, bob } = await twoMembers();
    const photo = upload(ann.userId);
    const ack = await sendWithFiles(ann.socket, room.id, [photo.id], "soon gone");
    const message = ack.message as WireMessage;
    expect(existsSync(blobPath(photo.blobKey))).toBe(true);
    ann.socket.send({ type: "delete", roomId: room.id, messageId: message.id, ref: "d1" });
    const updated = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).id === message.id,
    );
    expect(updated.message).toMatchObject({ deleted: true });
    expect((updated.message as WireMessage).files).toBeUndefined();
    await eventually(
      () => !existsSync(blobPath(photo.blobKey)) && !existsSync(blobPath(photo.thumbKey)),
    );
    const db = openDb(server.dataDir);
    try {
      expect(db.prepare("select id from file where id = ?").get(photo.id)).toBeUndefined();
    } finally {
      db.close();
    }
    ann.socket.close();
    bob.socket.close();
  });

  it("an edit drops a file (its blob goes) and adds another, live for the room", async () => {
    const { room, ann, bob } = await twoMembers();
    const first = upload(ann.userId, "one.png");
    const second = upload(ann.userId, "two.png");
    const ack = await sendWithFiles(ann.socket, room.id, [first.id], "pics");
    const message = ack.message as WireMessage;
    ann.socket.send({
      type: "edit",
      roomId: room.id,
      messageId: message.id,
      text: "",
      fileIds: [second.id],
    });
    const updated = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).id === message.id,
    );
    expect((updated.message as WireMessage).files?.map((f) => f.name)).toEqual(["two.png"]);
    expect((updated.message as WireMessage).text).toBe("");
    await eventually(() => !existsSync(blobPath(first.blobKey)));
    expect(existsSync(blobPath(second.blobKey))).toBe(true);
    ann.socket.close();
    bob.socket.close();
  });

  it("a thread reply carries files: the ack, the room's live frame and the thread page show them", async () => {
    const { room, ann, bob } = await twoMembers();
    const root = await sendWithFiles(bob.socket, room.id, [upload(bob.userId).id], "root");
    const rootId = (root.message as WireMessage).id;
    const photo = upload(ann.userId, "reply.png");
    const clientId = randomUUID();
    ann.socket.send({
      type: "send",
      roomId: room.id,
      clientId,
      text: "",
      fileIds: [photo.id],
      threadRootId: rootId,
    });
    const ack = await ann.socket.next((f) => f.type === "ack" && f.clientId === clientId);
    const replyMessage = ack.message as WireMessage;
    expect(replyMessage.files?.map((f) => f.id)).toEqual([photo.id]);
    const live = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === replyMessage.id,
    );
    expect((live.message as WireMessage).files).toEqual(replyMessage.files);
    const ref = randomUUID();
    bob.socket.send({ type: "thread", roomId: room.id, rootId, ref });
    await bob.socket.next((f) => f.type === "ok" && f.ref === ref);
    const page = bob.socket.frames.findLast((f) => f.type === "thread_history");
    if (!page) throw new Error("no thread_history frame");
    expect((page.root as WireMessage).files?.length).toBe(1);
    expect((page.replies as WireMessage[]).map((m) => m.files)).toEqual([replyMessage.files]);
    ann.socket.close();
    bob.socket.close();
  });
});
