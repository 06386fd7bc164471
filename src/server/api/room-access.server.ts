import { roomFacts } from "../../core/actions/shared";
import { mayView } from "../../core/policy";
import type { Room } from "../../ports";
import { ApiProblem } from "./problem.server";
import type { ApiContext } from "./route";

/** `{room}` is a room's id or its slug: the id is tried first (ids and slugs do not collide in practice). */
export async function resolveRoom(ctx: ApiContext, ref: string): Promise<Room> {
  const { rooms } = ctx.runtime.storage;
  const room = (await rooms.getRoom(ref)) ?? (await rooms.getRoomBySlug(ref));
  if (!room) throw new ApiProblem("not_found", "no such room");
  return room;
}

/**
 * A room the caller may read (history, one message, members): the
 * socket's rule (policy mayView, as its subscribe and fetch apply it).
 * A private room or DM reads as not found to a non-member, as the UI's
 * pages do, so its existence does not leak; a public one as forbidden.
 */
export async function readableRoom(ctx: ApiContext, ref: string): Promise<Room> {
  const room = await resolveRoom(ctx, ref).catch(() => undefined);
  if (!room) throw new ApiProblem("not_found", "no such room");
  const { membership } = await roomFacts(ctx.realtime.frameDeps, room.id, ctx.grant.user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) {
    if (room.kind !== "public") throw new ApiProblem("not_found", "no such room");
    throw new ApiProblem(allowed.code, allowed.message);
  }
  return room;
}
