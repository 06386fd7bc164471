import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  joinAs,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
  storedMessages,
} from "../helpers/integration-extra";
import { nodeChatClient, waitFor } from "../helpers/node-client";
import type { RunningServer } from "../helpers/server";

// Order is a guarantee (issue 10, item 2): one author's messages in one room
// are stored in the order that author sent them, past the rate limit and
// across a restart. Twenty quick sends used to be stored as ...-16, -18, -17.
const COUNT = 60;
const RATE = { PARLEY_RATE_PER_SECOND: "10", PARLEY_RATE_BURST: "5" };

let server: RunningServer;
beforeAll(async () => {
  server = await startServeLike({ env: RATE });
});
afterAll(() => server?.stop());

/** A signed-up author with the product's ChatClient, and the general room's id. */
async function author() {
  const member = await joinAs(server.url);
  const general = roomIdFromReady(member.socket, "general");
  member.socket.close();
  const chat = nodeChatClient(server.url, member.cookie);
  return { ...member, ...chat, general };
}

/** The author's stored texts in seq order, and refusals their client heard. */
function outcome(a: Awaited<ReturnType<typeof author>>) {
  const stored = storedMessages(server.dataDir, a.general).filter((m) => m.author_id === a.userId);
  const refused = a.frames.filter((f) => f.type === "error");
  const count = (code: string) => refused.filter((f) => f.type === "error" && f.code === code);
  return {
    texts: stored.map((m) => m.text),
    seqs: stored.map((m) => m.seq),
    rateLimited: count("rate_limited").length,
    outOfOrder: count("out_of_order").length,
  };
}

describe("one author's messages are stored in the order sent", () => {
  it("refuses a send whose `after` is not the last send stored from the socket", async () => {
    const ann = await joinAs(server.url);
    const { socket } = ann;
    const general = roomIdFromReady(socket, "general");
    const id = (tag: string) => `${tag}-${randomUUID()}`;
    const [a, b, c] = [id("a"), id("b"), id("c")];
    await sendAndAck(socket, general, "first", a);
    // c names b, which is not stored: refused, to be sent again after b.
    socket.send({ type: "send", roomId: general, clientId: c, after: b, text: "third", ref: c });
    const refused = await socket.next((f) => f.ref === c);
    expect(refused).toMatchObject({ type: "error", code: "out_of_order", clientId: c });
    socket.send({ type: "send", roomId: general, clientId: b, after: a, text: "second" });
    await socket.next((f) => f.type === "ack" && f.clientId === b);
    await sendAndAck(socket, general, "third", c);
    const stored = storedMessages(server.dataDir, general).filter(
      (m) => m.author_id === ann.userId,
    );
    expect(stored.map((m) => m.text)).toEqual(["first", "second", "third"]);
    socket.close();
  });

  it(`holds for ${COUNT} sends at once, past the rate limit`, async () => {
    const a = await author();
    const texts = Array.from({ length: COUNT }, (_, i) => `burst ${String(i).padStart(2, "0")}`);
    const started = performance.now();
    const acks = texts.map((text) => a.client.send(a.general, text));
    await Promise.all(acks);
    const ms = Math.round(performance.now() - started);
    const result = outcome(a);
    console.log(
      `order, rate limit: ${COUNT} sent, ${result.texts.length} stored in ${ms} ms, ` +
        `${result.rateLimited} rate_limited, ${result.outOfOrder} out_of_order refusals`,
    );
    // It did go past the limit, and nothing was lost, doubled or reordered.
    expect(result.rateLimited).toBeGreaterThan(0);
    expect(result.texts).toEqual(texts);
    expect([...result.seqs].sort((x, y) => x - y)).toEqual(result.seqs);
    // What each send resolved with agrees with the database.
    expect((await Promise.all(acks)).map((m) => m.text)).toEqual(texts);
    a.client.stop();
  });

  it("holds when the server is killed in the middle of the stream", async () => {
    const a = await author();
    const texts = Array.from({ length: COUNT }, (_, i) => `restart ${String(i).padStart(2, "0")}`);
    const acks = texts.map((text) => a.client.send(a.general, text));
    let acked = 0;
    for (const ack of acks) void ack.then(() => acked++);
    await waitFor(() => acked >= 20, "20 of the sends acked");
    await server.kill();
    const pendingAtKill = a.client.pending.length;
    await server.restart();
    await Promise.all(acks);
    const result = outcome(a);
    console.log(
      `order, restart: ${COUNT} sent, SIGKILL with ${pendingAtKill} unacknowledged, ` +
        `${result.texts.length} stored, ${result.rateLimited} rate_limited, ` +
        `${result.outOfOrder} out_of_order refusals`,
    );
    expect(pendingAtKill).toBeGreaterThan(0);
    expect(result.texts).toEqual(texts);
    expect([...result.seqs].sort((x, y) => x - y)).toEqual(result.seqs);
    a.client.stop();
  });
});
