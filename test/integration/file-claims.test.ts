import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, thumbUrl, type WireFile } from "../../src/protocol/frames";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import { getFile, upload as uploadFile } from "../helpers/files";
import { createRoom, joinAs, openDb, type WireMessage } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Claiming files in the message's transaction (issue 12), over a real
// socket on the built server, with uploads through POST /api/files.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const blobPath = (key: string) => join(server.dataDir, "files", key);

/** A small PNG, made with sharp (the server sniffs, cleans and thumbnails it). */
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#3a7" } })
    .png()
    .toBuffer();

/**
 * An upload through POST /api/files, unclaimed until a message claims it;
 * with its blob keys as the folder store keeps them.
 */
async function upload(cookie: string, name = "cat.png", body?: Uint8Array) {
  const answer = await uploadFile(server.url, {
    cookie,
    name,
    body: body ?? (await png(64, 48)),
  });
  if (answer.status !== 201) throw new Error(`upload answered ${answer.status}`);
  const file = answer.json.file as unknown as WireFile;
  return { ...file, blobKey: `files/${file.id}`, thumbKey: `thumbs/${file.id}` };
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

/** The wire file of an upload (the test's own blob keys left out). */
const wire = ({ blobKey: _b, thumbKey: _t, ...file }: Awaited<ReturnType<typeof upload>>) => file;

describe("files on messages", () => {
  it("a send with files acks with them, the other member gets them live, and history has them", async () => {
    const { room, ann, bob } = await twoMembers();
    const photo = await upload(ann.cookie, "cat.png");
    const doc = await upload(ann.cookie, "notes.txt", Buffer.from("plain words\n"));
    expect(photo).toMatchObject({ image: true, width: 64, height: 48 });
    expect(doc.image).toBe(false);
    const ack = await sendWithFiles(ann.socket, room.id, [doc.id, photo.id]);
    expect(ack.type).toBe("ack");
    const message = ack.message as WireMessage;
    expect(message.text).toBe("");
    expect(message.files).toEqual([wire(doc), wire(photo)]);
    const live = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === message.id,
    );
    expect((live.message as WireMessage).files).toEqual(message.files);
    // Claimed, the file is served to the room's members.
    expect((await getFile(server.url, fileUrl(photo), bob.cookie)).status).toBe(200);

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
    const photo = await upload(ann.cookie);
    const first = await sendWithFiles(ann.socket, room.id, [photo.id], "mine");
    expect(first.type).toBe("ack");
    const seq = lastSeqOf(room.id);
    const fresh = await upload(ann.cookie);
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
    // Still unclaimed: only its uploader may fetch it, and she can still attach it.
    expect((await getFile(server.url, fileUrl(fresh), bob.cookie)).status).toBe(404);
    const later = await sendWithFiles(ann.socket, room.id, [fresh.id], "now");
    expect(later.type).toBe("ack");
    ann.socket.close();
    bob.socket.close();
  });

  it("deleting the message deletes its blobs from the store, and its URLs answer 404", async () => {
    const { room, ann, bob } = await twoMembers();
    const photo = await upload(ann.cookie);
    const ack = await sendWithFiles(ann.socket, room.id, [photo.id], "soon gone");
    const message = ack.message as WireMessage;
    expect(existsSync(blobPath(photo.blobKey))).toBe(true);
    expect((await getFile(server.url, thumbUrl(photo), bob.cookie)).status).toBe(200);
    ann.socket.send({ type: "delete", roomId: room.id, messageId: message.id, ref: "d1" });
    const updated = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).id === message.id,
    );
    expect(updated.message).toMatchObject({ deleted: true });
    expect((updated.message as WireMessage).files).toBeUndefined();
    await eventually(
      () => !existsSync(blobPath(photo.blobKey)) && !existsSync(blobPath(photo.thumbKey)),
    );
    for (const cookie of [ann.cookie, bob.cookie]) {
      expect((await getFile(server.url, fileUrl(photo), cookie)).status).toBe(404);
      expect((await getFile(server.url, thumbUrl(photo), cookie)).status).toBe(404);
    }
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
    const first = await upload(ann.cookie, "one.png");
    const second = await upload(ann.cookie, "two.png");
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
    expect((await getFile(server.url, fileUrl(first), bob.cookie)).status).toBe(404);
    expect((await getFile(server.url, fileUrl(second), bob.cookie)).status).toBe(200);
    ann.socket.close();
    bob.socket.close();
  });

  it("a thread reply carries files: the ack, the room's live frame and the thread page show them", async () => {
    const { room, ann, bob } = await twoMembers();
    const root = await sendWithFiles(bob.socket, room.id, [(await upload(bob.cookie)).id], "root");
    const rootId = (root.message as WireMessage).id;
    const photo = await upload(ann.cookie, "reply.png");
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
    expect(replyMessage.files).toEqual([wire(photo)]);
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
