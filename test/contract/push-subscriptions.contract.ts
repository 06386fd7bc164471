import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPushSubscriptionStore,
  type PushSubscriptionStore,
} from "../../src/server/push/subscription-store.server";
import type { Database } from "../../src/server/storage/schema.server";

/** A migrated database of the driver under test, and how to let it go. */
export type PushDatabase = { db: Kysely<Database>; close(): Promise<void> };

const sub = (n: number, user = "u-ann") => ({
  endpoint: `https://push.example/${user}/${n}`,
  p256dh: `key-${n}`,
  auth: `auth-${n}`,
});

/** Push subscriptions (migration 0014) behave alike on every driver. */
export function describePushSubscriptionContract(
  driver: string,
  open: () => Promise<PushDatabase>,
) {
  describe(`push subscriptions contract: ${driver}`, () => {
    let database: PushDatabase;
    let store: PushSubscriptionStore;
    let clock = 1_000;
    beforeEach(async () => {
      database = await open();
      clock = 1_000;
      store = createPushSubscriptionStore(database.db, () => clock++, 3);
    });
    afterEach(() => database.close());

    it("stores per user, lists oldest first, and keeps users apart", async () => {
      const a1 = await store.save("u-ann", sub(1));
      await store.save("u-ann", sub(2));
      await store.save("u-bob", sub(1, "u-bob"));
      const found = await store.forUsers(["u-ann", "u-bob", "u-none"]);
      expect(found.get("u-ann")?.map((s) => s.endpoint)).toEqual([
        sub(1).endpoint,
        sub(2).endpoint,
      ]);
      expect(found.get("u-ann")?.[0]).toEqual({
        id: a1.id,
        userId: "u-ann",
        endpoint: sub(1).endpoint,
        keys: { p256dh: "key-1", auth: "auth-1" },
      });
      expect(found.get("u-bob")).toHaveLength(1);
      expect(found.has("u-none")).toBe(false);
      expect((await store.forUsers([])).size).toBe(0);
    });

    it("storing an endpoint again updates its keys and user, keeping one row", async () => {
      const first = await store.save("u-ann", sub(1));
      const again = await store.save("u-bob", { ...sub(1), p256dh: "new-key", auth: "new-auth" });
      expect(again.id).toBe(first.id);
      expect((await store.forUsers(["u-ann"])).has("u-ann")).toBe(false);
      expect((await store.forUsers(["u-bob"])).get("u-bob")).toEqual([
        {
          id: first.id,
          userId: "u-bob",
          endpoint: sub(1).endpoint,
          keys: { p256dh: "new-key", auth: "new-auth" },
        },
      ]);
    });

    it("caps a user's subscriptions, dropping the oldest; a re-subscribe counts as newest", async () => {
      for (const n of [1, 2, 3]) await store.save("u-ann", sub(n));
      await store.save("u-ann", sub(1));
      await store.save("u-ann", sub(4));
      const left = (await store.forUsers(["u-ann"])).get("u-ann")?.map((s) => s.endpoint);
      expect(left).toEqual([sub(3).endpoint, sub(1).endpoint, sub(4).endpoint]);
      await store.save("u-bob", sub(1, "u-bob"));
      expect((await store.forUsers(["u-ann"])).get("u-ann")).toHaveLength(3);
    });

    it("removes only the caller's own, drops by id, and stamps accepted pushes", async () => {
      const mine = await store.save("u-ann", sub(1));
      await store.save("u-bob", sub(2, "u-bob"));
      expect(await store.remove("u-ann", sub(2, "u-bob").endpoint)).toBe(false);
      expect((await store.forUsers(["u-bob"])).get("u-bob")).toHaveLength(1);
      await store.markOk([mine.id]);
      await store.markOk([]);
      const row = await database.db
        .selectFrom("push_subscription")
        .select("last_ok_at")
        .where("id", "=", mine.id)
        .executeTakeFirstOrThrow();
      expect(typeof row.last_ok_at).toBe("number");
      expect(await store.remove("u-ann", sub(1).endpoint)).toBe(true);
      expect(await store.remove("u-ann", sub(1).endpoint)).toBe(false);
      const bobs = (await store.forUsers(["u-bob"])).get("u-bob") ?? [];
      await store.drop(bobs[0]?.id ?? "");
      expect((await store.forUsers(["u-ann", "u-bob"])).size).toBe(0);
    });
  });
}
