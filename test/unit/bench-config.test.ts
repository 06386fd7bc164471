// The bench's settings (bench/lib/config.ts): the issue-16 defaults, the
// quick sizes, and a clear error for a value it cannot use.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../bench/lib/config";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("bench settings", () => {
  it("runs many rooms at 500 rooms of 10 and includes ejabberd and the relay by default", () => {
    vi.stubEnv("BENCH_QUICK", "");
    const config = loadConfig();
    expect(config.rooms.rooms * config.rooms.size).toBe(5000);
    expect(config.systems).toContain("ejabberd");
    expect(config.scenarios).toContain("relay");
    expect(config.ejabberdMam).toBe("mnesia");
    expect(config.outDir).toBe("bench/results");
  });

  it("BENCH_QUICK=1 picks small sizes, one round, and an output folder of its own", () => {
    vi.stubEnv("BENCH_QUICK", "1");
    const config = loadConfig();
    expect(config.quick).toBe(true);
    expect(config.rounds).toBe(1);
    expect(config.fanout.conns).toBe(200);
    expect(config.rooms.rooms).toBe(50);
    expect(config.relay.conns).toBe(200);
    expect(config.outDir).toBe("bench/results/tmp/quick");
  });

  it("an explicit size wins over the quick one", () => {
    vi.stubEnv("BENCH_QUICK", "1");
    vi.stubEnv("BENCH_ROOMS", "7");
    expect(loadConfig().rooms.rooms).toBe(7);
  });

  it.each([
    ["BENCH_QUICK", "yes", /BENCH_QUICK must be 1 or 0, got "yes"/],
    ["BENCH_EJABBERD_MAM", "postgres", /BENCH_EJABBERD_MAM must be mnesia or sqlite/],
    ["BENCH_SYSTEMS", "parley,prosody", /unknown system prosody/],
    ["BENCH_SCENARIOS", "relay,storms", /unknown scenario storms/],
  ])("refuses %s=%s with a clear error", (name, value, message) => {
    vi.stubEnv(name, value);
    expect(() => loadConfig()).toThrow(message);
  });
});
