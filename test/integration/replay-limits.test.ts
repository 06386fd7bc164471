// Issue 18, F-5: history replays and per-user frames against a socket that
// stopped reading. The server must keep its memory bounded (slow-consumer
// rule on every write, replays paced by drain) and cut what never reads.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FETCH_LIMIT } from "../../src/protocol/frames";
import { connect } from "../helpers/clients";
import { createRoom, joinAs, openDb } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { metric, pauseReading, rssMiB, until } from "../helpers/slow-reader";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** Fills a room straight in the database (seq and last_seq in step), as delivery.test.ts does. */
function seed(dataDir: string, roomId: string, authorId: string, count: number, text: string) {
  const db = openDb(dataDir);
  try {
    db.exec("BEGIN");
    const insert = db.prepare(
      "INSERT INTO message (id, room_id, seq, author_id, client_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (let seq = 1; seq <= count; seq++)
      insert.run(randomUUID(), roomId, seq, authorId, `seed-${seq}`, text, Date.now());
    db.prepare("UPDATE room SET last_seq = ? WHERE id = ?").run(count, roomId);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

describe("replays against a reader that stopped reading", () => {
  it("keeps memory bounded under a fetch flood and closes the reader with 4008", {
    timeout: 120_000,
  }, async () => {
    const room = createRoom(server.dataDir);
    const owner = await joinAs(server.url, [room.slug]);
    seed(server.dataDir, room.id, owner.userId, 2_000, "x".repeat(4_000));
    const slowBefore = await metric(server.url, "parley_slow_consumer_closes_total");
    const resume = pauseReading(owner.socket);
    const baseline = rssMiB(server.pid);
    let peak = baseline;
    let sent = 0;
    // 10 fetches of the whole room a second, for 8 s, never reading.
    const started = Date.now();
    while (Date.now() - started < 8_000) {
      owner.socket.send({ type: "fetch", roomId: room.id, afterSeq: 0 });
      sent++;
      peak = Math.max(peak, rssMiB(server.pid));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The replay waits (bounded) for the reader to drain, then gives up on it.
    const closedAsSlow = await until(async () => {
      peak = Math.max(peak, rssMiB(server.pid));
      return (await metric(server.url, "parley_slow_consumer_closes_total")) > slowBefore;
    }, 30_000);
    console.log(
      `fetch flood: ${sent} fetches of 2,000 x 4,000 chars; server RSS ${baseline.toFixed(0)} -> peak ${peak.toFixed(0)} MiB`,
    );
    resume();
    expect(closedAsSlow).toBe(true);
    expect((await owner.socket.closed).code).toBe(4008);
    expect(peak - baseline).toBeLessThan(300);
  });

  it("closes a paused reader with 4008 when per-user frames pile up behind it", {
    timeout: 60_000,
  }, async () => {
    const room = createRoom(server.dataDir);
    const owner = await joinAs(server.url, [room.slug]);
    seed(server.dataDir, room.id, owner.userId, 2_000, "y".repeat(4_000));
    const other = await connect(server.url, owner.cookie);
    const slowBefore = await metric(server.url, "parley_slow_consumer_closes_total");
    const resume = pauseReading(owner.socket);
    // One fetch fills the paused socket's kernel buffers and its queue.
    owner.socket.send({ type: "fetch", roomId: room.id, afterSeq: 0 });
    // Then the user's other socket moves the read marker again and again:
    // each move is a per-user `read` frame to every socket of the user.
    let marks = 0;
    const closedAsSlow = await until(async () => {
      for (let i = 0; i < 300; i++) {
        other.send({ type: "read", roomId: room.id, seq: 1 + (marks++ % 2_000) });
      }
      return (await metric(server.url, "parley_slow_consumer_closes_total")) > slowBefore;
      // A deadline, not a wait: on a loaded machine the rate lets fewer
      // markers through per second, so the queue takes longer to pass 1 MiB.
    }, 20_000);
    console.log(`per-user frames: paused reader cut after ${marks} read markers`);
    resume();
    expect(closedAsSlow).toBe(true);
    expect((await owner.socket.closed).code).toBe(4008);
    // The other socket, which reads, is untouched.
    other.send({ type: "read", roomId: room.id, seq: 2_000 });
    await other.next((f) => f.type === "read" && f.seq === 2_000, 10_000);
    other.close();
  });

  it("paces a subscribe replay by the reader: a paused one is cut with 4008, memory bounded", {
    timeout: 60_000,
  }, async () => {
    const room = createRoom(server.dataDir);
    const owner = await joinAs(server.url, [room.slug]);
    seed(server.dataDir, room.id, owner.userId, 2_000, "z".repeat(4_000));
    const slowBefore = await metric(server.url, "parley_slow_consumer_closes_total");
    const resume = pauseReading(owner.socket);
    const baseline = rssMiB(server.pid);
    let peak = baseline;
    owner.socket.send({ type: "subscribe", roomId: room.id, afterSeq: 0 });
    const closedAsSlow = await until(async () => {
      peak = Math.max(peak, rssMiB(server.pid));
      return (await metric(server.url, "parley_slow_consumer_closes_total")) > slowBefore;
    }, 30_000);
    console.log(
      `paused subscribe replay: RSS ${baseline.toFixed(0)} -> peak ${peak.toFixed(0)} MiB`,
    );
    resume();
    expect(closedAsSlow).toBe(true);
    expect((await owner.socket.closed).code).toBe(4008);
    expect(peak - baseline).toBeLessThan(300);
  });
});

describe("fetch is bounded", () => {
  it("answers one fetch with at most FETCH_LIMIT messages and says more remains", {
    timeout: 60_000,
  }, async () => {
    const room = createRoom(server.dataDir);
    const owner = await joinAs(server.url, [room.slug]);
    seed(server.dataDir, room.id, owner.userId, 2_500, "w");
    const fetchAll = async (afterSeq: number) => {
      const start = owner.socket.frames.length;
      owner.socket.send({ type: "fetch", roomId: room.id, afterSeq });
      const done = await owner.socket.next(
        (f) => f.type === "history" && f.done === true && owner.socket.frames.indexOf(f) >= start,
        20_000,
      );
      const seqs = owner.socket.frames
        .slice(start)
        .filter((f) => f.type === "history")
        .flatMap((f) => (f.messages as { seq: number }[]).map((m) => m.seq));
      return { seqs, more: done.more };
    };
    const first = await fetchAll(0);
    expect(first.seqs).toEqual(Array.from({ length: FETCH_LIMIT }, (_, i) => i + 1));
    expect(first.more).toBe(true);
    const second = await fetchAll(FETCH_LIMIT);
    expect(second.seqs[0]).toBe(FETCH_LIMIT + 1);
    expect(second.more).toBe(true);
    const last = await fetchAll(2 * FETCH_LIMIT);
    expect(last.seqs).toEqual(Array.from({ length: 500 }, (_, i) => 2 * FETCH_LIMIT + i + 1));
    expect(last.more).toBeUndefined();
    owner.socket.close();
  });
});

describe("frames sent while a replay waits", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    // The default frame budget (10 a second, bursts of 20).
    limited = await startServer({
      env: { PARLEY_RATE_PER_SECOND: "10", PARLEY_RATE_BURST: "20" },
    });
  });
  afterAll(() => limited?.stop());

  it("are admitted on arrival, so a flood behind a stalled replay is not held in memory", {
    timeout: 60_000,
  }, async () => {
    const room = createRoom(limited.dataDir);
    const owner = await joinAs(limited.url, [room.slug]);
    seed(limited.dataDir, room.id, owner.userId, 2_000, "v".repeat(4_000));
    const resume = pauseReading(owner.socket);
    // Fetches (40 MB, more than the kernel buffers) stall on the paused
    // reader: the replayed count stops short of 5 x 1,000 and stays put.
    for (let i = 0; i < 4; i++) owner.socket.send({ type: "fetch", roomId: room.id, afterSeq: 0 });
    let last = -1;
    const stalled = await until(async () => {
      const replayed = await metric(limited.url, "parley_replayed_messages_total");
      const still = replayed === last && replayed > 0 && replayed < 4_000;
      last = replayed;
      if (!still) await new Promise((resolve) => setTimeout(resolve, 400));
      return still;
    }, 15_000);
    expect(stalled).toBe(true);
    const baseline = rssMiB(limited.pid);
    let peak = baseline;
    // ...while 60 KB frames pour in behind it: 4,000 of them, 240 MB. Held
    // in the queue they would all stay in memory; refused on arrival they
    // are garbage at once (the peak still shows some, before collection).
    const junk = JSON.stringify({ type: "nope", pad: "j".repeat(60_000) });
    for (let i = 0; i < 4_000; i++) {
      owner.socket.send(junk);
      if (i % 100 === 0) {
        peak = Math.max(peak, rssMiB(limited.pid));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await until(() => {
      peak = Math.max(peak, rssMiB(limited.pid));
      return owner.socket.ws.bufferedAmount === 0;
    }, 20_000);
    peak = Math.max(peak, rssMiB(limited.pid));
    console.log(
      `4,000 x 60 KB frames behind a stalled replay: RSS ${baseline.toFixed(0)} -> peak ${peak.toFixed(0)} MiB`,
    );
    resume();
    // Refused for the rate on arrival, 50 in a row: closed 1008.
    expect((await owner.socket.closed).code).toBe(1008);
    expect(peak - baseline).toBeLessThan(150);
  });
});
