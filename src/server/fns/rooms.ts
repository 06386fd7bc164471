import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkRoomName } from "../../core/rooms";
import { RoomTakenError } from "../../ports";
import { requireUser } from "./auth-guard.server";

/** Messages a room page renders on the server before going live. */
export const PAGE_SIZE = 50;

/** Creates a room from a typed name; a taken or bad name comes back as `error`. */
export const createRoomFn = createServerFn({ method: "POST" })
  .validator(z.object({ name: z.string().max(500) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const checked = checkRoomName(data.name);
    if (!checked.ok) return { ok: false as const, error: checked.error };
    try {
      const room = await runtime.storage.rooms.createRoom({
        name: checked.name,
        slug: checked.slug,
        createdBy: user.id,
      });
      await runtime.storage.rooms.join(room.id, user.id);
      return { ok: true as const, room };
    } catch (error) {
      if (error instanceof RoomTakenError) {
        return { ok: false as const, error: `A room called "${checked.slug}" already exists.` };
      }
      throw error;
    }
  });

/** Opens a room by slug: joins the user, returns the room list and the latest page. */
export const openRoomFn = createServerFn({ method: "GET" })
  .validator(z.object({ slug: z.string().min(1).max(100) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const { rooms, messages } = runtime.storage;
    const room = await rooms.getRoomBySlug(data.slug);
    if (!room) return { found: false as const, rooms: await rooms.listRooms(), user };
    await rooms.join(room.id, user.id);
    const latest = await messages.history(room.id, { limit: PAGE_SIZE });
    return { found: true as const, room, rooms: await rooms.listRooms(), user, messages: latest };
  });

/** An older page of a room the user belongs to: up to PAGE_SIZE messages before `beforeSeq`. */
export const historyFn = createServerFn({ method: "GET" })
  .validator(
    z.object({ roomId: z.string().min(1).max(64), beforeSeq: z.number().int().positive() }),
  )
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

/** Messages after `afterSeq` (at most 500), used to catch up after a reconnect. */
export const newerFn = createServerFn({ method: "GET" })
  .validator(z.object({ roomId: z.string().min(1).max(64), afterSeq: z.number().int().min(0) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    if (!(await runtime.storage.rooms.isMember(data.roomId, user.id))) {
      throw new Error("not a member of this room");
    }
    return runtime.storage.messages.after(data.roomId, data.afterSeq, 500);
  });
