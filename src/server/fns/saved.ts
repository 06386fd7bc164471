import { createServerFn } from "@tanstack/react-start";
import { SAVED_IDS_LIMIT } from "../../protocol/frames";
import { requireUser } from "./auth-guard.server";
import { joinDefaultRoom } from "./default-room.server";
import { requireWithin } from "./limit-guard.server";

/**
 * The Saved page: the user's saved messages they can still see (rooms they
 * belong to, not deleted), newest saved first, and the joined rooms for
 * the navigation. Counts as a page against the user's page limit.
 */
export const savedFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  requireWithin(runtime, "page", user.id);
  const { rooms, saved } = runtime.storage;
  // The navigation lists the rooms the user belongs to (issue 17).
  await joinDefaultRoom(runtime, user.id);
  const [nav, hits] = await Promise.all([
    rooms.summariesOf(user.id),
    saved.list(user.id, SAVED_IDS_LIMIT),
  ]);
  return { user, rooms: nav, saved: hits };
});
