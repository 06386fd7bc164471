import { describe, expect, it } from "vitest";
import { ActionRefused, ChatClient } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import type { ChatSocket } from "../../src/client/socket";
import type { ClientFrame, ServerFrame, WireFile } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

/** A socket double: records sent frames, lets the test deliver server frames. */
function fakeSocket() {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const sent: ClientFrame[] = [];
  const socket = {
    status: "connected",
    isOpen: true,
    start() {},
    stop() {},
    send(frame: ClientFrame) {
      if (!socket.isOpen) return false;
      sent.push(frame);
      return true;
    },
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus: () => () => {},
  };
  return { socket, sent, deliver: (frame: ServerFrame) => onFrame(frame) };
}

const me = { id: "u-me", name: "Me" };
const ready: ServerFrame = {
  type: "ready",
  v: 2,
  user: me,
  rooms: [
    {
      id: "r",
      slug: "r",
      name: "r",
      kind: "public",
      lastSeq: 0,
      lastReadSeq: 0,
      mentioned: false,
      isDefault: false,
    },
  ],
};
const photo: WireFile = { id: "f1", name: "cat.png", size: 900, type: "image/png", image: true };
const report: WireFile = {
  id: "f2",
  name: "report.pdf",
  size: 1_258_291,
  type: "application/pdf",
  image: false,
};

function setup(outbox = memoryOutbox()) {
  const fake = fakeSocket();
  const client = new ChatClient(fake.socket as unknown as ChatSocket, outbox);
  client.start();
  return { ...fake, client, outbox };
}

const sends = (sent: ClientFrame[]) =>
  sent.filter((f): f is Extract<ClientFrame, { type: "send" }> => f.type === "send");

describe("ChatClient with files", () => {
  it("sends the files' ids, in order, and may send files with no text", () => {
    const { client, sent, deliver } = setup();
    deliver(ready);
    client.send("r", "", undefined, [photo, report]);
    expect(sends(sent)).toEqual([
      expect.objectContaining({ type: "send", roomId: "r", text: "", fileIds: ["f1", "f2"] }),
    ]);
    // A send without files carries no fileIds at all (the frame refuses an empty list).
    client.send("r", "plain");
    expect(sends(sent)[1]).not.toHaveProperty("fileIds");
  });

  it("keeps the files in the outbox: a send queued offline goes out once after reconnect, with its files", () => {
    const { client, sent, deliver, socket, outbox } = setup();
    deliver(ready);
    socket.isOpen = false;
    const { clientId } = client.send("r", "the figures", undefined, [report]);
    expect(sends(sent)).toEqual([]);
    expect(outbox.load()[0]?.files).toEqual([report]);
    expect(client.roomView("r").pending[0]?.files?.map((f) => f.name)).toEqual(["report.pdf"]);

    socket.isOpen = true;
    deliver(ready);
    expect(sends(sent)).toEqual([
      expect.objectContaining({ clientId, text: "the figures", fileIds: ["f2"] }),
    ]);
    deliver({
      type: "ack",
      clientId,
      message: wireMessage(1, { text: "the figures", files: [report] }),
    });
    expect(outbox.load()).toEqual([]);
    // Another reconnect sends nothing again.
    deliver(ready);
    expect(sends(sent)).toHaveLength(1);
  });

  it("resends an unacked send with the same clientId and the same files (the server acks it once)", () => {
    const { client, sent, deliver } = setup();
    deliver(ready);
    const { clientId } = client.send("r", "", undefined, [photo]);
    deliver(ready); // the connection dropped before the ack
    const attempts = sends(sent);
    expect(attempts).toHaveLength(2);
    expect(attempts.map((f) => [f.clientId, f.fileIds])).toEqual([
      [clientId, ["f1"]],
      [clientId, ["f1"]],
    ]);
  });

  it("restores files of a send from a previous page load", () => {
    const outbox = memoryOutbox();
    outbox.save([{ clientId: "old", roomId: "r", text: "", files: [photo], failed: null }]);
    const { sent, deliver } = setup(outbox);
    deliver(ready);
    expect(sends(sent)).toEqual([expect.objectContaining({ clientId: "old", fileIds: ["f1"] })]);
  });

  it("a thread reply carries files too", () => {
    const { client, sent, deliver } = setup();
    deliver(ready);
    client.send("r", "see", { rootId: "root", alsoToRoom: false }, [report]);
    expect(sends(sent)[0]).toMatchObject({ threadRootId: "root", fileIds: ["f2"] });
    expect(client.threadView("root").pending[0]?.files).toEqual([report]);
  });

  it("removePreview sends remove_preview and settles on ok or error", async () => {
    const { client, sent, deliver } = setup();
    deliver(ready);
    const removed = client.removePreview("r", "m1");
    const frame = sent.at(-1);
    expect(frame).toMatchObject({ type: "remove_preview", roomId: "r", messageId: "m1" });
    deliver({ type: "ok", ref: frame?.ref ?? "" });
    await expect(removed).resolves.toBeUndefined();

    const refused = client.removePreview("r", "m2");
    const second = sent.at(-1);
    deliver({ type: "error", code: "forbidden", message: "not yours", ref: second?.ref ?? "" });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionRefused);
    expect(error).toMatchObject({ code: "forbidden" });
  });

  it("removePreview is refused at once while disconnected", async () => {
    const { client, deliver, socket } = setup();
    deliver(ready);
    socket.isOpen = false;
    await expect(client.removePreview("r", "m1")).rejects.toMatchObject({ code: "disconnected" });
  });
});
