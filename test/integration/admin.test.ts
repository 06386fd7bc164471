import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import {
  closeAll,
  joinAs,
  type Member,
  openDb,
  roomIdFromReady,
  sendAndAck,
  userIdOf,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

const PASSWORD = "correct horse battery";

type Users = { rows: { id: string; email: string; role: string; deactivatedAt: number | null }[] };
type Audit = {
  total: number;
  rows: { action: string; actorId: string; targetUserId: string | null; at: number }[];
};

// Issue 14, the admin console: roles, deactivation, audit filters, room delete.
describe("the admin console", () => {
  let server: RunningServer;
  let owner: Member;
  let member: Member;

  beforeAll(async () => {
    server = await startServer();
    owner = await joinAs(server.url);
    member = await joinAs(server.url);
  });
  afterAll(async () => {
    await closeAll([owner?.socket, member?.socket].filter((s) => s !== undefined));
    await server?.stop();
  });

  const call = <T>(name: string, data: unknown, cookie: string, method?: "GET" | "POST") =>
    callServerFn<T>(server.url, name, data, { cookie, method });

  const roleOf = (userId: string) => {
    const db = openDb(server.dataDir);
    try {
      return (db.prepare('select role from "user" where id = ?').get(userId) as { role: string })
        .role;
    } finally {
      db.close();
    }
  };

  it("the first sign-up is the owner and the second a member, in the session and in ready", async () => {
    expect(roleOf(owner.userId)).toBe("owner");
    expect(roleOf(member.userId)).toBe("member");
    expect(owner.socket.frames.find((f) => f.type === "ready")?.serverRole).toBe("owner");
    expect(member.socket.frames.find((f) => f.type === "ready")?.serverRole).toBe("member");
    const session = await call<{ serverRole: string }>(
      "getSessionFn",
      undefined,
      owner.cookie,
      "GET",
    );
    expect(session.ok && session.result.serverRole).toBe("owner");
  });

  it("shows /admin to the owner and the not-found page to a member; signed out goes to sign-in", async () => {
    const asOwner = await getPage(server.url, "/admin/users", owner.cookie);
    expect(asOwner.status).toBe(200);
    expect(asOwner.html).toContain('aria-label="Admin"');
    const asMember = await getPage(server.url, "/admin/users", member.cookie);
    expect(asMember.status).toBe(404);
    expect(asMember.html).toContain("Page not found");
    const signedOut = await getPage(server.url, "/admin/users");
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
  });

  it("refuses every console function to a non-admin", async () => {
    const calls: [string, unknown, "GET" | "POST"][] = [
      ["adminUsersFn", {}, "GET"],
      ["adminRoomsFn", {}, "GET"],
      ["adminAuditFn", {}, "GET"],
      ["adminSettingsFn", undefined, "GET"],
      ["changeRoleFn", { userId: member.userId, role: "admin" }, "POST"],
      ["setDeactivatedFn", { userId: owner.userId, deactivated: true }, "POST"],
      ["sendPasswordResetFn", { userId: owner.userId }, "POST"],
      ["adminArchiveRoomFn", { roomId: "x", archived: true }, "POST"],
      ["deleteRoomFn", { roomId: "x" }, "POST"],
      ["saveSettingsFn", { serverName: "Mine" }, "POST"],
    ];
    for (const [name, data, method] of calls) {
      const answer = await call(name, data, member.cookie, method);
      expect(answer.ok, name).toBe(false);
      if (!answer.ok)
        expect(answer.error.message, name).toBe("Only admins can use the admin console.");
    }
    expect(roleOf(member.userId)).toBe("member");
    expect(roleOf(owner.userId)).toBe("owner");
  });

  it("changes a role with its audit row, and refuses what the policy refuses", async () => {
    const done = await call<{ ok: boolean }>(
      "changeRoleFn",
      { userId: member.userId, role: "admin" },
      owner.cookie,
    );
    expect(done).toMatchObject({ ok: true, result: { ok: true } });
    expect(roleOf(member.userId)).toBe("admin");
    const audit = await call<Audit>("adminAuditFn", { action: "user.role" }, owner.cookie, "GET");
    expect(audit.ok && audit.result.rows[0]).toMatchObject({
      action: "user.role",
      actorId: owner.userId,
      targetUserId: member.userId,
    });
    // The new admin may not touch the owner, nor themselves.
    const up = await call<{ ok: boolean; error?: string }>(
      "changeRoleFn",
      { userId: owner.userId, role: "member" },
      member.cookie,
    );
    expect(up.ok && up.result).toEqual({
      ok: false,
      error: "Only an owner can grant or remove the owner role.",
    });
    const self = await call<{ ok: boolean; error?: string }>(
      "changeRoleFn",
      { userId: owner.userId, role: "admin" },
      owner.cookie,
    );
    expect(self.ok && self.result).toEqual({
      ok: false,
      error: "You cannot change your own role.",
    });
    // Back to member (by the owner), so the other tests see a member.
    await call("changeRoleFn", { userId: member.userId, role: "member" }, owner.cookie);
    expect(roleOf(member.userId)).toBe("member");
  });

  it("deactivation closes the user's sockets with 4003, refuses sign-in, and reactivation lets them in", async () => {
    const victim = await signUp(server.url, { password: PASSWORD });
    const socket = await connect(server.url, victim.cookie);
    const victimId = userIdOf(socket);
    const started = Date.now();
    const answer = await call<{ ok: boolean }>(
      "setDeactivatedFn",
      { userId: victimId, deactivated: true },
      owner.cookie,
    );
    expect(answer.ok && answer.result).toEqual({ ok: true });
    const closed = await socket.closed;
    console.log(`deactivation: socket closed after ${Date.now() - started} ms`);
    expect(closed.code).toBe(4003);
    // The old cookie's session is gone; a new socket is refused.
    const session = await httpFrom(server.url, "/api/auth/get-session", {
      headers: { cookie: victim.cookie },
    });
    expect(session.text).toBe("null");
    await expect(connect(server.url, victim.cookie)).rejects.toThrow("401");
    const refused = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({
      code: "ACCOUNT_DEACTIVATED",
      message: "This account is deactivated.",
    });
    const users = await call<Users>("adminUsersFn", { query: victim.email }, owner.cookie, "GET");
    expect(users.ok && users.result.rows[0]?.deactivatedAt).toBeGreaterThan(0);

    await call("setDeactivatedFn", { userId: victimId, deactivated: false }, owner.cookie);
    const back = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    expect(back.status).toBe(200);
    const again = await connect(server.url, back.cookie ?? "");
    again.close();
    const audit = await call<Audit>("adminAuditFn", {}, owner.cookie, "GET");
    const mine = audit.ok ? audit.result.rows.filter((r) => r.targetUserId === victimId) : [];
    // Newest first.
    expect(mine.map((r) => r.action)).toEqual(["user.reactivate", "user.deactivate"]);
  });

  it("nobody deactivates themselves, and an admin cannot deactivate the owner", async () => {
    const self = await call<{ ok: boolean; error?: string }>(
      "setDeactivatedFn",
      { userId: owner.userId, deactivated: true },
      owner.cookie,
    );
    expect(self.ok && self.result).toEqual({
      ok: false,
      error: "You cannot deactivate your own account.",
    });
    await call("changeRoleFn", { userId: member.userId, role: "admin" }, owner.cookie);
    try {
      const refused = await call<{ ok: boolean; error?: string }>(
        "setDeactivatedFn",
        { userId: owner.userId, deactivated: true },
        member.cookie,
      );
      expect(refused.ok && refused.result).toEqual({
        ok: false,
        error: "Only an owner can deactivate an owner.",
      });
    } finally {
      await call("changeRoleFn", { userId: member.userId, role: "member" }, owner.cookie);
    }
  });

  it("filters the audit log by actor, action and date", async () => {
    const all = await call<Audit>("adminAuditFn", {}, owner.cookie, "GET");
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(all.result.total).toBeGreaterThan(3);
    const ats = all.result.rows.map((r) => r.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    const byAction = await call<Audit>(
      "adminAuditFn",
      { action: "user.deactivate" },
      owner.cookie,
      "GET",
    );
    expect(byAction.ok && byAction.result.rows.every((r) => r.action === "user.deactivate")).toBe(
      true,
    );
    expect(byAction.ok && byAction.result.total).toBeGreaterThan(0);
    const byActor = await call<Audit>(
      "adminAuditFn",
      { actorId: member.userId },
      owner.cookie,
      "GET",
    );
    expect(byActor.ok && byActor.result.total).toBe(0);
    const future = await call<Audit>(
      "adminAuditFn",
      { from: Date.now() + 60_000 },
      owner.cookie,
      "GET",
    );
    expect(future.ok && future.result.total).toBe(0);
    const past = await call<Audit>(
      "adminAuditFn",
      { to: (ats.at(-1) ?? 0) - 1 },
      owner.cookie,
      "GET",
    );
    expect(past.ok && past.result.total).toBe(0);
    const window = await call<Audit>(
      "adminAuditFn",
      { from: ats.at(-1), to: ats[0] },
      owner.cookie,
      "GET",
    );
    expect(window.ok && window.result.total).toBe(all.result.total);
    const bad = await call("adminAuditFn", { action: "user.explode" }, owner.cookie, "GET");
    expect(bad.ok).toBe(false);
  });

  it("deletes a room with everything in it; members' sockets get room_removed; general stays", async () => {
    const created = await call<{ ok: boolean; room?: { slug: string } }>(
      "createRoomFn",
      { name: `doomed-${Date.now() % 100000}` },
      member.cookie,
    );
    expect(created.ok).toBe(true);
    const slug = (created.ok && created.result.room?.slug) || "";
    await getPage(server.url, `/r/${slug}`, owner.cookie);
    const watcher = await connect(server.url, member.cookie);
    const roomId = roomIdFromReady(watcher, slug);
    const message = await sendAndAck(watcher, roomId, "soon gone");
    watcher.send({ type: "react", roomId, messageId: message.id, emoji: "👍", ref: "r" });
    await watcher.next((f) => (f.type === "ok" || f.type === "error") && f.ref === "r");

    const deleted = await call<{ ok: boolean }>("deleteRoomFn", { roomId }, owner.cookie);
    expect(deleted.ok && deleted.result).toEqual({ ok: true });
    await watcher.next((f) => f.type === "room_removed" && f.roomId === roomId);
    const db = openDb(server.dataDir);
    try {
      for (const table of ["room_member", "message", "saved_message", "message_mention"]) {
        const row = db.prepare(`select count(*) as n from ${table} where room_id = ?`).get(roomId);
        expect((row as { n: number }).n, table).toBe(0);
      }
      expect(db.prepare("select count(*) as n from room where id = ?").get(roomId)).toEqual({
        n: 0,
      });
      expect(
        db.prepare("select count(*) as n from reaction where message_id = ?").get(message.id),
      ).toEqual({ n: 0 });
      const fts = db
        .prepare("select count(*) as n from message_fts where message_fts match ?")
        .get('"soon gone"') as { n: number };
      expect(fts.n).toBe(0);
    } finally {
      db.close();
    }
    // A send to it now is refused.
    watcher.send({ type: "send", roomId, clientId: "after", text: "hello?" });
    const refusal = await watcher.next((f) => f.type === "error" && f.clientId === "after");
    expect(refusal.type).toBe("error");
    watcher.close();

    const audit = await call<Audit>("adminAuditFn", { action: "room.delete" }, owner.cookie, "GET");
    expect(audit.ok && audit.result.rows[0]).toMatchObject({
      action: "room.delete",
      actorId: owner.userId,
    });

    const general = roomIdFromReady(owner.socket, "general");
    const keep = await call<{ ok: boolean; error?: string }>(
      "deleteRoomFn",
      { roomId: general },
      owner.cookie,
    );
    expect(keep.ok && keep.result).toEqual({
      ok: false,
      error: "The default room cannot be deleted.",
    });
  });

  it("archives and unarchives a room with audit rows, and answers for rooms and people not there", async () => {
    const created = await call<{ ok: boolean; room?: { id: string } }>(
      "createRoomFn",
      { name: `shelf-${Date.now() % 100000}` },
      owner.cookie,
    );
    const roomId = (created.ok && created.result.room?.id) || "";
    type Rooms = { rows: { id: string; archivedAt: number | null }[] };
    const archivedAt = async () => {
      const rooms = await call<Rooms>("adminRoomsFn", {}, owner.cookie, "GET");
      return rooms.ok ? rooms.result.rows.find((r) => r.id === roomId)?.archivedAt : undefined;
    };
    expect(
      await call("adminArchiveRoomFn", { roomId, archived: true }, owner.cookie),
    ).toMatchObject({
      result: { ok: true },
    });
    expect(await archivedAt()).toBeGreaterThan(0);
    await call("adminArchiveRoomFn", { roomId, archived: false }, owner.cookie);
    expect(await archivedAt()).toBeNull();
    const audit = await call<Audit>("adminAuditFn", {}, owner.cookie, "GET");
    const actions = audit.ok ? audit.result.rows.map((r) => r.action) : [];
    expect(actions.slice(0, 2)).toEqual(["room.unarchive", "room.archive"]);

    const gone = { ok: false, error: "This room is no longer there." };
    const missing = "no-such-room";
    const deleted = await call("deleteRoomFn", { roomId: missing }, owner.cookie);
    expect(deleted.ok && deleted.result).toEqual(gone);
    const archived = await call(
      "adminArchiveRoomFn",
      { roomId: missing, archived: true },
      owner.cookie,
    );
    expect(archived.ok && archived.result).toEqual(gone);
    const nobody = { ok: false, error: "This account is no longer there." };
    const role = await call("changeRoleFn", { userId: "nobody", role: "admin" }, owner.cookie);
    expect(role.ok && role.result).toEqual(nobody);
    const off = await call(
      "setDeactivatedFn",
      { userId: "nobody", deactivated: true },
      owner.cookie,
    );
    expect(off.ok && off.result).toEqual(nobody);
    const badRole = await call(
      "changeRoleFn",
      { userId: member.userId, role: "root" },
      owner.cookie,
    );
    expect(badRole.ok).toBe(false);
  });

  it("sends a password reset (to the server log without SMTP) and audits it", async () => {
    const answer = await call<{ ok: boolean; error?: string }>(
      "sendPasswordResetFn",
      { userId: member.userId },
      owner.cookie,
    );
    expect(answer.ok && answer.result).toEqual({ ok: true });
    const audit = await call<Audit>(
      "adminAuditFn",
      { action: "user.password_reset" },
      owner.cookie,
      "GET",
    );
    expect(audit.ok && audit.result.total).toBe(1);
    const missing = await call<{ ok: boolean; error?: string }>(
      "sendPasswordResetFn",
      { userId: "nobody" },
      owner.cookie,
    );
    expect(missing.ok && missing.result).toMatchObject({ ok: false });
  });

  it("saves settings with a field's error next to it", async () => {
    const bad = await call<{ ok: boolean; field?: string; error?: string }>(
      "saveSettingsFn",
      { signupPolicy: "domain", allowedDomains: ["not a domain"] },
      owner.cookie,
    );
    expect(bad.ok && bad.result).toMatchObject({ ok: false, field: "allowedDomains" });
    const good = await call<{ ok: boolean; settings?: { serverName: string } }>(
      "saveSettingsFn",
      { serverName: "  Team chat " },
      owner.cookie,
    );
    expect(good.ok && good.result.settings?.serverName).toBe("Team chat");
    const audit = await call<Audit>(
      "adminAuditFn",
      { action: "settings.update" },
      owner.cookie,
      "GET",
    );
    expect(audit.ok && audit.result.total).toBe(1);
  });
});
