import { createServerFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { z } from "zod";
import { checkWebhookName } from "../../core/incoming-webhook";
import { mayManageIncomingWebhooks, moderatesRoom } from "../../core/policy";
import type { Runtime } from "../runtime.server";
import {
  createIncomingWebhook,
  type IncomingWebhookInfo,
  listIncomingWebhooks,
  revokeIncomingWebhook,
} from "../storage/incoming-webhook-store.server";
import { requireUser } from "./auth-guard.server";

const roomId = z.string().min(1).max(64);

type Refused = { ok: false; error: string };

/**
 * The policy question for one of the functions below, on the room and the
 * caller's standing read now (core/policy mayManageIncomingWebhooks).
 * Someone who may not see the room learns nothing of it.
 */
async function allowed(
  runtime: Runtime,
  userId: string,
  id: string,
  action: "list" | "create" | "revoke",
): Promise<Refused | null> {
  const { rooms, roomAdmin } = runtime.storage;
  const [room, standing] = await Promise.all([rooms.getRoom(id), roomAdmin.standing(id, userId)]);
  if (room && room.kind !== "public" && !standing.roomRole && !moderatesRoom(standing)) {
    return { ok: false, error: "No such room." };
  }
  const decision = mayManageIncomingWebhooks(room, standing, action);
  return decision.ok ? null : { ok: false, error: decision.message };
}

function dbOf(runtime: Runtime) {
  if (!runtime.db) throw new Error("incoming webhooks need the database");
  return runtime.db;
}

/** Where the server is reached: PARLEY_PUBLIC_URL, else the origin this request came to. */
function baseUrl(runtime: Runtime): string {
  const configured = runtime.config.publicUrl;
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(getRequest().url).origin;
}

/** The room's live incoming webhooks (issue 15): its moderators and admins. */
export const listIncomingWebhooksFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId }))
  .handler(async ({ data }): Promise<{ ok: true; webhooks: IncomingWebhookInfo[] } | Refused> => {
    const { runtime, user } = await requireUser();
    const refused = await allowed(runtime, user.id, data.roomId, "list");
    if (refused) return refused;
    return { ok: true, webhooks: await listIncomingWebhooks(dbOf(runtime), data.roomId) };
  });

/**
 * Makes an incoming webhook in the room, with its bot user, and answers
 * its URL: the only time the secret in it is ever shown (only its SHA-256
 * is kept). The audit row commits with it.
 */
export const createIncomingWebhookFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId, name: z.string().max(1000) }))
  .handler(
    async ({
      data,
    }): Promise<{ ok: true; webhook: IncomingWebhookInfo; url: string } | Refused> => {
      const { runtime, user } = await requireUser();
      const refused = await allowed(runtime, user.id, data.roomId, "create");
      if (refused) return refused;
      const name = checkWebhookName(data.name);
      if (!name.ok) return { ok: false, error: name.error };
      const made = await createIncomingWebhook(dbOf(runtime), {
        roomId: data.roomId,
        name: name.name,
        actorId: user.id,
      });
      const url = `${baseUrl(runtime)}/api/hooks/${made.webhook.id}/${made.secret}`;
      return { ok: true, webhook: made.webhook, url };
    },
  );

/** Revokes one of the room's webhooks: its URL answers 404 from then on. */
export const revokeIncomingWebhookFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId, id: z.string().min(1).max(64) }))
  .handler(async ({ data }): Promise<{ ok: true } | Refused> => {
    const { runtime, user } = await requireUser();
    const refused = await allowed(runtime, user.id, data.roomId, "revoke");
    if (refused) return refused;
    const done = await revokeIncomingWebhook(dbOf(runtime), {
      roomId: data.roomId,
      id: data.id,
      actorId: user.id,
    });
    return done
      ? { ok: true }
      : { ok: false, error: "No such webhook: it may be revoked already." };
  });
