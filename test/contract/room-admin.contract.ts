import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SERVER_SETTINGS } from "../../src/core/server-settings";
import type { RoomAdminStore } from "../../src/ports";
import {
  readServerSettings,
  writeServerSettings,
} from "../../src/server/storage/server-settings.server";
import type { StoreUnderTest } from "./stores.contract";

type RoomAdminUnderTest = StoreUnderTest & { roomAdmin: RoomAdminStore };

/** Room administration (issue 14) on every driver: each change with its audit row, or neither. */
export function describeRoomAdminContract(driver: string, open: () => Promise<RoomAdminUnderTest>) {
  describe(`room admin store contract: ${driver}`, () => {
    let store: RoomAdminUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser("u-ann", "Ann");
      await store.addUser("u-bob", "Bob");
    });
    afterEach(() => store.close());

    const audit = () =>
      store.db
        .selectFrom("audit_log")
        .select(["actor_id", "action", "room_id", "target_user_id"])
        .orderBy("at")
        .execute();
    const archivedAt = async (roomId: string) =>
      (
        await store.db
          .selectFrom("room")
          .select("archived_at")
          .where("id", "=", roomId)
          .executeTakeFirstOrThrow()
      ).archived_at;

    it("archives and unarchives a room, one audit row per change, none for no change", async () => {
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: "u-ann" });
      expect(await store.roomAdmin.setArchived(room.id, true, "u-ann")).toEqual({
        ok: true,
        changed: true,
      });
      expect(await archivedAt(room.id)).not.toBeNull();
      expect(await store.roomAdmin.setArchived(room.id, true, "u-ann")).toEqual({
        ok: true,
        changed: false,
      });
      expect(await store.roomAdmin.setArchived(room.id, false, "u-bob")).toEqual({
        ok: true,
        changed: true,
      });
      expect(await archivedAt(room.id)).toBeNull();
      expect(await audit()).toEqual([
        { actor_id: "u-ann", action: "room.archive", room_id: room.id, target_user_id: null },
        { actor_id: "u-bob", action: "room.unarchive", room_id: room.id, target_user_id: null },
      ]);
    });

    it("answers not_found for a missing room and for a DM, writing nothing", async () => {
      expect(await store.roomAdmin.setArchived("no-such-room", true, "u-ann")).toEqual({
        ok: false,
        code: "not_found",
      });
      const dm = await store.rooms.openDm(
        { id: "u-ann", name: "Ann" },
        { id: "u-bob", name: "Bob" },
      );
      expect(await store.roomAdmin.setArchived(dm.id, true, "u-ann")).toEqual({
        ok: false,
        code: "not_found",
      });
      expect(await audit()).toEqual([]);
    });

    it("keeps server settings: defaults, then what was saved, audited once per save", async () => {
      expect(await readServerSettings(store.db)).toEqual(DEFAULT_SERVER_SETTINGS);
      const saved = await writeServerSettings(
        store.db,
        { signupPolicy: "domain", allowedDomains: ["example.com"] },
        "u-ann",
      );
      expect(saved).toEqual({
        ...DEFAULT_SERVER_SETTINGS,
        signupPolicy: "domain",
        allowedDomains: ["example.com"],
      });
      await writeServerSettings(store.db, { requireTwoFactor: true }, "u-bob");
      expect((await readServerSettings(store.db)).signupPolicy).toBe("domain");
      expect((await readServerSettings(store.db)).requireTwoFactor).toBe(true);
      // Two saves may share a millisecond, so the rows are compared as a set.
      const rows = (await audit()).map((row) => `${row.actor_id} ${row.action}`).sort();
      expect(rows).toEqual(["u-ann settings.update", "u-bob settings.update"]);
    });

    it("ignores a stored setting of the wrong type, keeping the default", async () => {
      await store.db
        .insertInto("server_setting")
        .values([
          { key: "signupPolicy", value: '"closed"' },
          { key: "requireTwoFactor", value: "not json" },
        ])
        .execute();
      expect(await readServerSettings(store.db)).toEqual(DEFAULT_SERVER_SETTINGS);
    });

    it("rolls the archive back when its audit row cannot be written", async () => {
      const room = await store.rooms.createRoom({ name: "ops", slug: "ops", createdBy: "u-ann" });
      await sql`alter table audit_log rename to audit_log_away`.execute(store.db);
      try {
        await expect(store.roomAdmin.setArchived(room.id, true, "u-ann")).rejects.toThrow();
      } finally {
        await sql`alter table audit_log_away rename to audit_log`.execute(store.db);
      }
      expect(await archivedAt(room.id)).toBeNull();
      expect(await audit()).toEqual([]);
    });
  });
}
