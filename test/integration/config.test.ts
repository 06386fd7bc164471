import { describe, expect, it } from "vitest";
import { runExpectingExit } from "../helpers/integration-extra";

// Each case starts the built server with one bad variable: it must refuse to
// run (non-zero exit within seconds, not hang or serve) and say which
// variable is wrong. Run one after another: each is a Node process.
const cases: [string, Record<string, string>][] = [
  ["PORT", { PORT: "notaport" }],
  ["NITRO_PORT", { NITRO_PORT: "70000" }],
  ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
  ["BETTER_AUTH_SECRET", { BETTER_AUTH_SECRET: "short" }],
  ["PARLEY_ALLOWED_ORIGINS", { PARLEY_ALLOWED_ORIGINS: "https://ok.example,not-an-origin" }],
  ["PARLEY_PUBLIC_URL", { PARLEY_PUBLIC_URL: "https://chat.example.com/app" }],
  ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/parley" }],
  ["REDIS_URL", { REDIS_URL: "localhost:6379" }],
];

describe("configuration errors stop the server at start", () => {
  it.each(cases)("bad %s: %j", async (variable, env) => {
    const { code, output, ms } = await runExpectingExit(env, { runningWhen: /storage ready/ });
    expect(code, `still running after ${ms} ms:\n${output}`).not.toBeNull();
    expect(code, output).not.toBe(0);
    expect(ms).toBeLessThan(8_000);
    // "PORT: ...", or "PARLEY_ALLOWED_ORIGINS.1: ..." for a list entry.
    expect(output).toMatch(new RegExp(`\\b${variable}(\\.\\d+)?: `));
    expect(output).toContain("Invalid configuration");
  });

  it("an unreachable PostgreSQL stops the server at start, naming where it looked", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const { code, output } = await runExpectingExit(
      { DATABASE_URL: "postgresql://parley:secret@127.0.0.1:1/parley" },
      { runningWhen: /storage ready/ },
    );
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
    expect(output).toContain("PostgreSQL at 127.0.0.1:1/parley");
    expect(output).not.toContain("secret");
  });

  it("names every bad variable at once", async () => {
    const { code, output } = await runExpectingExit({
      LOG_LEVEL: "loud",
      BETTER_AUTH_SECRET: "short",
    });
    expect(code).not.toBe(0);
    expect(output).toContain("LOG_LEVEL:");
    expect(output).toContain("BETTER_AUTH_SECRET:");
  });

  // Regression: z.coerce once turned an empty PORT into 0 (a random port).
  it("an empty PORT is refused instead of silently serving on a random port", async () => {
    const { code, output } = await runExpectingExit(
      { PORT: "", LOG_LEVEL: "info" },
      { runningWhen: /storage ready/ },
    );
    expect(code, `still running:\n${output}`).not.toBeNull();
    expect(output).toContain("PORT:");
  });
});
