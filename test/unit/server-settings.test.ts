import { describe, expect, it } from "vitest";
import { checkSettingsPatch, emailInDomains } from "../../src/core/server-settings";

describe("checkSettingsPatch", () => {
  it("accepts a whole change, trimming the name and normalising domains", () => {
    expect(
      checkSettingsPatch({
        serverName: "  Acme chat ",
        signupPolicy: "domain",
        allowedDomains: ["@Example.com", " acme.io ", "example.com", ""],
        requireTwoFactor: true,
      }),
    ).toEqual({
      ok: true,
      settings: {
        serverName: "Acme chat",
        signupPolicy: "domain",
        allowedDomains: ["example.com", "acme.io"],
        requireTwoFactor: true,
      },
    });
  });

  it("leaves out what the change does not name", () => {
    expect(checkSettingsPatch({ requireTwoFactor: false })).toEqual({
      ok: true,
      settings: { requireTwoFactor: false },
    });
  });

  it.each([
    [{ serverName: "   " }, "serverName", /name/],
    [{ serverName: "x".repeat(61) }, "serverName", /at most 60/],
    [{ signupPolicy: "closed" }, "signupPolicy", /open, invite or domain/],
    [{ allowedDomains: "example.com" }, "allowedDomains", /one per line/],
    [{ allowedDomains: ["exa mple.com"] }, "allowedDomains", /"exa mple.com" is not a domain/],
    [{ signupPolicy: "domain", allowedDomains: [] }, "allowedDomains", /at least one/],
    [{ requireTwoFactor: "yes" }, "requireTwoFactor", /yes or no/],
  ])("refuses %j, naming %s", (patch, field, error) => {
    const checked = checkSettingsPatch(patch);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.field).toBe(field);
    expect(checked.error).toMatch(error);
  });
});

describe("emailInDomains", () => {
  it("matches the domain after the last @, case-insensitively, and nothing else", () => {
    expect(emailInDomains("Ann@Example.COM", ["example.com"])).toBe(true);
    expect(emailInDomains("ann@sub.example.com", ["example.com"])).toBe(false);
    expect(emailInDomains("ann@example.com.evil.io", ["example.com"])).toBe(false);
    expect(emailInDomains("no-at-sign", ["example.com"])).toBe(false);
  });
});
