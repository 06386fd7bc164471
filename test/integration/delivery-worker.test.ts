import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRY_WINDOW_MS } from "../../src/core/outgoing-webhooks";
import { createLogger } from "../../src/server/log.server";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import type { Database } from "../../src/server/storage/schema.server";
import { openSqlite } from "../../src/server/storage/sqlite.server";
import { createDeliveryWorker } from "../../src/server/webhooks/delivery-worker.server";

// The delivery worker against a real SQLite file and a loopback receiver:
// two workers (two instances) share the rows and send each one once; the
// 24-hour give-up on a fake clock; a revoked webhook's row is dropped.

let receiver: Server;
let url: string;
const got: string[] = [];
let status = 200;

const path = join(mkdtempSync(join(tmpdir(), "parley-worker-")), "parley.db");
const opened: { close(): Promise<void> }[] = [];

function open(): Kysely<Database> {
  const { db, raw } = openSqlite(path);
  opened.push({
    async close() {
      await db.destroy();
      if (raw.isOpen) raw.close();
    },
  });
  return db as unknown as Kysely<Database>;
}

const log = createLogger("silent");
const worker = (db: Kysely<Database>, now?: () => number) =>
  createDeliveryWorker({
    db,
    log,
    retryBaseMs: 1_000,
    post: { allowHosts: ["127.0.0.1"], timeoutMs: 2_000 },
    postBack: async () => undefined,
    ...(now && { now }),
  });

async function addHook(db: Kysely<Database>, revoked = false) {
  const id = randomUUID();
  await db
    .insertInto("outgoing_webhook")
    .values({
      id,
      room_id: null,
      name: "test",
      target_url: `${url}/hook`,
      secret: "whsec_x",
      events: '["message_created"]',
      created_by: "u",
      created_at: Date.now(),
      revoked_at: revoked ? Date.now() : null,
    })
    .execute();
  return id;
}

async function addRows(
  db: Kysely<Database>,
  hookId: string,
  count: number,
  createdAt = Date.now(),
) {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db
    .insertInto("webhook_delivery")
    .values(
      ids.map((id) => ({
        id,
        webhook_id: hookId,
        room_id: null,
        event: "message_created",
        payload: JSON.stringify({ id }),
        next_attempt_at: createdAt,
        created_at: createdAt,
        last_status: null,
        last_error: null,
        done_at: null,
        claimed_until: null,
      })),
    )
    .execute();
  return ids;
}

const rowsOf = (db: Kysely<Database>, hookId: string) =>
  db
    .selectFrom("webhook_delivery")
    .select(["id", "status", "attempts", "last_error"])
    .where("webhook_id", "=", hookId)
    .execute();

beforeAll(async () => {
  receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      got.push(String(request.headers["x-parley-delivery"]));
      response.writeHead(status);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await migrateToLatest(open() as never);
});

afterAll(async () => {
  for (const handle of opened) await handle.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("delivery worker", () => {
  it("two workers on one database send each delivery exactly once", async () => {
    const a = open();
    const b = open();
    const hook = await addHook(a);
    const ids = await addRows(a, hook, 12);
    got.length = 0;
    status = 200;
    await Promise.all([worker(a).tick(), worker(b).tick(), worker(a).tick()]);
    expect([...got].sort()).toEqual([...ids].sort());
    const rows = await rowsOf(a, hook);
    expect(rows.every((r) => r.status === "done" && Number(r.attempts) === 1)).toBe(true);
  });

  it("gives up a delivery whose next try would fall past 24 hours after the event", async () => {
    const db = open();
    const hook = await addHook(db);
    const created = Date.now() - RETRY_WINDOW_MS + 500; // the next try (1 s) is past the window
    const [id] = await addRows(db, hook, 1, created);
    status = 500;
    await worker(db).tick();
    expect(await rowsOf(db, hook)).toEqual([
      { id, status: "failed", attempts: 1, last_error: "HTTP 500" },
    ]);
    status = 200;
  });

  it("reschedules a failed try with backoff on its fake clock, then delivers", async () => {
    const db = open();
    const hook = await addHook(db);
    let clock = Date.now();
    const w = worker(db, () => clock);
    await addRows(db, hook, 1, clock);
    status = 503;
    await w.tick();
    const [first] = await db
      .selectFrom("webhook_delivery")
      .select(["status", "attempts", "next_attempt_at"])
      .where("webhook_id", "=", hook)
      .execute();
    expect(first).toMatchObject({ status: "pending", attempts: 1 });
    expect(Number(first?.next_attempt_at)).toBe(clock + 1_000);
    // Not due yet: nothing is sent.
    const before = got.length;
    await w.tick();
    expect(got.length).toBe(before);
    status = 200;
    clock += 1_000;
    await w.tick();
    expect((await rowsOf(db, hook))[0]).toMatchObject({ status: "done", attempts: 2 });
  });

  it("drops a revoked webhook's rows without sending", async () => {
    const db = open();
    const hook = await addHook(db, true);
    await addRows(db, hook, 2);
    const before = got.length;
    await worker(db).tick();
    expect(got.length).toBe(before);
    const rows = await rowsOf(db, hook);
    expect(rows.map((r) => [r.status, r.last_error])).toEqual([
      ["failed", "webhook revoked"],
      ["failed", "webhook revoked"],
    ]);
  });
});
