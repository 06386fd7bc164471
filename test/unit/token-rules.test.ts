import { describe, expect, it } from "vitest";
import { checkTokenRequest, expiryAfter, TOKEN_NAME_MAX } from "../../src/core/token-rules";

const NOW = 1_800_000_000_000;

describe("checkTokenRequest", () => {
  it("accepts a name, known scopes and no expiry, trimmed and in scope order", () => {
    expect(
      checkTokenRequest(
        { name: "  CI  ", scopes: ["write", "read", "write"], expiresAt: null },
        NOW,
      ),
    ).toEqual({ ok: true, name: "CI", scopes: ["read", "write"], expiresAt: null });
  });

  it("accepts an expiry in the future", () => {
    const expiresAt = expiryAfter(7, NOW);
    expect(expiresAt).toBe(NOW + 7 * 86_400_000);
    expect(checkTokenRequest({ name: "a", scopes: ["read"], expiresAt }, NOW)).toMatchObject({
      ok: true,
      expiresAt,
    });
    expect(expiryAfter(null, NOW)).toBeNull();
  });

  it.each([
    [{ name: "   ", scopes: ["read"], expiresAt: null }, "Give the token a name."],
    [
      { name: "x".repeat(TOKEN_NAME_MAX + 1), scopes: ["read"], expiresAt: null },
      "at most 80 characters",
    ],
    [{ name: "a", scopes: [], expiresAt: null }, "Choose at least one scope."],
    [{ name: "a", scopes: ["read", "root"], expiresAt: null }, 'Unknown scope "root".'],
    [{ name: "a", scopes: ["read"], expiresAt: NOW }, "The expiry must be in the future."],
    [{ name: "a", scopes: ["read"], expiresAt: NOW - 1 }, "The expiry must be in the future."],
    [{ name: "a", scopes: ["read"], expiresAt: Number.NaN }, "The expiry must be in the future."],
  ])("refuses %j", (request, error) => {
    const checked = checkTokenRequest(request, NOW);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toContain(error);
  });

  it("counts a name's length in characters, not UTF-16 units", () => {
    const name = "😀".repeat(TOKEN_NAME_MAX);
    expect(checkTokenRequest({ name, scopes: ["read"], expiresAt: null }, NOW).ok).toBe(true);
  });
});
