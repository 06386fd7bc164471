// The relay scenario's own check (bench/scenarios/relay.ts): a room larger
// than the PostgreSQL users it has is refused before any server starts.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../bench/lib/config";
import type { ParleyPg } from "../../bench/lib/parley-pg";
import type { Context } from "../../bench/scenarios/measure";
import { relay } from "../../bench/scenarios/relay";

describe("the relay scenario", () => {
  it("refuses a room larger than the seeded users, starting nothing", async () => {
    const config = { ...loadConfig(), relay: { conns: 10, senders: 2, rate: 1, seconds: 1 } };
    const started: string[] = [];
    const ctx = { config, log: (line: string) => started.push(line) } as unknown as Context;
    const pg = {
      users: [{ cookie: "c", name: "bench0" }],
      dataDir: "/nonexistent",
      databaseUrl: "postgresql://127.0.0.1:1/none",
      drop: async () => undefined,
    } satisfies ParleyPg;
    await expect(relay(ctx, pg, "redis://127.0.0.1:1")).rejects.toThrow(
      /BENCH_RELAY_CONNS exceeds the PostgreSQL users/,
    );
    expect(started).toEqual([]);
  });
});
