import { createServerFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { z } from "zod";
import { mayChangeRole, mayDeactivate } from "../../core/admin-policy";
import { AUDIT_ACTIONS } from "../../core/audit";
import { mayArchive } from "../../core/policy";
import { serverRoles } from "../../protocol/frames";
import {
  auditActors,
  countOwners,
  deleteRoom,
  listAudit,
  listRooms,
  listUsers,
  setDeactivated,
  setUserRole,
  userFacts,
} from "../storage/admin-store.server";
import { writeAudit } from "../storage/audit.server";
import { getRealtime } from "../ws/realtime.server";
import { requireAdmin } from "./admin-guard.server";
import { requireWithin } from "./limit-guard.server";
import { announceRoomUpdated } from "./room-admin.server";

/**
 * The /admin console's server functions (issue 14). Each one checks the
 * caller's role fresh from the database (requireAdmin), asks the admin
 * policy, and makes its change with its audit row in one transaction
 * (storage/admin-store.server.ts); what live sockets must learn follows
 * after commit. Refusals are answers ({ ok: false, error }), shown next to
 * the control that asked.
 */

const paging = { offset: z.number().int().min(0).max(1_000_000).optional() };
const id = z.string().min(1).max(200);

export type AdminAnswer = { ok: true } | { ok: false; error: string };

export const adminUsersFn = createServerFn({ method: "GET" })
  .validator(z.object({ query: z.string().max(200).optional(), ...paging }))
  .handler(async ({ data }) => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "page", user.id);
    const page = await listUsers(db, data);
    return { ...page, me: { id: user.id, role } };
  });

export const changeRoleFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId: id, role: z.enum(serverRoles) }))
  .handler(async ({ data }): Promise<AdminAnswer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const target = await userFacts(db, data.userId);
    if (!target) return { ok: false, error: "This account is no longer there." };
    const owners = await countOwners(db);
    const allowed = mayChangeRole({ id: user.id, role }, target, data.role, owners);
    if (!allowed.ok) return allowed;
    const done = await setUserRole(db, {
      actorId: user.id,
      userId: target.id,
      from: target.role,
      to: data.role,
    });
    if (!done.ok) {
      return {
        ok: false,
        error:
          done.code === "last_owner"
            ? "The last owner keeps the role: make someone else owner first."
            : "Their role changed meanwhile: look again.",
      };
    }
    return { ok: true };
  });

export const setDeactivatedFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId: id, deactivated: z.boolean() }))
  .handler(async ({ data }): Promise<AdminAnswer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const target = await userFacts(db, data.userId);
    if (!target) return { ok: false, error: "This account is no longer there." };
    const allowed = mayDeactivate({ id: user.id, role }, target);
    if (!allowed.ok) return allowed;
    const done = await setDeactivated(db, {
      actorId: user.id,
      userId: target.id,
      deactivated: data.deactivated,
    });
    if (!done.ok) return { ok: false, error: "This account is no longer there." };
    if (done.changed && data.deactivated) {
      // After commit: their sockets close (4003) here and on every instance.
      runtime.events.emit({ type: "user_deactivated", userId: target.id, tokens: done.tokens });
      runtime.log.info("user deactivated", {
        user: target.id,
        by: user.id,
        sessions: done.tokens.length,
      });
    }
    return { ok: true };
  });

export const sendPasswordResetFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId: id }))
  .handler(async ({ data }): Promise<AdminAnswer> => {
    const { runtime, db, user } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const target = await userFacts(db, data.userId);
    if (!target?.email) return { ok: false, error: "This account has no email address." };
    try {
      await runtime.auth.api.requestPasswordReset({
        body: { email: target.email, redirectTo: "/reset-password" },
        headers: getRequest().headers,
      });
    } catch (error) {
      runtime.log.warn("admin password reset failed", { user: target.id, error: String(error) });
      return { ok: false, error: "Password reset is not set up on this server." };
    }
    // The reset link is better-auth's own row: the audit row follows it.
    await writeAudit(db, {
      actorId: user.id,
      action: "user.password_reset",
      targetUserId: target.id,
    });
    return { ok: true };
  });

export const adminRoomsFn = createServerFn({ method: "GET" })
  .validator(z.object({ query: z.string().max(200).optional(), ...paging }))
  .handler(async ({ data }) => {
    const { runtime, db, user } = await requireAdmin();
    requireWithin(runtime, "page", user.id);
    return listRooms(db, data);
  });

/**
 * The console's "Archive" / "Unarchive": the rule of a room's own "Archive
 * room" (core/policy mayArchive, which an admin passes; never the default
 * room), the same audited store change, and the same `room_updated` to
 * every member after commit.
 */
export const adminArchiveRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId: id, archived: z.boolean() }))
  .handler(async ({ data }): Promise<AdminAnswer> => {
    const { runtime, user } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const room = await runtime.storage.rooms.getRoom(data.roomId);
    // requireAdmin passed: the actor administers every room.
    const allowed = mayArchive(room, { serverRole: "admin", roomRole: null });
    if (!allowed.ok) {
      return { ok: false, error: room ? allowed.message : "This room is no longer there." };
    }
    const done = await runtime.storage.roomAdmin.setArchived(data.roomId, data.archived, user.id);
    if (!done.ok) return { ok: false, error: "This room is no longer there." };
    if (done.changed) await announceRoomUpdated(runtime, data.roomId);
    return { ok: true };
  });

export const deleteRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId: id }))
  .handler(async ({ data }): Promise<AdminAnswer> => {
    const { runtime, db, user } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const done = await deleteRoom(db, { actorId: user.id, roomId: data.roomId });
    if (!done.ok) {
      return {
        ok: false,
        error:
          done.code === "default_room"
            ? "The default room cannot be deleted."
            : "This room is no longer there.",
      };
    }
    const { roomId } = data;
    // After commit: every member's sockets, on every instance, leave it.
    try {
      const { runner } = await getRealtime();
      await runner.apply(
        done.members.flatMap((userId) => [
          { kind: "detach" as const, userId, roomId },
          { kind: "user" as const, userId, frame: { type: "room_removed" as const, roomId } },
        ]),
      );
    } catch (error) {
      runtime.log.error("room delete effects failed", { roomId, error: String(error) });
    }
    await Promise.allSettled(
      done.blobKeys.map((key) =>
        runtime.blobs.delete(key).catch((error: unknown) => {
          runtime.log.warn("blob of a deleted room not deleted", { key, error: String(error) });
        }),
      ),
    );
    return { ok: true };
  });

export const adminAuditFn = createServerFn({ method: "GET" })
  .validator(
    z.object({
      actorId: id.optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      ...paging,
    }),
  )
  .handler(async ({ data }) => {
    const { runtime, db, user } = await requireAdmin();
    requireWithin(runtime, "page", user.id);
    const [page, actors] = await Promise.all([listAudit(db, data), auditActors(db)]);
    return { ...page, actors };
  });
