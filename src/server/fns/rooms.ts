import { createServerFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { z } from "zod";
import { mayJoin, mayOpenDm, mayView, membershipOf } from "../../core/policy";
import { GENERAL_ROOM } from "../../core/rooms";
import { parseSearchQuery } from "../../core/search-query";
import type { RoomSummary } from "../../protocol/frames";
import { requireUser } from "./auth-guard.server";
import { joinDefaultRoom } from "./default-room.server";
import { guestLandingOf } from "./guests.server";
import { applyJoined } from "./joined.server";
import { refusal, requireWithin } from "./limit-guard.server";
import { createRoomFor, joinRoomFor, joinStanding } from "./room-join.server";

/** Messages a room page renders on the server before going live. */
export const PAGE_SIZE = 50;
/** Pinned messages a room page lists at most (the newest pins). */
export const PINS_LISTED = 100;

const roomId = z.string().min(1).max(64);

/**
 * Creates a room from a typed name (room-join.server createRoomFor): a
 * refusal comes back as `error` (shown under the form).
 */
export const createRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ name: z.string().max(500), private: z.boolean().optional() }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const created = await createRoomFor(runtime, user, data);
    return created.ok
      ? { ok: true as const, room: created.room }
      : { ok: false as const, error: created.error };
  });

/**
 * True when the page request may join a public room by itself: a
 * same-origin navigation or fetch, a typed URL or bookmark (`none`), or a
 * client that sends no Fetch Metadata (not a browser, or an old one; a
 * script with the cookie can call joinRoomFn anyway). A link from another
 * site (`cross-site`, `same-site`) shows a "Join room" button instead.
 */
function mayJoinByVisiting(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

/**
 * Opens a room by slug for the page: joins a public room when the visit is
 * the user's own (see mayJoinByVisiting; otherwise `joined: false` and the
 * page offers a "Join room" button), refuses private rooms and DMs to
 * non-members (as not found), and returns the joined rooms with unread
 * state and a page of messages (the latest, or around a seq).
 */
export const openRoomFn = createServerFn({ method: "GET" })
  .validator(
    z.object({ slug: z.string().min(1).max(100), around: z.number().int().positive().optional() }),
  )
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "page", user.id);
    const { rooms, messages, roomAdmin } = runtime.storage;
    const room = await rooms.getRoomBySlug(data.slug);
    const standing = room ? await joinStanding(runtime, room.id, user.id) : membershipOf(false);
    const member = standing.member;
    const serverRole = await roomAdmin.serverRole(user.id);
    // A room one may not join (banned, a guest's public room) reads as not found (mayJoin).
    if (!room || !mayJoin(room, standing, serverRole).ok) {
      // A guest sent to the default room lands on a room they were invited to instead.
      const guestLanding =
        serverRole === "guest" && data.slug === GENERAL_ROOM.slug
          ? await guestLandingOf(runtime, user.id)
          : undefined;
      return { found: false as const, user, guestLanding };
    }
    // #general is everyone's however the visit came (joinDefaultRoom below):
    // a new account's first page after single sign-on arrives cross-site.
    if (!member && !room.isDefault) {
      if (!mayJoinByVisiting(getRequest().headers)) {
        return { found: true as const, joined: false as const, user, room };
      }
      await rooms.join(room.id, user.id);
      await applyJoined(runtime, room.id, [user.id]);
    }
    // The sidebar lists the rooms the user belongs to (issue 17): the
    // directory (/rooms) is where the other public rooms are found.
    await joinDefaultRoom(runtime, user.id);
    const nav = await rooms.summariesOf(user.id);
    const current: RoomSummary = nav.find((s) => s.id === room.id) ?? {
      ...room,
      lastSeq: 0,
      lastReadSeq: 0,
      mentioned: false,
    };
    const page =
      data.around !== undefined
        ? await messages.history(room.id, {
            beforeSeq: data.around + PAGE_SIZE / 2,
            limit: PAGE_SIZE,
          })
        : await messages.history(room.id, { limit: PAGE_SIZE });
    // Read after the page: every pin change at or below the page's revision
    // is in it, and the client's resume by revision brings the later ones.
    const pinned = await messages.pinned(room.id, PINS_LISTED);
    return {
      found: true as const,
      joined: true as const,
      user,
      room: current,
      rooms: nav,
      messages: page,
      pinned,
    };
  });

/** Joins a public room on an explicit action (the "Join room" button); POST only. */
export const joinRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const joined = await joinRoomFor(runtime, user, data.roomId);
    return joined.ok
      ? { ok: true as const, slug: joined.room.slug }
      : { ok: false as const, error: joined.error };
  });

/** An older page of a room the user belongs to: up to PAGE_SIZE messages before `beforeSeq`. */
export const historyFn = createServerFn({ method: "GET" })
  .validator(z.object({ roomId, beforeSeq: z.number().int().positive() }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "page", user.id);
    const { rooms } = runtime.storage;
    const [member, room] = await Promise.all([
      rooms.isMember(data.roomId, user.id),
      rooms.getRoom(data.roomId),
    ]);
    const allowed = mayView(room, membershipOf(member));
    if (!allowed.ok) throw new Error(allowed.message);
    return runtime.storage.messages.history(data.roomId, {
      beforeSeq: data.beforeSeq,
      limit: PAGE_SIZE,
    });
  });

/**
 * Opens (creating on first use) the direct-message room with another user.
 * Refused when either has blocked the other; a new conversation counts
 * against the hourly DM limit, reopening one does not.
 */
export const openDmFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId: z.string().min(1).max(64) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const { users, rooms, roomAdmin } = runtime.storage;
    const self = data.userId === user.id;
    // A guest messages only people they share a room with (issue 14).
    const actorRole = await roomAdmin.serverRole(user.id);
    const sharesRoom =
      actorRole === "guest" && !self ? await roomAdmin.shareRoom(user.id, data.userId) : true;
    const [other, otherBlocksActor, actorBlocksOther] = self
      ? [undefined, false, false]
      : await Promise.all([
          users.findById(data.userId),
          users.isBlocked(data.userId, user.id),
          users.isBlocked(user.id, data.userId),
        ]);
    const allowed = mayOpenDm({
      actorId: user.id,
      otherId: data.userId,
      other,
      otherBlocksActor,
      actorBlocksOther,
      actorRole,
      sharesRoom,
    });
    if (!allowed.ok) return { ok: false as const, error: allowed.message };
    if (!other) throw new Error("mayOpenDm allowed a DM with nobody");
    if (!(await rooms.dmBetween(user.id, other.id))) {
      const limited = refusal(runtime, "dm", user.id);
      if (limited) return { ok: false as const, error: limited };
    }
    const room = await rooms.openDm(user, other);
    // Both people's open tabs start receiving the DM at once.
    await applyJoined(runtime, room.id, [user.id, other.id]);
    return { ok: true as const, slug: room.slug };
  });

/**
 * Full-text search with operators (core/search-query) over the rooms the
 * user belongs to: the search SQL joins the user's memberships, so it
 * returns exactly what mayView allows, whatever `in:` names. A query with
 * a bad operator value is refused with its problem, never run.
 */
export const searchFn = createServerFn({ method: "GET" })
  .validator(z.object({ q: z.string().max(200) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "search", user.id);
    const { query, problems } = parseSearchQuery(data.q);
    if (problems.length > 0) throw new Error(problems.join(" "));
    return runtime.storage.search.search(user.id, query, 20);
  });
