import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import {
  INVITE_EXPIRIES,
  INVITE_REFUSALS,
  INVITE_ROLES,
  type InviteExpiry,
  type InviteState,
  inviteState,
  usesLeft,
} from "../../core/invites";
import {
  bannedFrom,
  consumeInvite,
  createInvite,
  findInvite,
  joinByInvite,
  listInvites,
  memberOf,
  revokeInvite,
} from "../storage/invite-store.server";
import { readServerSettings } from "../storage/server-settings.server";
import { currentUser, requireUser } from "./auth-guard.server";
import { isAdminRole, mayCreateInvite, serverRoleOf } from "./invite-access.server";
import { applyJoined } from "./joined.server";

const token = z.string().min(1).max(200);

function dbOf(runtime: { db?: unknown }) {
  if (!runtime.db) throw new Error("no database");
  return runtime.db as NonNullable<Awaited<ReturnType<typeof requireUser>>["runtime"]["db"]>;
}

/**
 * Makes an invite link: admins from the console (optionally for a room, as
 * member or guest), a room's moderators from the room. Answers the token
 * once (only its hash is stored); the page makes the link from it.
 */
export const createInviteFn = createServerFn({ method: "POST" })
  .validator(
    z.object({
      roomId: z.string().min(1).max(64).nullable(),
      expiry: z.enum(Object.keys(INVITE_EXPIRIES) as [InviteExpiry, ...InviteExpiry[]]),
      maxUses: z.union([z.literal(1), z.literal(5), z.literal(25), z.null()]),
      role: z.enum(INVITE_ROLES).default("member"),
    }),
  )
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const db = dbOf(runtime);
    const allowed = await mayCreateInvite(db, user.id, data);
    if (!allowed.ok) return { ok: false as const, error: allowed.error };
    if (data.roomId && !(await runtime.storage.rooms.getRoom(data.roomId))) {
      return { ok: false as const, error: "That room does not exist." };
    }
    const made = await createInvite(db, {
      createdBy: user.id,
      roomId: data.roomId,
      role: data.role,
      expiresInMs: INVITE_EXPIRIES[data.expiry],
      maxUses: data.maxUses,
    });
    return {
      ok: true as const,
      id: made.id,
      path: `/invite/${made.token}`,
      expiresAt: made.expiresAt,
    };
  });

/** Every invite link, newest first, for the admin console (no tokens: those were shown once). */
export const listInvitesFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  const db = dbOf(runtime);
  if (!isAdminRole(await serverRoleOf(db, user.id)))
    throw new Error("Only admins see invite links.");
  const now = Date.now();
  return (await listInvites(db)).map((invite) => ({
    ...invite,
    state: inviteState(invite, now),
    usesLeft: usesLeft(invite),
  }));
});

/** Revokes a link (admins); audited as invite.revoke. */
export const revokeInviteFn = createServerFn({ method: "POST" })
  .validator(z.object({ id: z.string().min(1).max(64) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const db = dbOf(runtime);
    if (!isAdminRole(await serverRoleOf(db, user.id))) {
      return { ok: false as const, error: "Only admins revoke invite links." };
    }
    const revoked = await revokeInvite(db, data.id, user.id);
    return revoked
      ? { ok: true as const }
      : { ok: false as const, error: "That link does not exist or was revoked already." };
  });

export type InviteInfo = {
  state: InviteState;
  /** Why it cannot be used (state other than usable). */
  reason: string | null;
  serverName: string;
  roomName: string | null;
  inviterName: string | null;
  expiresAt: number | null;
  usesLeft: number | null;
  signedIn: boolean;
};

/** What /invite/<token> shows: anyone with the link may ask. */
export const inviteInfoFn = createServerFn({ method: "GET" })
  .validator(z.object({ token }))
  .handler(async ({ data }): Promise<InviteInfo> => {
    const { runtime, user } = await currentUser();
    const db = dbOf(runtime);
    const [invite, settings] = await Promise.all([
      findInvite(db, data.token),
      readServerSettings(db),
    ]);
    const state = inviteState(invite, Date.now());
    return {
      state,
      reason: state === "usable" ? null : INVITE_REFUSALS[state],
      serverName: settings.serverName,
      roomName: invite?.roomName ?? null,
      inviterName: invite?.creatorName ?? null,
      expiresAt: invite?.expiresAt ?? null,
      usesLeft: invite ? usesLeft(invite) : null,
      signedIn: user !== null,
    };
  });

/**
 * A signed-in user opening a room's link joins the room (a use counted,
 * unless already a member). A ban stands; an unusable link answers why.
 */
export const acceptInviteFn = createServerFn({ method: "POST" })
  .validator(z.object({ token }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const db = dbOf(runtime);
    const invite = await findInvite(db, data.token);
    const state = inviteState(invite, Date.now());
    if (!invite?.roomId || !invite.roomSlug) {
      return state === "usable" || state === "used_up"
        ? { ok: true as const, slug: null }
        : { ok: false as const, error: INVITE_REFUSALS[state] };
    }
    if (await bannedFrom(db, invite.roomId, user.id)) {
      return { ok: false as const, error: "You are banned from this room." };
    }
    if (await memberOf(db, invite.roomId, user.id)) {
      return { ok: true as const, slug: invite.roomSlug };
    }
    const used = await consumeInvite(db, data.token);
    if (!used) {
      return {
        ok: false as const,
        error: INVITE_REFUSALS[state === "usable" ? "used_up" : state],
      };
    }
    await joinByInvite(db, invite.roomId, user.id);
    await applyJoined(runtime, invite.roomId, [user.id]);
    return { ok: true as const, slug: invite.roomSlug };
  });

/** Whether this server sends email (SMTP_URL): /forgot-password says to ask an admin when not. */
export const mailStatusFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime } = await currentUser();
  return { mail: runtime.mailer !== undefined };
});
