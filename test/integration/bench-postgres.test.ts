// Parley on PostgreSQL as the bench prepares it (bench/lib/parley-pg.ts):
// a database of its own, migrated by Parley, users seeded with cookies the
// server accepts, dropped after; and a refused server that says why.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type ParleyPg, prepareParleyPg } from "../../bench/lib/parley-pg";
import { startParleySystem } from "../../bench/lib/systems";
import requireBuild from "../helpers/require-build";
import { postgresAvailable, TEST_POSTGRES_URL } from "../helpers/services";

const ready = await postgresAvailable();

async function databases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'parley_bench_%'",
    );
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describe.runIf(ready)("the bench's PostgreSQL data", () => {
  let data: ParleyPg | undefined;
  afterAll(async () => {
    await data?.drop();
  });

  it("seeds users whose cookies open a socket with their rooms, then drops the database", async () => {
    requireBuild();
    data = await prepareParleyPg(TEST_POSTGRES_URL, 3, (i) => (i < 2 ? ["general", `p-${i}`] : []));
    const name = new URL(data.databaseUrl).pathname.slice(1);
    expect(await databases()).toContain(name);
    expect(data.users).toHaveLength(3);

    const system = await startParleySystem(data, [], { DATABASE_URL: data.databaseUrl });
    try {
      const cookie = data.users[1]?.cookie ?? "";
      const { WebSocket } = await import("ws");
      const ws = new WebSocket(`${system.base.replace(/^http/, "ws")}/_ws`, {
        headers: { cookie, origin: system.base },
      });
      const ready = await new Promise<{ rooms: { slug: string }[] }>((resolve, reject) => {
        ws.on("message", (raw) => {
          const frame = JSON.parse(String(raw));
          if (frame.type === "ready") resolve(frame);
        });
        ws.on("error", reject);
        ws.on("unexpected-response", (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
      });
      ws.terminate();
      expect(ready.rooms.map((r) => r.slug).sort()).toEqual(["general", "p-1"]);
    } finally {
      await system.server.stop();
    }

    await data.drop();
    data = undefined;
    expect(await databases()).not.toContain(name);
  }, 60_000);
});

describe("the bench's PostgreSQL data without a server", () => {
  it("rejects with the connection's error", async () => {
    await expect(
      prepareParleyPg("postgresql://postgres@127.0.0.1:1/test", 1, () => []),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
