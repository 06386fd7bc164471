import { describe, expect, it } from "vitest";
import {
  FAILURES_BEFORE_LOCK,
  lockDuration,
  MAX_LOCK_MS,
} from "../../src/server/auth/account-lock.server";
import { clampDisplayName, FALLBACK_NAME } from "../../src/server/auth/names.server";
import {
  bodyRefusal,
  isPrivateAnswer,
  SERVER_FN_BODY_LIMIT,
  securityHeaders,
} from "../../src/server/security-headers";

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

describe("securityHeaders", () => {
  it("adds HSTS only for an https public URL", () => {
    expect(securityHeaders("n", { https: true })["strict-transport-security"]).toMatch(
      /^max-age=31536000$/,
    );
    expect(securityHeaders("n")["strict-transport-security"]).toBeUndefined();
  });
});

describe("isPrivateAnswer", () => {
  it("marks auth, server functions, rooms and anything for a signed-in user", () => {
    expect(isPrivateAnswer("/api/auth/get-session", null)).toBe(true);
    expect(isPrivateAnswer("/_serverFn/abc", null)).toBe(true);
    expect(isPrivateAnswer("/r/general", null)).toBe(true);
    expect(isPrivateAnswer("/", "better-auth.session_token=abc")).toBe(true);
    expect(isPrivateAnswer("/", "a=b; __Secure-better-auth.session_token=abc")).toBe(true);
    expect(isPrivateAnswer("/sign-in", null)).toBe(false);
    expect(isPrivateAnswer("/rooms", null)).toBe(false);
    expect(isPrivateAnswer("/assets/index.js", "better-auth.session_token=abc")).toBe(false);
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

describe("lockDuration", () => {
  it("locks from the fifth failure on, doubling each time, up to an hour", () => {
    expect(lockDuration(FAILURES_BEFORE_LOCK - 1, 30_000)).toBe(0);
    expect(lockDuration(FAILURES_BEFORE_LOCK, 30_000)).toBe(30_000);
    expect(lockDuration(FAILURES_BEFORE_LOCK + 1, 30_000)).toBe(60_000);
    expect(lockDuration(FAILURES_BEFORE_LOCK + 3, 30_000)).toBe(240_000);
    expect(lockDuration(FAILURES_BEFORE_LOCK + 1000, 30_000)).toBe(MAX_LOCK_MS);
  });
});
