import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkRoomName } from "../../core/rooms";
import { isRoomTaken } from "../../ports";
import type { RoomSummary } from "../../protocol/frames";
import { requireUser } from "./auth-guard.server";

/** Messages a room page renders on the server before going live. */
export const PAGE_SIZE = 50;

const roomId = z.string().min(1).max(64);

/** Creates a room from a typed name; a taken or bad name comes back as `error`. */
export const createRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ name: z.string().max(500), private: z.boolean().optional() }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const checked = checkRoomName(data.name);
    if (!checked.ok) return { ok: false as const, error: checked.error };
    try {
      const room = await runtime.storage.rooms.createRoom({
        name: checked.name,
        slug: checked.slug,
        createdBy: user.id,
        kind: data.private ? "private" : "public",
      });
      await runtime.storage.rooms.join(room.id, user.id);
      runtime.events.emit({ type: "joined", roomId: room.id, userId: user.id });
      return { ok: true as const, room };
    } catch (error) {
      if (isRoomTaken(error)) {
        return { ok: false as const, error: `A room called "${checked.name}" already exists.` };
      }
      throw error;
    }
  });

/**
 * Opens a room by slug for the page: joins a public room, refuses private
 * rooms and DMs to non-members (as not found), and returns the room list
 * with unread state and a page of messages (the latest, or around a seq).
 */
export const openRoomFn = createServerFn({ method: "GET" })
  .validator(
    z.object({ slug: z.string().min(1).max(100), around: z.number().int().positive().optional() }),
  )
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const { rooms, messages } = runtime.storage;
    const room = await rooms.getRoomBySlug(data.slug);
    const member = room ? await rooms.isMember(room.id, user.id) : false;
    if (!room || (room.kind !== "public" && !member)) {
      return { found: false as const, user };
    }
    if (!member) {
      await rooms.join(room.id, user.id);
      runtime.events.emit({ type: "joined", roomId: room.id, userId: user.id });
    }
    const summaries = await rooms.summariesOf(user.id);
    const visible = await rooms.listVisible(user.id);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    const nav: RoomSummary[] = visible.map(
      (r) => byId.get(r.id) ?? { ...r, lastSeq: 0, lastReadSeq: 0, mentioned: false },
    );
    const current = byId.get(room.id) ?? { ...room, lastSeq: 0, lastReadSeq: 0, mentioned: false };
    const page =
      data.around !== undefined
        ? await messages.history(room.id, {
            beforeSeq: data.around + PAGE_SIZE / 2,
            limit: PAGE_SIZE,
          })
        : await messages.history(room.id, { limit: PAGE_SIZE });
    return { found: true as const, user, room: current, rooms: nav, messages: page };
  });

/** An older page of a room the user belongs to: up to PAGE_SIZE messages before `beforeSeq`. */
export const historyFn = createServerFn({ method: "GET" })
  .validator(z.object({ roomId, beforeSeq: z.number().int().positive() }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    if (!(await runtime.storage.rooms.isMember(data.roomId, user.id))) {
      throw new Error("not a member of this room");
    }
    return runtime.storage.messages.history(data.roomId, {
      beforeSeq: data.beforeSeq,
      limit: PAGE_SIZE,
    });
  });

/** Opens (creating on first use) the direct-message room with another user. */
export const openDmFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId: z.string().min(1).max(64) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    if (data.userId === user.id) return { ok: false as const, error: "That is you." };
    const other = (await runtime.storage.users.findById(data.userId)) ?? null;
    if (!other) return { ok: false as const, error: "No such person." };
    const room = await runtime.storage.rooms.openDm(user, other);
    // Both people's open tabs start receiving the DM at once.
    for (const userId of [user.id, other.id]) {
      runtime.events.emit({ type: "joined", roomId: room.id, userId });
    }
    return { ok: true as const, slug: room.slug };
  });

/** Full-text search over the rooms the user belongs to. */
export const searchFn = createServerFn({ method: "GET" })
  .validator(z.object({ q: z.string().max(200) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    return runtime.storage.search.search(user.id, data.q, 20);
  });
