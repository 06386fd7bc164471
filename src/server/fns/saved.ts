import { createServerFn } from "@tanstack/react-start";
import type { RoomSummary } from "../../protocol/frames";
import { SAVED_IDS_LIMIT } from "../../protocol/frames";
import { requireUser } from "./auth-guard.server";
import { requireWithin } from "./limit-guard.server";

/**
 * The Saved page: the user's saved messages they can still see (rooms they
 * belong to, not deleted), newest saved first, and the room list for the
 * navigation. Counts as a page against the user's page limit.
 */
export const savedFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  requireWithin(runtime, "page", user.id);
  const { rooms, saved } = runtime.storage;
  const [summaries, visible, hits] = await Promise.all([
    rooms.summariesOf(user.id),
    rooms.listVisible(user.id),
    saved.list(user.id, SAVED_IDS_LIMIT),
  ]);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const nav: RoomSummary[] = visible.map(
    (r) =>
      byId.get(r.id) ?? {
        id: r.id,
        slug: r.slug,
        name: r.name,
        kind: r.kind,
        isDefault: r.isDefault,
        lastSeq: 0,
        lastReadSeq: 0,
        mentioned: false,
      },
  );
  return { user, rooms: nav, saved: hits };
});
