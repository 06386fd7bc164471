import { describe, expect, it } from "vitest";
import { domainOnlyMessage, inviteState, usesLeft } from "../../src/core/invites";

const row = (over: Partial<Parameters<typeof inviteState>[0] & object> = {}) => ({
  expiresAt: null,
  maxUses: null,
  uses: 0,
  revokedAt: null,
  ...over,
});

describe("inviteState", () => {
  const now = 1_000_000;
  it("usable while not revoked, not expired and under the limit", () => {
    expect(inviteState(row(), now)).toBe("usable");
    expect(inviteState(row({ expiresAt: now + 1, maxUses: 5, uses: 4 }), now)).toBe("usable");
  });
  it("expired at the expiry instant, used up at the limit, revoked first", () => {
    expect(inviteState(row({ expiresAt: now }), now)).toBe("expired");
    expect(inviteState(row({ maxUses: 1, uses: 1 }), now)).toBe("used_up");
    expect(inviteState(row({ revokedAt: 1, expiresAt: 0, maxUses: 1, uses: 1 }), now)).toBe(
      "revoked",
    );
    expect(inviteState(row({ expiresAt: 0, maxUses: 1, uses: 1 }), now)).toBe("expired");
    expect(inviteState(undefined, now)).toBe("not_found");
  });
  it("uses left: null for unlimited, never below zero", () => {
    expect(usesLeft(row())).toBeNull();
    expect(usesLeft(row({ maxUses: 5, uses: 2 }))).toBe(3);
    expect(usesLeft(row({ maxUses: 1, uses: 3 }))).toBe(0);
  });
  it("the domain refusal names the domains", () => {
    expect(domainOnlyMessage(["example.com"])).toBe(
      "Sign-up here is for addresses at example.com.",
    );
    expect(domainOnlyMessage(["a.example", "b.example"])).toBe(
      "Sign-up here is for addresses at a.example, b.example.",
    );
  });
});
