import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { WebhookEvent, WebhookInput } from "../../core/outgoing-webhooks";
import { writeAudit } from "../storage/audit.server";
import { insertBotUser } from "../storage/bot-store.server";
import type { Database } from "../storage/schema.server";

/**
 * Outgoing webhooks (issue 15) as stored: one row per webhook (room_id
 * null for server-wide), its own bot user (user.bot = 1, a member of its
 * room) that replies are posted as, and one webhook_delivery row per event
 * per webhook until it is delivered or given up on.
 */
export type OutgoingWebhook = {
  id: string;
  roomId: string | null;
  name: string;
  targetUrl: string;
  events: WebhookEvent[];
  createdAt: number;
  botUserId: string | null;
};

/** A live webhook as the sink and the worker need it (with its secret). */
export type ActiveWebhook = OutgoingWebhook & { secret: string };

export type DeliveryRow = {
  id: string;
  webhookId: string;
  webhookName: string;
  roomId: string | null;
  event: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number;
  doneAt: number | null;
};

/** A new secret: 32 random bytes, base64url (the receiver's HMAC key). */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

function parseEvents(value: string): WebhookEvent[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as WebhookEvent[]) : [];
  } catch {
    return [];
  }
}

type HookRow = {
  id: string;
  room_id: string | null;
  name: string;
  target_url: string;
  events: string;
  created_at: number;
  bot_user_id?: string | null;
  secret: string;
};

function toHook(row: HookRow): ActiveWebhook {
  return {
    id: row.id,
    roomId: row.room_id,
    name: row.name,
    targetUrl: row.target_url,
    events: parseEvents(row.events),
    createdAt: Number(row.created_at),
    botUserId: row.bot_user_id ?? null,
    secret: row.secret,
  };
}

const hookColumns = [
  "id",
  "room_id",
  "name",
  "target_url",
  "events",
  "created_at",
  "bot_user_id",
  "secret",
] as const;

export function createOutgoingStore(db: Kysely<Database>, now: () => number = Date.now) {
  return {
    /**
     * Creates the webhook, its bot user (a member of its room when it has
     * one) and the audit row, in one transaction; answers the webhook and
     * its secret (shown once to the creator).
     */
    async create(
      input: WebhookInput & { roomId: string | null; actorId: string },
    ): Promise<{ webhook: OutgoingWebhook; secret: string }> {
      const id = randomUUID();
      const botId = randomUUID();
      const secret = newWebhookSecret();
      const at = now();
      await db.transaction().execute(async (trx) => {
        await insertBotUser(trx, { id: botId, name: input.name }, at);
        if (input.roomId) {
          await trx
            .insertInto("room_member")
            .values({ room_id: input.roomId, user_id: botId, joined_at: at, notify_level: null })
            .execute();
        }
        await trx
          .insertInto("outgoing_webhook")
          .values({
            id,
            room_id: input.roomId,
            name: input.name,
            target_url: input.targetUrl,
            secret,
            events: JSON.stringify(input.events),
            created_by: input.actorId,
            created_at: at,
            revoked_at: null,
            bot_user_id: botId,
          })
          .execute();
        await writeAudit(
          trx,
          {
            actorId: input.actorId,
            action: "webhook.create",
            roomId: input.roomId,
            details: { webhookId: id, name: input.name, events: input.events },
          },
          at,
        );
      });
      const webhook: OutgoingWebhook = {
        id,
        roomId: input.roomId,
        name: input.name,
        targetUrl: input.targetUrl,
        events: input.events,
        createdAt: at,
        botUserId: botId,
      };
      return { webhook, secret };
    },

    /** The webhook, revoked or not (for the revoke check), or undefined. */
    async get(id: string): Promise<(ActiveWebhook & { revokedAt: number | null }) | undefined> {
      const row = await db
        .selectFrom("outgoing_webhook")
        .select([...hookColumns, "revoked_at"])
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? { ...toHook(row), revokedAt: row.revoked_at } : undefined;
    },

    /**
     * Revokes it (no new deliveries; pending ones are given up on: the
     * receiver was cut off), takes its bot out of the room, and audits, in
     * one transaction. False when it was revoked already.
     */
    async revoke(id: string, actorId: string): Promise<boolean> {
      const at = now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("outgoing_webhook")
          .set({ revoked_at: at })
          .where("id", "=", id)
          .where("revoked_at", "is", null)
          .returning(["room_id", "name", "bot_user_id"])
          .executeTakeFirst();
        if (!row) return false;
        await trx
          .updateTable("webhook_delivery")
          .set({ status: "failed", last_error: "webhook revoked", claimed_until: null })
          .where("webhook_id", "=", id)
          .where("status", "=", "pending")
          .execute();
        if (row.bot_user_id) {
          await trx.deleteFrom("room_member").where("user_id", "=", row.bot_user_id).execute();
        }
        await writeAudit(
          trx,
          {
            actorId,
            action: "webhook.revoke",
            roomId: row.room_id,
            details: { webhookId: id, name: row.name },
          },
          at,
        );
        return true;
      });
    },

    /** The live webhooks of a room, or (roomId null) the server-wide ones, oldest first. */
    async list(roomId: string | null): Promise<OutgoingWebhook[]> {
      let query = db
        .selectFrom("outgoing_webhook")
        .select([...hookColumns])
        .where("revoked_at", "is", null);
      query =
        roomId === null ? query.where("room_id", "is", null) : query.where("room_id", "=", roomId);
      const rows = await query.orderBy("created_at").orderBy("id").execute();
      return rows.map((row) => {
        const { secret: _secret, ...hook } = toHook(row);
        return hook;
      });
    },

    /** Every live webhook, secrets included (the sink's in-memory list). */
    async active(): Promise<ActiveWebhook[]> {
      const rows = await db
        .selectFrom("outgoing_webhook")
        .select([...hookColumns])
        .where("revoked_at", "is", null)
        .execute();
      return rows.map(toHook);
    },

    /**
     * The newest deliveries, at most `limit`: of one room's webhooks
     * (roomId), of the server-wide ones (roomId null), or of all (undefined).
     */
    async deliveries(roomId: string | null | undefined, limit = 100): Promise<DeliveryRow[]> {
      let query = db
        .selectFrom("webhook_delivery as d")
        .innerJoin("outgoing_webhook as w", "w.id", "d.webhook_id")
        .select([
          "d.id",
          "d.webhook_id",
          "w.name",
          "d.room_id",
          "d.event",
          "d.status",
          "d.attempts",
          "d.last_status",
          "d.last_error",
          "d.created_at",
          "d.next_attempt_at",
          "d.done_at",
        ]);
      if (roomId === null) query = query.where("w.room_id", "is", null);
      else if (roomId !== undefined) query = query.where("w.room_id", "=", roomId);
      const rows = await query
        .orderBy("d.created_at", "desc")
        .orderBy("d.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        webhookId: row.webhook_id,
        webhookName: row.name,
        roomId: row.room_id,
        event: row.event,
        status: row.status,
        attempts: Number(row.attempts),
        lastStatus: row.last_status === null ? null : Number(row.last_status),
        lastError: row.last_error,
        createdAt: Number(row.created_at),
        nextAttemptAt: Number(row.next_attempt_at),
        doneAt: row.done_at === null ? null : Number(row.done_at),
      }));
    },
  };
}

export type OutgoingStore = ReturnType<typeof createOutgoingStore>;
