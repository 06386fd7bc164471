import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postRefusal } from "../../src/core/actions/send";
import type { ModerationAction } from "../../src/core/policy";
import { MOD_MUTED_MESSAGE } from "../../src/core/policy";
import type { ModerationStore } from "../../src/ports";
import type { StoreUnderTest } from "./stores.contract";

type ModerationUnderTest = StoreUnderTest & { moderation: ModerationStore };

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/** Member moderation (issue 14) on every driver: each change with its audit row, or neither. */
export function describeModerationContract(
  driver: string,
  open: () => Promise<ModerationUnderTest>,
) {
  describe(`moderation store contract: ${driver}`, () => {
    let store: ModerationUnderTest;
    let roomId: string;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: ann.id });
      roomId = room.id;
      await store.rooms.join(roomId, ann.id);
      await store.rooms.join(roomId, bob.id);
    });
    afterEach(() => store.close());

    const audit = () =>
      store.db
        .selectFrom("audit_log")
        .select(["actor_id", "action", "room_id", "target_user_id", "details"])
        .orderBy("at")
        .execute();
    const standing = (userId: string) => store.moderation.standing(roomId, userId);

    it("makes the creator who joins their new room its moderator, and nobody else", async () => {
      expect((await standing(ann.id))?.membership).toEqual({
        member: true,
        role: "moderator",
        modMuted: false,
      });
      expect((await standing(bob.id))?.membership).toEqual({
        member: true,
        role: "member",
        modMuted: false,
      });
      expect((await standing(bob.id))?.serverRole).toBe("member");
      expect(await standing("u-nobody")).toBeUndefined();
      const page = await store.rooms.membersPage(roomId, { limit: 10 });
      expect(page.find((m) => m.id === ann.id)?.role).toBe("moderator");
      expect(page.find((m) => m.id === bob.id)?.role).toBeUndefined();
      expect((await store.rooms.summaryOf(roomId, ann.id))?.role).toBe("moderator");
    });

    it("removes a member, with one audit row; a second remove changes nothing", async () => {
      expect(await store.moderation.apply(roomId, bob.id, "remove", ann.id)).toMatchObject({
        changed: true,
      });
      expect(await store.rooms.isMember(roomId, bob.id)).toBe(false);
      expect((await store.moderation.apply(roomId, bob.id, "remove", ann.id)).changed).toBe(false);
      expect(await audit()).toEqual([
        {
          actor_id: ann.id,
          action: "member.remove",
          room_id: roomId,
          target_user_id: bob.id,
          details: "{}",
        },
      ]);
      // Removed, not banned: they may come back.
      await store.rooms.join(roomId, bob.id);
      expect(await store.rooms.isMember(roomId, bob.id)).toBe(true);
    });

    it("bans a member: out, and kept out of a public room until unbanned", async () => {
      expect((await store.moderation.apply(roomId, bob.id, "ban", ann.id)).changed).toBe(true);
      expect((await standing(bob.id))?.membership).toEqual({ member: false, banned: true });
      await store.rooms.join(roomId, bob.id);
      expect(await store.rooms.isMember(roomId, bob.id)).toBe(false);
      expect((await store.moderation.apply(roomId, bob.id, "ban", ann.id)).changed).toBe(false);
      expect((await store.moderation.apply(roomId, bob.id, "unban", ann.id)).changed).toBe(true);
      await store.rooms.join(roomId, bob.id);
      expect(await store.rooms.isMember(roomId, bob.id)).toBe(true);
      expect((await audit()).map((row) => row.action)).toEqual(["member.ban", "member.unban"]);
    });

    it("mutes a member: the send gate refuses them with mayPost's words, and unmutes", async () => {
      expect(await store.moderation.apply(roomId, bob.id, "mute", ann.id)).toEqual({
        changed: true,
        role: "member",
        modMuted: true,
      });
      const send = (clientId: string) =>
        store.messages.appendIfMember({ roomId, author: bob, clientId, text: "hi" });
      const refused = await send("c1");
      expect(refused).toEqual({ ok: false, reason: "muted" });
      if (refused.ok) throw new Error("unreachable");
      expect(postRefusal(refused.reason)).toMatchObject({ message: MOD_MUTED_MESSAGE });
      // The slower paths are gated the same way: a send with files, a thread reply.
      const root = await store.messages.appendIfMember({
        roomId,
        author: ann,
        clientId: "root",
        text: "root",
      });
      if (!root.ok) throw new Error("the moderator could not post");
      const withFiles = await store.messages.appendWithFiles(
        { roomId, author: bob, clientId: "c2", text: "files" },
        { fileIds: [], check: () => ({ ok: true }) },
      );
      expect(withFiles).toEqual({ ok: false, reason: "muted" });
      const reply = await store.threads.reply(
        {
          roomId,
          author: bob,
          clientId: "c3",
          text: "reply",
          threadRootId: root.message.id,
          alsoInRoom: false,
        },
        ({ member, modMuted }) =>
          member && !modMuted
            ? { ok: true }
            : { ok: false, code: "forbidden", message: MOD_MUTED_MESSAGE },
      );
      expect(reply).toMatchObject({ ok: false, reason: "refused" });
      expect((await store.rooms.summaryOf(roomId, bob.id))?.modMuted).toBe(true);
      expect((await store.moderation.apply(roomId, bob.id, "unmute", ann.id)).modMuted).toBe(false);
      expect((await send("c4")).ok).toBe(true);
      expect((await audit()).map((row) => row.action)).toEqual(["member.mute", "member.unmute"]);
    });

    it("changes room roles, audited with the new role", async () => {
      expect(await store.moderation.apply(roomId, bob.id, "make_moderator", ann.id)).toEqual({
        changed: true,
        role: "moderator",
        modMuted: false,
      });
      expect((await store.moderation.apply(roomId, bob.id, "make_moderator", ann.id)).changed).toBe(
        false,
      );
      expect((await store.moderation.apply(roomId, bob.id, "make_member", ann.id)).role).toBe(
        "member",
      );
      expect((await audit()).map((row) => [row.action, JSON.parse(row.details).role])).toEqual([
        ["member.role", "moderator"],
        ["member.role", "member"],
      ]);
    });

    it("marks a moderator's deletion of another's message, with its audit row", async () => {
      const sent = await store.messages.appendIfMember({
        roomId,
        author: bob,
        clientId: "m1",
        text: "spam",
      });
      if (!sent.ok) throw new Error("bob could not post");
      const deleted = await store.messages.remove(
        roomId,
        sent.message.id,
        () => ({ ok: true }),
        ann.id,
      );
      expect(deleted).toMatchObject({
        ok: true,
        message: { deleted: true, deletedBy: "moderator" },
      });
      const [reread] = await store.messages.history(roomId, { limit: 1 });
      expect(reread?.deletedBy).toBe("moderator");
      expect(await audit()).toEqual([
        {
          actor_id: ann.id,
          action: "message.delete",
          room_id: roomId,
          target_user_id: bob.id,
          details: JSON.stringify({ messageId: sent.message.id }),
        },
      ]);
      // The author's own deletion is neither marked nor audited.
      const own = await store.messages.appendIfMember({
        roomId,
        author: bob,
        clientId: "m2",
        text: "oops",
      });
      if (!own.ok) throw new Error("bob could not post");
      const mine = await store.messages.remove(
        roomId,
        own.message.id,
        () => ({ ok: true }),
        bob.id,
      );
      expect(mine.ok && mine.message.deletedBy).toBeUndefined();
      expect(await audit()).toHaveLength(1);
    });

    const actions: [ModerationAction, () => Promise<unknown>][] = [
      ["remove", async () => expect(await store.rooms.isMember(roomId, bob.id)).toBe(true)],
      [
        "ban",
        async () => {
          expect(await store.rooms.isMember(roomId, bob.id)).toBe(true);
          expect((await standing(bob.id))?.membership).not.toMatchObject({ banned: true });
        },
      ],
      [
        "mute",
        async () => expect((await standing(bob.id))?.membership).toMatchObject({ modMuted: false }),
      ],
      [
        "make_moderator",
        async () => expect((await standing(bob.id))?.membership).toMatchObject({ role: "member" }),
      ],
    ];
    for (const [action, unchanged] of actions) {
      it(`rolls a ${action} back when its audit row cannot be written`, async () => {
        await sql`alter table audit_log rename to audit_log_away`.execute(store.db);
        try {
          await expect(store.moderation.apply(roomId, bob.id, action, ann.id)).rejects.toThrow();
        } finally {
          await sql`alter table audit_log_away rename to audit_log`.execute(store.db);
        }
        await unchanged();
        expect(await audit()).toEqual([]);
      });
    }

    it("rolls back each undo (unban, unmute, make_member) and a moderator's delete without their audit row", async () => {
      await store.moderation.apply(roomId, bob.id, "mute", ann.id);
      await store.moderation.apply(roomId, bob.id, "make_moderator", ann.id);
      const sent = await store.messages.appendIfMember({
        roomId,
        author: ann,
        clientId: "m1",
        text: "keep me",
      });
      if (!sent.ok) throw new Error("ann could not post");
      await store.moderation.apply(roomId, "u-ann", "remove", bob.id);
      await store.moderation.apply(roomId, "u-ann", "ban", bob.id);
      await sql`alter table audit_log rename to audit_log_away`.execute(store.db);
      try {
        for (const action of ["unmute", "make_member"] as const) {
          await expect(store.moderation.apply(roomId, bob.id, action, ann.id)).rejects.toThrow();
        }
        await expect(store.moderation.apply(roomId, ann.id, "unban", bob.id)).rejects.toThrow();
        await expect(
          store.messages.remove(roomId, sent.message.id, () => ({ ok: true }), bob.id),
        ).rejects.toThrow();
      } finally {
        await sql`alter table audit_log_away rename to audit_log`.execute(store.db);
      }
      expect((await standing(bob.id))?.membership).toEqual({
        member: true,
        role: "moderator",
        modMuted: true,
      });
      expect((await standing(ann.id))?.membership).toEqual({ member: false, banned: true });
      const [kept] = await store.messages.history(roomId, { limit: 1 });
      expect(kept).toMatchObject({ deleted: false, text: "keep me" });
    });
  });
}
