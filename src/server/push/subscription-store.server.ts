import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";

/** Devices one user may have subscribed at once; a new one past it drops their oldest. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

/** Ids per IN list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/** One browser's subscription as web-push sends to it. */
export type StoredSubscription = {
  id: string;
  userId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
};

export type PushSubscriptionStore = {
  /**
   * Stores the browser's subscription for the user. The endpoint names the
   * browser: storing it again (new keys, or another user signed in on it)
   * updates that row. Then the user's oldest past the cap are dropped.
   */
  save(
    userId: string,
    subscription: { endpoint: string; p256dh: string; auth: string },
  ): Promise<StoredSubscription>;
  /** The subscriptions of these users, oldest first per user. */
  forUsers(userIds: readonly string[]): Promise<Map<string, StoredSubscription[]>>;
  /** Removes the user's own subscription with this endpoint; false when they had none. */
  remove(userId: string, endpoint: string): Promise<boolean>;
  /** Removes a subscription the push service said is gone (404, 410). */
  drop(id: string): Promise<void>;
  /** Stamps these subscriptions as accepted by their push service now. */
  markOk(ids: readonly string[]): Promise<void>;
};

/** Push subscriptions (migration 0014) over either dialect. */
export function createPushSubscriptionStore(
  db: Kysely<Database>,
  now: () => number = Date.now,
  cap = MAX_SUBSCRIPTIONS_PER_USER,
): PushSubscriptionStore {
  return {
    async save(userId, { endpoint, p256dh, auth }) {
      const at = now();
      const row = await db
        .insertInto("push_subscription")
        .values({ id: randomUUID(), user_id: userId, endpoint, p256dh, auth, created_at: at })
        // A re-subscription is a new one: it moves to the newest, unproven.
        .onConflict((oc) =>
          oc.column("endpoint").doUpdateSet({
            user_id: userId,
            p256dh,
            auth,
            created_at: at,
            last_ok_at: null,
          }),
        )
        .returning("id")
        .executeTakeFirstOrThrow();
      const kept = await db
        .selectFrom("push_subscription")
        .select("id")
        .where("user_id", "=", userId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(cap)
        .execute();
      if (kept.length === cap) {
        await db
          .deleteFrom("push_subscription")
          .where("user_id", "=", userId)
          .where(
            "id",
            "not in",
            kept.map((k) => k.id),
          )
          .execute();
      }
      return { id: row.id, userId, endpoint, keys: { p256dh, auth } };
    },

    async forUsers(userIds) {
      const found = new Map<string, StoredSubscription[]>();
      const ids = [...new Set(userIds)];
      for (let at = 0; at < ids.length; at += CHUNK) {
        const rows = await db
          .selectFrom("push_subscription")
          .select(["id", "user_id", "endpoint", "p256dh", "auth"])
          .where("user_id", "in", ids.slice(at, at + CHUNK))
          .orderBy("created_at", "asc")
          .orderBy("id", "asc")
          .execute();
        for (const row of rows) {
          const list = found.get(row.user_id) ?? [];
          list.push({
            id: row.id,
            userId: row.user_id,
            endpoint: row.endpoint,
            keys: { p256dh: row.p256dh, auth: row.auth },
          });
          found.set(row.user_id, list);
        }
      }
      return found;
    },

    async remove(userId, endpoint) {
      const result = await db
        .deleteFrom("push_subscription")
        .where("user_id", "=", userId)
        .where("endpoint", "=", endpoint)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async drop(id) {
      await db.deleteFrom("push_subscription").where("id", "=", id).execute();
    },

    async markOk(ids) {
      if (ids.length === 0) return;
      const at = now();
      for (let from = 0; from < ids.length; from += CHUNK) {
        await db
          .updateTable("push_subscription")
          .set({ last_ok_at: at })
          .where("id", "in", ids.slice(from, from + CHUNK))
          .execute();
      }
    },
  };
}
