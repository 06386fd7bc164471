import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
  storedMessages,
  type WireMessage,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

let server: RunningServer;
let alice: Member;
let bob: Member;
let general: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServeLike();
  alice = await joinAs(server.url);
  bob = await joinAs(server.url);
  general = roomIdFromReady(alice.socket, "general");
});
afterAll(async () => {
  await closeAll([alice.socket, bob.socket, ...sockets]);
  await server?.stop();
});

/** Reconnects a member after a restart; their cookie must still be valid. */
async function reconnect(m: Member): Promise<TestSocket> {
  const socket = await connect(server.url, m.cookie);
  sockets.push(socket);
  return socket;
}

describe("restart", () => {
  it("SIGTERM closes open sockets with 1012; after restart history and seq continue", async () => {
    const texts = Array.from({ length: 5 }, (_, i) => `before stop ${i} ${randomUUID()}`);
    const clientIds = texts.map(() => randomUUID());
    const acked: WireMessage[] = [];
    for (const [i, text] of texts.entries()) {
      acked.push(await sendAndAck(alice.socket, general, text, clientIds[i]));
    }
    const lastSeq = acked.at(-1)?.seq ?? 0;

    await server.stop();
    const [a, b] = await Promise.all([alice.socket.closed, bob.socket.closed]);
    expect(a.code).toBe(1012);
    expect(b.code).toBe(1012);
    expect(server.output()).toContain('"msg":"stopped"');

    await server.restart();
    const page = await getPage(server.url, "/r/general", bob.cookie);
    expect(page.status).toBe(200);
    for (const text of texts) expect(page.html).toContain(text);

    const aliceAgain = await reconnect(alice);
    const bobAgain = await reconnect(bob);
    expect(roomIdFromReady(aliceAgain, "general")).toBe(general);

    // A client re-sending its outbox after the restart is recognised by clientId.
    const retried = await sendAndAck(aliceAgain, general, texts[4] ?? "", clientIds[4]);
    expect(retried).toEqual(acked[4]);

    const next = await sendAndAck(aliceAgain, general, `after restart ${randomUUID()}`);
    expect(next.seq).toBe(lastSeq + 1);
    const delivered = await bobAgain.next((f) => f.type === "message");
    expect((delivered.message as WireMessage).seq).toBe(next.seq);
  });

  it("SIGKILL loses no acked message and seq continues without a gap", async () => {
    const sender = await reconnect(alice);
    const acked: WireMessage[] = [];
    // Keep sending while the process is killed: every ack that arrived must survive.
    const gone = sender.closed.then(() => null);
    const pump = (async () => {
      for (let i = 0; ; i++) {
        const ack = await Promise.race([
          sendAndAck(sender, general, `kill ${i} ${randomUUID()}`).catch(() => null),
          gone,
        ]);
        if (!ack) return;
        acked.push(ack);
      }
    })();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 5));
    await server.kill();
    await pump;

    await server.restart();
    const stored = storedMessages(server.dataDir, general);
    const storedIds = new Map(stored.map((m) => [m.id, m]));
    for (const m of acked) {
      expect(storedIds.get(m.id), `acked seq ${m.seq} lost`).toMatchObject({
        seq: m.seq,
        text: m.text,
      });
    }
    const seqs = stored.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

    const page = await getPage(server.url, "/r/general", alice.cookie);
    const lastAcked = acked.at(-1);
    expect(lastAcked && page.html.includes(lastAcked.text)).toBe(true);

    const again = await reconnect(alice);
    const next = await sendAndAck(again, general, `after kill ${randomUUID()}`);
    expect(next.seq).toBe((seqs.at(-1) ?? 0) + 1);
  });
});
