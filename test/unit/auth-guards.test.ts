import { describe, expect, it } from "vitest";
import { clampDisplayName, FALLBACK_NAME } from "../../src/server/auth/names.server";
import { bodyRefusal, SERVER_FN_BODY_LIMIT } from "../../src/server/security-headers";

describe("clampDisplayName", () => {
  it("keeps a good name as checkDisplayName stores it", () => {
    expect(clampDisplayName("  Dana  ")).toBe("Dana");
  });

  it("cuts long names to 64 characters and drops invisible ones", () => {
    expect(clampDisplayName("L".repeat(100_000))).toBe("L".repeat(64));
    expect(clampDisplayName("Da\u200Bna\u202E")).toBe("Dana");
    expect(clampDisplayName("👍🏽".repeat(100))).toBe("👍🏽".repeat(64));
  });

  it("falls back when nothing is left", () => {
    expect(clampDisplayName("\u202E\u200B")).toBe(FALLBACK_NAME);
    expect(clampDisplayName("")).toBe(FALLBACK_NAME);
    expect(clampDisplayName("\uD800")).toBe("\uFFFD");
  });
});

describe("bodyRefusal", () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it("refuses server-function bodies over the cap or of undeclared length", () => {
    const over = String(SERVER_FN_BODY_LIMIT + 1);
    expect(bodyRefusal("/_serverFn/x", "POST", headers({ "content-length": over }))?.status).toBe(
      413,
    );
    expect(
      bodyRefusal("/_serverFn/x", "POST", headers({ "transfer-encoding": "chunked" }))?.status,
    ).toBe(411);
    expect(bodyRefusal("/_serverFn/x", "POST", headers({ "content-length": "100" }))).toBeNull();
    expect(bodyRefusal("/_serverFn/x", "GET", headers({}))).toBeNull();
    expect(bodyRefusal("/r/general", "POST", headers({ "content-length": over }))).toBeNull();
  });
});
