import { describe, expect, it } from "vitest";
import {
  mayAdminister,
  mayChangeRole,
  mayDeactivate,
  mayExportRoom,
  mayGrantScopes,
  mayManageBots,
  maySetRetention,
  type ServerRole,
  serverRoleOf,
} from "../../src/core/admin-policy";

const as = (role: ServerRole, id = "actor") => ({ id, role });

describe("mayExportRoom", () => {
  it.each([
    ["owner", true],
    ["admin", true],
    ["member", false],
    ["guest", false],
    [null, false],
  ] as const)("%s -> %s", (role, allowed) => {
    expect(mayExportRoom(role)).toEqual(
      allowed ? { ok: true } : { ok: false, error: "Only admins can export a room." },
    );
  });
});

describe("mayAdminister", () => {
  it.each([
    ["owner", true],
    ["admin", true],
    ["member", false],
    ["guest", false],
    [null, false],
    [undefined, false],
  ] as const)("%s -> %s", (role, allowed) => {
    expect(mayAdminister(role)).toBe(allowed);
  });

  it("reads an unknown stored role as a member", () => {
    expect(serverRoleOf("superuser")).toBe("member");
    expect(serverRoleOf(null)).toBe("member");
    expect(serverRoleOf("guest")).toBe("guest");
  });
});

describe("maySetRetention", () => {
  it.each([
    ["owner", true],
    ["admin", true],
    ["member", false],
    ["guest", false],
    [null, false],
  ] as const)("%s -> %s", (role, allowed) => {
    const decision = maySetRetention(role);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok)
      expect(decision.error).toBe("Only admins can change how long messages are kept.");
  });
});

describe("mayChangeRole", () => {
  // actor, target, new role, owners now, allowed, the refusal's words
  const rows: [ServerRole, ServerRole, ServerRole, number, boolean, string?][] = [
    ["admin", "member", "admin", 1, true],
    ["admin", "member", "guest", 1, true],
    ["admin", "guest", "member", 1, true],
    ["admin", "member", "owner", 1, false, "Only an owner can grant"],
    ["admin", "admin", "member", 1, false, "Only an owner can change an admin"],
    ["admin", "owner", "member", 2, false, "Only an owner can grant or remove"],
    ["owner", "admin", "member", 1, true],
    ["owner", "member", "owner", 1, true],
    ["owner", "owner", "admin", 2, true],
    ["owner", "owner", "member", 1, false, "The last owner keeps the role"],
    ["owner", "member", "member", 1, false, "already a member"],
    ["member", "guest", "member", 1, false, "Only an admin"],
    ["guest", "member", "guest", 1, false, "Only an admin"],
  ];
  it.each(rows)("%s sets a %s to %s (owners %i): %s", (actor, target, role, owners, ok, why) => {
    const decision = mayChangeRole(as(actor), as(target, "target"), role, owners);
    expect(decision.ok).toBe(ok);
    if (!decision.ok) expect(decision.error).toContain(why);
  });

  it("nobody changes their own role, not even an owner among several", () => {
    const me = as("owner", "me");
    const decision = mayChangeRole(me, { id: "me", role: "owner" }, "admin", 3);
    expect(decision).toEqual({ ok: false, error: "You cannot change your own role." });
    expect(mayChangeRole(as("admin", "me"), as("admin", "me"), "member", 1).ok).toBe(false);
  });
});

describe("mayDeactivate", () => {
  const rows: [ServerRole, ServerRole, boolean, string?][] = [
    ["admin", "member", true],
    ["admin", "guest", true],
    ["admin", "admin", true],
    ["admin", "owner", false, "Only an owner can deactivate an owner."],
    ["owner", "owner", true],
    ["owner", "admin", true],
    ["member", "member", false, "Only an admin"],
    ["guest", "member", false, "Only an admin"],
  ];
  it.each(rows)("%s deactivates a %s: %s", (actor, target, ok, why) => {
    const decision = mayDeactivate(as(actor), as(target, "target"));
    expect(decision.ok).toBe(ok);
    if (!decision.ok) expect(decision.error).toContain(why);
  });

  it("not oneself", () => {
    expect(mayDeactivate(as("owner", "me"), as("owner", "me"))).toEqual({
      ok: false,
      error: "You cannot deactivate your own account.",
    });
  });
});

describe("mayGrantScopes (issue 15)", () => {
  // role of the token's owner, scopes asked, allowed
  const rows: [ServerRole | undefined, string[], boolean][] = [
    ["owner", ["read", "write", "admin"], true],
    ["admin", ["admin"], true],
    ["member", ["read", "write"], true],
    ["guest", ["read"], true],
    ["member", ["admin"], false],
    ["guest", ["read", "admin"], false],
    [undefined, ["admin"], false],
  ];
  it.each(rows)("%s asking %j -> %s", (role, scopes, allowed) => {
    const decision = mayGrantScopes(role, scopes);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) expect(decision.error).toContain("admin scope");
  });
});

describe("mayManageBots (issue 15)", () => {
  it.each([
    ["owner", true],
    ["admin", true],
    ["member", false],
    ["guest", false],
  ] as const)("%s -> %s", (role, allowed) => {
    const decision = mayManageBots(role);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) expect(decision.error).toBe("Only an admin can manage bots.");
  });
});
