import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, thumbUrl, type WireFile } from "../../src/protocol/frames";
import type { TestSocket } from "../helpers/clients";
import { fileRows, getFile, storedBlobs, upload } from "../helpers/files";
import { waitFor } from "../helpers/http-from";
import { joinAs, type Member, privateRoom, type WireMessage } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

/** Sends files (and text) and resolves with the ack, or the error frame's code. */
async function sendFiles(
  socket: TestSocket,
  roomId: string,
  fileIds: string[],
  text = "",
): Promise<WireMessage | { error: string }> {
  const clientId = randomUUID();
  const start = socket.frames.length;
  socket.send({ type: "send", roomId, clientId, text, fileIds });
  const frame = await socket.next(
    (f) =>
      (f.type === "ack" || f.type === "error") &&
      f.clientId === clientId &&
      socket.frames.indexOf(f) >= start,
  );
  return frame.type === "ack"
    ? (frame.message as WireMessage)
    : { error: String(frame.code ?? frame.message) };
}

const sharpPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#369" } })
    .png()
    .toBuffer();

async function uploaded(server: RunningServer, cookie: string, name: string, body: Uint8Array) {
  const answer = await upload(server.url, { cookie, name, body });
  expect(answer.status).toBe(201);
  return answer.json.file as WireFile;
}

describe("files of a posted message are for its room's members", () => {
  let server: RunningServer;
  let ann: Member;
  let bob: Member;
  let carol: Member;
  let roomId: string;
  beforeAll(async () => {
    server = await startServer();
    [ann, bob, carol] = await Promise.all([
      joinAs(server.url),
      joinAs(server.url),
      joinAs(server.url),
    ]);
    roomId = privateRoom(server.dataDir, [ann.userId, bob.userId]).id;
    // Reconnect so the sockets are subscribed to the new room.
    for (const member of [ann, bob]) member.socket.close();
    const { connect } = await import("../helpers/clients");
    ann.socket = await connect(server.url, ann.cookie);
    bob.socket = await connect(server.url, bob.cookie);
  });
  afterAll(() => server?.stop());

  it("serves the file and its thumbnail to a member, and 404 to a non-member", async () => {
    const image = await uploaded(server, ann.cookie, "plan.png", await sharpPng(800, 600));
    const doc = await uploaded(server, ann.cookie, "plan.txt", Buffer.from("the plan"));
    const sent = await sendFiles(ann.socket, roomId, [image.id, doc.id], "see attached");
    if ("error" in sent) throw new Error(`send refused: ${sent.error}`);
    expect(sent.files?.map((file) => file.id)).toEqual([image.id, doc.id]);

    for (const path of [fileUrl(image), thumbUrl(image), fileUrl(doc)]) {
      expect([path, (await getFile(server.url, path, bob.cookie)).status]).toEqual([path, 200]);
      const outsider = await getFile(server.url, path, carol.cookie);
      expect([path, outsider.status]).toEqual([path, 404]);
      expect((await getFile(server.url, path)).status).toBe(404);
    }
    // An outsider holding the ETag learns nothing either.
    const etag = (await getFile(server.url, fileUrl(doc), bob.cookie)).headers.get("etag") ?? "";
    const probe = await getFile(server.url, fileUrl(doc), carol.cookie, { "if-none-match": etag });
    expect(probe.status).toBe(404);
  });

  it("refuses to claim a file a second time", async () => {
    const doc = await uploaded(server, ann.cookie, "once.txt", Buffer.from("once"));
    const first = await sendFiles(ann.socket, roomId, [doc.id]);
    expect("error" in first).toBe(false);
    const again = await sendFiles(ann.socket, roomId, [doc.id], "again");
    expect("error" in again).toBe(true);
  });

  it("answers 404 for the file and its thumbnail once the message is deleted, and the blobs are gone", async () => {
    const image = await uploaded(server, ann.cookie, "gone.png", await sharpPng(500, 500));
    const sent = await sendFiles(ann.socket, roomId, [image.id]);
    if ("error" in sent) throw new Error(`send refused: ${sent.error}`);
    expect((await getFile(server.url, fileUrl(image), bob.cookie)).status).toBe(200);
    expect(storedBlobs(server.dataDir)).toEqual(
      expect.arrayContaining([`files/${image.id}`, `thumbs/${image.id}`]),
    );
    ann.socket.send({ type: "delete", roomId, messageId: sent.id });
    await waitFor("the file to 404", async () =>
      (await getFile(server.url, fileUrl(image), bob.cookie)).status === 404 ? true : undefined,
    );
    for (const cookie of [bob.cookie, ann.cookie]) {
      expect((await getFile(server.url, thumbUrl(image), cookie)).status).toBe(404);
      expect((await getFile(server.url, fileUrl(image), cookie)).status).toBe(404);
    }
    await waitFor("the blobs to go", () =>
      storedBlobs(server.dataDir).some((key) => key.endsWith(image.id)) ? undefined : true,
    );
    expect(fileRows(server.dataDir).some((row) => row.id === image.id)).toBe(false);
  });
});

describe("the sweep spares claimed files", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // 0.0005 h = 1.8 s; the sweep then runs every second.
    server = await startServer({ env: { PARLEY_UNCLAIMED_FILE_HOURS: "0.0005" } });
  });
  afterAll(() => server?.stop());

  it("deletes an unsent upload and keeps one a message carries", async () => {
    const ann = await joinAs(server.url);
    const roomId = privateRoom(server.dataDir, [ann.userId]).id;
    const { connect } = await import("../helpers/clients");
    ann.socket.close();
    ann.socket = await connect(server.url, ann.cookie);
    const kept = await uploaded(server, ann.cookie, "kept.txt", Buffer.from("kept"));
    const sent = await sendFiles(ann.socket, roomId, [kept.id]);
    expect("error" in sent).toBe(false);
    const left = await uploaded(server, ann.cookie, "left.txt", Buffer.from("left"));
    await waitFor(
      "the sweep to take the unsent upload",
      () => (fileRows(server.dataDir).some((row) => row.id === left.id) ? undefined : true),
      15_000,
    );
    expect(fileRows(server.dataDir).map((row) => row.id)).toEqual([kept.id]);
    expect(storedBlobs(server.dataDir)).toEqual([`files/${kept.id}`]);
    expect((await getFile(server.url, fileUrl(kept), ann.cookie)).status).toBe(200);
  });
});
