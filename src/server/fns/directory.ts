import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { requireUser } from "./auth-guard.server";
import { joinDefaultRoom } from "./default-room.server";
import { refusal, requireWithin } from "./limit-guard.server";

/**
 * Public rooms the directory lists at most per answer: past that the page
 * says to search (a name filter), so no answer grows with the server.
 */
export const DIRECTORY_LIMIT = 100;

/**
 * The room directory ("Browse rooms", /rooms): public rooms whose name
 * contains `q`, by name, with member counts, topics and whether the user
 * is in each. Counted against the user's search limit, as the picker's
 * look-ups are; `more` says the cap cut the list.
 */
export const directoryFn = createServerFn({ method: "GET" })
  .validator(z.object({ q: z.string().max(100) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const limited = refusal(runtime, "search", user.id);
    if (limited) return { ok: false as const, error: limited };
    const q = data.q.normalize("NFKC").trim();
    const found = onlyTheirs(
      await runtime.storage.roomAdmin.serverRole(user.id),
      await runtime.storage.rooms.directory(user.id, q, DIRECTORY_LIMIT + 1),
    );
    return {
      ok: true as const,
      rooms: found.slice(0, DIRECTORY_LIMIT),
      more: found.length > DIRECTORY_LIMIT,
    };
  });

/**
 * The /rooms page: the joined rooms for the navigation and the directory's
 * first answer (no filter). Counts as a page against the user's page limit.
 */
export const roomsPageFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  requireWithin(runtime, "page", user.id);
  await joinDefaultRoom(runtime, user.id);
  const { rooms } = runtime.storage;
  const [nav, listed, serverRole] = await Promise.all([
    rooms.summariesOf(user.id),
    rooms.directory(user.id, "", DIRECTORY_LIMIT + 1),
    runtime.storage.roomAdmin.serverRole(user.id),
  ]);
  const found = onlyTheirs(serverRole, listed);
  return {
    user,
    guest: serverRole === "guest",
    rooms: nav,
    directory: found.slice(0, DIRECTORY_LIMIT),
    more: found.length > DIRECTORY_LIMIT,
  };
});

/** A guest's directory lists only the rooms they are in (issue 14): they join nothing else. */
function onlyTheirs<T extends { member: boolean }>(serverRole: string, rooms: T[]): T[] {
  return serverRole === "guest" ? rooms.filter((room) => room.member) : rooms;
}
