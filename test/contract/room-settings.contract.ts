import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postRefusal } from "../../src/core/actions/send";
import {
  mayAttach,
  mayPost,
  mayReplyInThread,
  membershipOf,
  moderatesRoom,
} from "../../src/core/policy";
import { checkRoomSettings, type RoomSettingsPatch } from "../../src/core/room-settings";
import type { RoomAdminStore } from "../../src/ports";
import type { StoreUnderTest } from "./stores.contract";

type Under = StoreUnderTest & { roomAdmin: RoomAdminStore };

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };
const root = { id: "u-root", name: "Root" };

/** Room settings and the room half of the post gate (issue 14) on every driver. */
export function describeRoomSettingsContract(driver: string, open: () => Promise<Under>) {
  describe(`room settings contract: ${driver}`, () => {
    let store: Under;
    beforeEach(async () => {
      store = await open();
      for (const person of [ann, bob, root]) await store.addUser(person.id, person.name);
      await store.db.updateTable("user").set({ role: "admin" }).where("id", "=", root.id).execute();
    });
    afterEach(() => store.close());

    const audit = () =>
      store.db
        .selectFrom("audit_log")
        .select(["actor_id", "action", "room_id", "details"])
        .orderBy("at")
        .orderBy("action")
        .execute();
    const settings = (patch: RoomSettingsPatch) => {
      const checked = checkRoomSettings(patch);
      if (!checked.ok) throw new Error(checked.error);
      return checked.settings;
    };
    const moderator = async (roomId: string, userId: string) => {
      await store.rooms.join(roomId, userId);
      await store.db
        .updateTable("room_member")
        .set({ role: "moderator" })
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .execute();
    };

    it("renames (slug and skeleton follow), sets the topic and announcement-only, one audit row each", async () => {
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: ann.id });
      const result = await store.roomAdmin.setSettings(
        room.id,
        settings({ name: "Ops Team", topic: "  on call \n rota ", announcementOnly: true }),
        ann.id,
      );
      expect(result).toEqual({
        ok: true,
        changed: true,
        room: {
          id: room.id,
          name: "Ops Team",
          slug: "ops-team",
          topic: "on call rota",
          announcementOnly: true,
          archived: false,
        },
      });
      expect(await store.rooms.getRoomBySlug("ops")).toBeUndefined();
      expect(await store.rooms.getRoomBySlug("ops-team")).toMatchObject({
        id: room.id,
        name: "Ops Team",
        topic: "on call rota",
        announcementOnly: true,
      });
      expect((await audit()).map((row) => [row.actor_id, row.action, row.room_id])).toEqual([
        [ann.id, "room.announcement", room.id],
        [ann.id, "room.rename", room.id],
        [ann.id, "room.topic", room.id],
      ]);
      // The old name's skeleton went with it: a new room may take "ops".
      await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: bob.id });
      // Saving the same values again changes nothing and writes no row.
      const again = await store.roomAdmin.setSettings(
        room.id,
        settings({ name: "Ops Team", topic: "on call rota", announcementOnly: true }),
        ann.id,
      );
      expect(again).toMatchObject({ ok: true, changed: false });
      expect(await audit()).toHaveLength(3);
      // An empty topic clears it.
      await store.roomAdmin.setSettings(room.id, settings({ topic: "" }), ann.id);
      expect((await store.rooms.getRoom(room.id))?.topic).toBeUndefined();
    });

    it("refuses a taken or look-alike name and a DM, changing nothing", async () => {
      const ops = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: ann.id });
      await store.rooms.createRoom({ name: "design", slug: "design", createdBy: ann.id });
      expect(
        await store.roomAdmin.setSettings(ops.id, settings({ name: "DESIGN" }), ann.id),
      ).toEqual({ ok: false, code: "lookalike", existing: "design" });
      expect(
        await store.roomAdmin.setSettings(ops.id, settings({ name: "dеsign" }), ann.id),
      ).toMatchObject({ ok: false, code: "lookalike" });
      const dm = await store.rooms.openDm(ann, bob);
      expect(await store.roomAdmin.setSettings(dm.id, settings({ topic: "x" }), ann.id)).toEqual({
        ok: false,
        code: "not_found",
      });
      expect(
        await store.roomAdmin.setSettings("no-such-room", settings({ topic: "x" }), ann.id),
      ).toEqual({ ok: false, code: "not_found" });
      expect((await store.rooms.getRoom(ops.id))?.name).toBe("ops");
      expect(await audit()).toEqual([]);
    });

    it("keeps a private room's suffix and the default room's slug on a rename", async () => {
      const secret = await store.rooms.createRoom({
        name: "secret",
        slug: "secret--abcd1234",
        createdBy: ann.id,
        kind: "private",
      });
      const general = await store.rooms.ensureRoom({
        name: "general",
        slug: "general",
        isDefault: true,
      });
      const renamed = await store.roomAdmin.setSettings(
        secret.id,
        settings({ name: "Plans" }),
        ann.id,
      );
      expect(renamed).toMatchObject({ ok: true, room: { slug: "plans--abcd1234" } });
      const lobby = await store.roomAdmin.setSettings(
        general.id,
        settings({ name: "Lobby" }),
        root.id,
      );
      expect(lobby).toMatchObject({ ok: true, room: { name: "Lobby", slug: "general" } });
    });

    it("rolls a rename back when its audit row cannot be written", async () => {
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: ann.id });
      await sql`alter table audit_log rename to audit_log_away`.execute(store.db);
      try {
        await expect(
          store.roomAdmin.setSettings(
            room.id,
            settings({ name: "renamed", topic: "t", announcementOnly: true }),
            ann.id,
          ),
        ).rejects.toThrow();
      } finally {
        await sql`alter table audit_log_away rename to audit_log`.execute(store.db);
      }
      const after = await store.rooms.getRoom(room.id);
      expect(after).toMatchObject({ name: "ops", slug: "ops" });
      expect(after?.topic).toBeUndefined();
      expect(after?.announcementOnly).toBeUndefined();
      expect(await audit()).toEqual([]);
    });

    it("reads the standing fresh: server role and room role", async () => {
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: ann.id });
      expect(await store.roomAdmin.standing(room.id, bob.id)).toEqual({
        serverRole: "member",
        roomRole: null,
      });
      await store.rooms.join(room.id, bob.id);
      expect(await store.roomAdmin.standing(room.id, bob.id)).toEqual({
        serverRole: "member",
        roomRole: "member",
      });
      await moderator(room.id, bob.id);
      expect((await store.roomAdmin.standing(room.id, bob.id)).roomRole).toBe("moderator");
      expect((await store.roomAdmin.standing(room.id, root.id)).serverRole).toBe("admin");
    });

    it("the post gate (send, send with files, reply) decides exactly as mayPost on archived and announcement-only rooms", async () => {
      const loud = await store.rooms.createRoom({ name: "loud", slug: "loud", createdBy: ann.id });
      const quiet = await store.rooms.createRoom({ name: "news", slug: "news", createdBy: ann.id });
      const shut = await store.rooms.createRoom({ name: "old", slug: "old", createdBy: ann.id });
      for (const room of [loud, quiet, shut]) {
        for (const person of [bob, root]) await store.rooms.join(room.id, person.id);
        await moderator(room.id, ann.id);
      }
      // A thread root in each, posted before the rooms changed.
      const roots = new Map<string, string>();
      for (const room of [loud, quiet, shut]) {
        const first = await store.messages.appendIfMember({
          roomId: room.id,
          author: ann,
          clientId: "root",
          text: "root",
        });
        if (!first.ok) throw new Error("setup");
        roots.set(room.id, first.message.id);
      }
      await store.roomAdmin.setSettings(quiet.id, settings({ announcementOnly: true }), ann.id);
      await store.roomAdmin.setArchived(shut.id, true, ann.id);
      let n = 0;
      const seen = { allowed: 0, archived: 0, announcement: 0 };
      for (const room of [loud, quiet, shut]) {
        const facts = await store.rooms.getRoom(room.id);
        for (const author of [ann, bob, root]) {
          const standing = await store.roomAdmin.standing(room.id, author.id);
          const decision = mayPost(facts, membershipOf(true), moderatesRoom(standing));
          const where = `${author.name} in ${room.slug}`;
          const sent = await store.messages.appendIfMember({
            roomId: room.id,
            author,
            clientId: `c${++n}`,
            text: "x",
          });
          expect(sent.ok, where).toBe(decision.ok);
          if (!sent.ok) expect(postRefusal(sent.reason), where).toEqual(decision);
          // With files: the gate refuses before any file is asked about.
          const withFiles = await store.messages.appendWithFiles(
            { roomId: room.id, author, clientId: `c${++n}`, text: "x" },
            { fileIds: ["no-such-file"], check: (file) => mayAttach(file, author.id) },
          );
          if (decision.ok) expect(withFiles, where).toMatchObject({ ok: false, reason: "refused" });
          else if (!withFiles.ok && withFiles.reason !== "refused") {
            expect(postRefusal(withFiles.reason), where).toEqual(decision);
          } else throw new Error(`${where}: the files path let a refused post reach its files`);
          const rootId = roots.get(room.id) ?? "";
          const replied = await store.threads.reply(
            {
              roomId: room.id,
              author,
              clientId: `c${++n}`,
              text: "x",
              threadRootId: rootId,
              alsoInRoom: false,
            },
            ({ member, root: rootFacts, post }) =>
              mayReplyInThread(
                facts && post
                  ? { ...facts, archived: post.archived, announcementOnly: post.announcement }
                  : facts,
                membershipOf(member),
                rootFacts,
                post?.moderates,
              ),
          );
          expect(replied.ok, where).toBe(decision.ok);
          if (!replied.ok && replied.reason === "refused") {
            expect(replied.refusal, where).toEqual(decision);
          }
          if (decision.ok) seen.allowed++;
          else if (decision.message.includes("archived")) seen.archived++;
          else seen.announcement++;
        }
      }
      // Everyone posts in loud; ann (moderator) and root (admin) in news; nobody in old.
      expect(seen).toEqual({ allowed: 5, archived: 3, announcement: 1 });
    });
  });
}
