import { randomBytes } from "node:crypto";
import { type Membership, mayCreateRoom, mayJoin, membershipOf } from "../../core/policy";
import { checkRoomName, privateSlug } from "../../core/rooms";
import { isRoomLookalike, isRoomTaken, type Room } from "../../ports";
import type { WireUser } from "../../protocol/frames";
import type { Runtime } from "../runtime.server";
import { applyJoined } from "./joined.server";
import { refusal } from "./limit-guard.server";

/** Eight random [a-z0-9] characters: a private room's slug suffix. */
function randomSuffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** Why a create or join was refused: `kind` lets the REST API pick a status. */
export type JoinRefusal = {
  ok: false;
  kind: "forbidden" | "invalid" | "limited" | "taken" | "not_found";
  error: string;
};

/**
 * Creates a room from a typed name for `user` (the UI's createRoomFn and
 * the REST API share it). A taken, look-alike or bad name, or one room too
 * many this hour, is refused with the message the form shows. Private
 * rooms get a slug no typed name can produce (core/rooms privateSlug), so
 * creating a public room never fails on, or reveals, a private room's name.
 */
export async function createRoomFor(
  runtime: Runtime,
  user: WireUser,
  data: { name: string; private?: boolean },
): Promise<{ ok: true; room: Room } | JoinRefusal> {
  const kind = data.private ? "private" : "public";
  const allowed = mayCreateRoom(kind, await runtime.storage.roomAdmin.serverRole(user.id));
  if (!allowed.ok) return { ok: false, kind: "forbidden", error: allowed.message };
  const checked = checkRoomName(data.name);
  if (!checked.ok) return { ok: false, kind: "invalid", error: checked.error };
  const limited = refusal(runtime, "room", user.id);
  if (limited) return { ok: false, kind: "limited", error: limited };
  try {
    const room = await runtime.storage.rooms.createRoom({
      name: checked.name,
      slug: data.private ? privateSlug(checked.slug, randomSuffix()) : checked.slug,
      createdBy: user.id,
      kind,
    });
    await runtime.storage.rooms.join(room.id, user.id);
    await applyJoined(runtime, room.id, [user.id]);
    return { ok: true, room };
  } catch (error) {
    if (isRoomLookalike(error)) {
      return {
        ok: false,
        kind: "taken",
        error: `"${checked.name}" looks like the existing room "${error.existing}". Pick a name that reads differently.`,
      };
    }
    if (isRoomTaken(error)) {
      return { ok: false, kind: "taken", error: `A room called "${checked.name}" already exists.` };
    }
    throw error;
  }
}

/** The user's standing for a join: a member, or not (and whether a ban keeps them out). */
export async function joinStanding(
  runtime: Pick<Runtime, "storage">,
  roomId: string,
  userId: string,
): Promise<Membership> {
  const standing = await runtime.storage.moderation.standing(roomId, userId);
  return standing?.membership ?? membershipOf(false);
}

/**
 * Joins a room on an explicit action (the UI's "Join room" button, the
 * REST API's join): a room one may not join (private, banned, a guest's
 * public room) is refused as not found (mayJoin), so it does not leak.
 */
export async function joinRoomFor(
  runtime: Runtime,
  user: WireUser,
  roomId: string,
): Promise<{ ok: true; room: Room } | JoinRefusal> {
  const limited = refusal(runtime, "membership", user.id);
  if (limited) return { ok: false, kind: "limited", error: limited };
  const { rooms, roomAdmin } = runtime.storage;
  const room = await rooms.getRoom(roomId);
  const standing = room ? await joinStanding(runtime, room.id, user.id) : membershipOf(false);
  const serverRole = await roomAdmin.serverRole(user.id);
  if (!room || !mayJoin(room, standing, serverRole).ok) {
    return { ok: false, kind: "not_found", error: "No such room." };
  }
  if (!standing.member) {
    await rooms.join(room.id, user.id);
    await applyJoined(runtime, room.id, [user.id]);
  }
  return { ok: true, room };
}
