import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { mayBlock } from "../../core/policy";
import { userTag } from "../../core/user-tag";
import { requireUser } from "./auth-guard.server";
import { refusal } from "./limit-guard.server";

/** People a picker lists at most. */
export const PEOPLE_LIMIT = 8;

const userId = z.string().min(1).max(64);

/**
 * The invite picker's look-up: people whose name starts with `q`, at most
 * PEOPLE_LIMIT, each with id, name and tag (core/user-tag), so that two
 * people with one name can be told apart and an invite names the id.
 */
export const searchUsersFn = createServerFn({ method: "GET" })
  .validator(z.object({ q: z.string().max(100) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const q = data.q.normalize("NFKC").trim();
    if (!q) return { ok: true as const, users: [] };
    const limited = refusal(runtime, "user_search", user.id);
    if (limited) return { ok: false as const, error: limited };
    const found = await runtime.storage.users.searchByName(q, PEOPLE_LIMIT);
    return {
      ok: true as const,
      users: found.map((u) => ({ id: u.id, name: u.name, tag: userTag(u.id) })),
    };
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
