import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, expect, it } from "vitest";
import { getPage, signUp } from "../helpers/clients";
import { nodeChatClient, seededRandom, waitFor } from "../helpers/node-client";
import { type RunningServer, startServer } from "../helpers/server";

// The delivery promise under faults: K clients in two rooms send M messages
// each while the harness drops client sockets at random and kill -9s and
// restarts the server. Seeded (PARLEY_FAULT_SEED replays a run) and bounded.
const K = 4;
const M = 40;
const KILLS = 2;
const seed = Number(process.env.PARLEY_FAULT_SEED ?? 20261125);

let server: RunningServer | undefined;
afterAll(() => server?.kill());

function db(dataDir: string) {
  const handle = new DatabaseSync(join(dataDir, "parley.db"));
  handle.exec("PRAGMA busy_timeout = 5000");
  return handle;
}

it("loses nothing, doubles nothing and keeps order across drops and kill -9", {
  timeout: 120_000,
}, async () => {
  const random = seededRandom(seed);
  server = await startServer({ env: { NODE_ENV: "production" } });
  const running = server;
  const room2 = randomUUID();
  const handle = db(running.dataDir);
  handle
    .prepare(
      "INSERT INTO room (id, slug, name, created_by, created_at) VALUES (?, 'ops', 'ops', NULL, ?)",
    )
    .run(room2, Date.now());
  handle.close();

  const people = await Promise.all(
    Array.from({ length: K }, (_, i) => signUp(running.url, { name: `p${i}` })),
  );
  for (const person of people) {
    await getPage(running.url, "/r/general", person.cookie);
    await getPage(running.url, "/r/ops", person.cookie);
  }
  const clients = people.map((p) => nodeChatClient(running.url, p.cookie));
  await waitFor(() => clients.every((c) => c.client.user !== null), "every client ready");
  const general = clients[0]?.client.rooms().find((r) => r.slug === "general")?.id ?? "";
  const rooms = [general, room2];
  // Each client's log starts where the room stood when it joined.
  const joinedAt = clients.map(({ client }) => {
    const at: Record<string, number> = {};
    for (const roomId of rooms) {
      at[roomId] = client.roomSummary(roomId)?.lastSeq ?? 0;
      client.open(roomId, [], at[roomId]);
    }
    return at;
  });

  const sent: { clientId: string; roomId: string }[] = [];
  const senders = clients.map(async ({ client }) => {
    for (let n = 0; n < M; n++) {
      const roomId = rooms[Math.floor(random() * rooms.length)] ?? general;
      sent.push({
        roomId,
        clientId: client.send(roomId, `m${n} ${randomUUID().slice(0, 6)}`).clientId,
      });
      await new Promise((resolve) => setTimeout(resolve, 30 + random() * 120));
    }
  });

  let drops = 0;
  let kills = 0;
  let sending = true;
  const chaos = (async () => {
    while (sending) {
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 250));
      if (!sending) break;
      if (kills < KILLS && random() < 0.15) {
        kills++;
        await running.kill();
        await new Promise((resolve) => setTimeout(resolve, 200 + random() * 500));
        await running.restart();
      } else {
        const victim = clients[Math.floor(random() * clients.length)];
        victim?.socket.drop();
        drops++;
      }
    }
  })();
  await Promise.all(senders);
  // Make sure the server died at least KILLS times even in a quick run.
  while (kills < KILLS) {
    kills++;
    await running.kill();
    await running.restart();
  }
  sending = false;
  await chaos;

  const check = db(running.dataDir);
  const stored = (roomId: string) =>
    check
      .prepare("SELECT id, seq, client_id FROM message WHERE room_id = ? ORDER BY seq")
      .all(roomId)
      .map((r) => ({ id: String(r.id), seq: Number(r.seq), clientId: String(r.client_id) }));
  await waitFor(
    () =>
      clients.every(({ client }) => client.pending.length === 0 && client.status === "connected") &&
      clients.every(({ client }) =>
        rooms.every(
          (roomId) =>
            (client.roomView(roomId).messages.at(-1)?.seq ?? 0) ===
            (stored(roomId).at(-1)?.seq ?? 0),
        ),
      ),
    "every client to drain its outbox and catch up",
    45_000,
    () =>
      JSON.stringify({
        stored: rooms.map((roomId) => stored(roomId).at(-1)?.seq ?? 0),
        clients: clients.map(({ client }) => ({
          status: client.status,
          pending: client.pending.length,
          failed: client.pending.filter((p) => p.failed).map((p) => p.failed),
          logs: rooms.map((roomId) => client.roomView(roomId).messages.at(-1)?.seq ?? 0),
          sizes: rooms.map((roomId) => client.roomView(roomId).messages.length),
        })),
      }),
  );

  const acked = new Set(
    clients.flatMap(({ frames }) => frames.flatMap((f) => (f.type === "ack" ? [f.clientId] : []))),
  );
  const replays = clients.reduce(
    (sum, { frames }) =>
      sum + frames.filter((f) => f.type === "history" && f.messages.length > 0).length,
    0,
  );
  const replayed = clients.reduce(
    (sum, { frames }) =>
      sum + frames.reduce((n, f) => n + (f.type === "history" ? f.messages.length : 0), 0),
    0,
  );
  for (const roomId of rooms) {
    const rows = stored(roomId);
    // Gap-free seq, each clientId once.
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.clientId)).size).toBe(rows.length);
    clients.forEach(({ client }, index) => {
      const from = joinedAt[index]?.[roomId] ?? 0;
      const expected = rows.filter((r) => r.seq > from).map((r) => `${r.seq}:${r.id}`);
      expect(client.roomView(roomId).messages.map((m) => `${m.seq}:${m.id}`)).toEqual(expected);
    });
  }
  const storedIds = new Set(rooms.flatMap((roomId) => stored(roomId).map((r) => r.clientId)));
  check.close();
  // Every message sent was stored exactly once, acked or not when the server died.
  expect(sent).toHaveLength(K * M);
  for (const { clientId } of sent) expect(storedIds.has(clientId)).toBe(true);
  for (const clientId of acked) expect(storedIds.has(clientId)).toBe(true);
  expect(storedIds.size).toBe(K * M);
  console.log(
    `fault test (seed ${seed}): messages=${sent.length} acks=${acked.size} drops=${drops} kills=${kills} replays=${replays} replayed=${replayed}`,
  );
  for (const { client } of clients) client.stop();
});
