import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/server/log.server";

describe("createLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  const capture = () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  };

  it("writes one JSON line per call with level, time, message and fields", () => {
    const lines = capture();
    createLogger("info").info("ws open", { peer: "p1", user: "u1" });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({ level: "info", msg: "ws open", peer: "p1", user: "u1" });
    expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
  });

  it("drops lines below the level", () => {
    const lines = capture();
    const log = createLogger("warn");
    log.info("quiet");
    log.debug("quieter");
    log.warn("loud");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["loud"]);
  });

  it("redacts cookies, tokens, passwords and message text", () => {
    const lines = capture();
    createLogger("info").error("oops", { cookie: "a=b", token: "t", text: "hello", user: "u1" });
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({
      cookie: "[redacted]",
      token: "[redacted]",
      text: "[redacted]",
      user: "u1",
    });
  });
});
