import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkWebhookInput } from "../../core/outgoing-webhooks";
import { mayManageRoomWebhooks, mayManageServerWebhooks, moderatesRoom } from "../../core/policy";
import { readServerRole } from "../auth/server-role.server";
import type { Runtime } from "../runtime.server";
import { getRealtime } from "../ws/realtime.server";
import { requireUser } from "./auth-guard.server";

/**
 * Outgoing webhooks (issue 15), the UI's calls: a room's (its moderators
 * and admins, core/policy mayManageRoomWebhooks) or the server-wide ones
 * (admins, mayManageServerWebhooks). Every answer is `{ok: true, ...}` or
 * `{ok: false, error}` with a sentence to show; a refusal changes nothing.
 */
const roomId = z.string().min(1).max(64);
const scope = z.object({ roomId: roomId.nullable() });

type Refused = { ok: false; error: string };

/** May this user manage the webhooks of `roomId` (null: server-wide)? */
async function allowed(
  runtime: Runtime,
  userId: string,
  room: string | null,
): Promise<Refused | null> {
  const db = runtime.db;
  if (!db) return { ok: false, error: "no database" };
  if (room === null) {
    const decision = mayManageServerWebhooks((await readServerRole(db, userId)) ?? undefined);
    return decision.ok ? null : { ok: false, error: decision.message };
  }
  const { rooms, roomAdmin } = runtime.storage;
  const [facts, standing] = await Promise.all([
    rooms.getRoom(room),
    roomAdmin.standing(room, userId),
  ]);
  // Someone who may not see the room learns nothing of it.
  if (facts && facts.kind !== "public" && !standing.roomRole && !moderatesRoom(standing)) {
    return { ok: false, error: "No such room." };
  }
  const decision = mayManageRoomWebhooks(facts, standing);
  return decision.ok ? null : { ok: false, error: decision.message };
}

async function outgoingOf() {
  const { outgoing } = await getRealtime();
  if (!outgoing) throw new Error("outgoing webhooks need a database");
  return outgoing;
}

/** Creates a webhook; the secret is in this answer only (the receiver's key). */
export const createOutgoingWebhookFn = createServerFn({ method: "POST" })
  .validator(
    scope.extend({
      name: z.string().max(1000),
      targetUrl: z.string().max(5000),
      events: z.array(z.string().max(40)).max(10),
    }),
  )
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const refused = await allowed(runtime, user.id, data.roomId);
    if (refused) return refused;
    const checked = checkWebhookInput(data);
    if (!checked.ok) return { ok: false as const, error: checked.error };
    const outgoing = await outgoingOf();
    const created = await outgoing.store.create({
      ...checked.value,
      roomId: data.roomId,
      actorId: user.id,
    });
    await outgoing.sink.changed();
    return { ok: true as const, webhook: created.webhook, secret: created.secret };
  });

/** The live webhooks of a room (or server-wide) and their newest deliveries. */
export const listOutgoingWebhooksFn = createServerFn({ method: "GET" })
  .validator(scope)
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const refused = await allowed(runtime, user.id, data.roomId);
    if (refused) return refused;
    const { store } = await outgoingOf();
    const [webhooks, deliveries] = await Promise.all([
      store.list(data.roomId),
      store.deliveries(data.roomId),
    ]);
    return { ok: true as const, webhooks, deliveries };
  });

/** The delivery log of every webhook, room and server-wide (admins). */
export const listAllDeliveriesFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  const refused = await allowed(runtime, user.id, null);
  if (refused) return refused;
  const { store } = await outgoingOf();
  return { ok: true as const, deliveries: await store.deliveries(undefined) };
});

/** Revokes a webhook: it gets nothing more, its pending deliveries are dropped. */
export const revokeOutgoingWebhookFn = createServerFn({ method: "POST" })
  .validator(z.object({ id: z.string().min(1).max(64) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const outgoing = await outgoingOf();
    const hook = await outgoing.store.get(data.id);
    if (!hook) return { ok: false as const, error: "No such webhook." };
    const refused = await allowed(runtime, user.id, hook.roomId);
    if (refused) return refused;
    const changed = await outgoing.store.revoke(data.id, user.id);
    await outgoing.sink.changed();
    return changed
      ? { ok: true as const }
      : { ok: false as const, error: "That webhook was revoked already." };
  });
