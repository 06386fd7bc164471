import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { PEOPLE_QUERY_MAX, type PersonOption, parsePeopleQuery } from "../../core/people-search";
import { mayBlock } from "../../core/policy";
import { requireUser } from "./auth-guard.server";
import { refusal } from "./limit-guard.server";

/** People a picker lists at most. */
export const PEOPLE_LIMIT = 8;

const userId = z.string().min(1).max(64);

/**
 * The people picker's look-up (invites and "New message"): people whose
 * handle, name or email starts with `q` ("@" first: handles only), at most
 * PEOPLE_LIMIT, never the asker. Each comes as id, name and handle: the
 * email is matched but never sent, so a search reveals nobody's address.
 */
export const searchUsersFn = createServerFn({ method: "GET" })
  .validator(z.object({ q: z.string().max(PEOPLE_QUERY_MAX) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const query = parsePeopleQuery(data.q);
    if (!query) return { ok: true as const, users: [] };
    const limited = refusal(runtime, "user_search", user.id);
    if (limited) return { ok: false as const, error: limited };
    // One more than shown, so leaving the asker out still fills the list.
    const found = await runtime.storage.users.searchPeople(query, PEOPLE_LIMIT + 1);
    const users: PersonOption[] = found
      .filter((u) => u.id !== user.id)
      .slice(0, PEOPLE_LIMIT)
      .map((u) =>
        u.handle ? { id: u.id, name: u.name, handle: u.handle } : { id: u.id, name: u.name },
      );
    return { ok: true as const, users };
  });

/** The ids the signed-in user has blocked (the member list's Block / Unblock buttons). */
export const blockedUsersFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await requireUser();
  const limited = refusal(runtime, "membership", user.id);
  if (limited) return { ok: false as const, error: limited };
  return { ok: true as const, userIds: await runtime.storage.users.blockedBy(user.id) };
});

/**
 * Blocks a person: they can no longer open a DM with, write in an existing
 * DM with, or invite the user.
 */
export const blockUserFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const self = mayBlock({ actorId: user.id, otherId: data.userId, checkExists: false });
    if (!self.ok) return { ok: false as const, error: self.message };
    const limited = refusal(runtime, "membership", user.id);
    if (limited) return { ok: false as const, error: limited };
    const other = await runtime.storage.users.findById(data.userId);
    const allowed = mayBlock({ actorId: user.id, otherId: data.userId, other, checkExists: true });
    if (!allowed.ok || !other) {
      return { ok: false as const, error: allowed.ok ? "No such person." : allowed.message };
    }
    await runtime.storage.users.block(user.id, other.id);
    // A DM they already have stops taking their messages: they leave it (the
    // send path checks membership in its own transaction, so their next send
    // is refused on every instance). Unblocking and opening the DM again
    // brings both back, history included.
    const dm = await runtime.storage.rooms.dmBetween(user.id, other.id);
    if (dm) await runtime.storage.rooms.leave(dm.id, other.id);
    return { ok: true as const };
  });

/** Takes a block back. */
export const unblockUserFn = createServerFn({ method: "POST" })
  .validator(z.object({ userId }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const limited = refusal(runtime, "membership", user.id);
    if (limited) return { ok: false as const, error: limited };
    await runtime.storage.users.unblock(user.id, data.userId);
    return { ok: true as const };
  });
