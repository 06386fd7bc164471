import { createServerFn } from "@tanstack/react-start";
import type { FollowedThread } from "../../ports";
import { requireUser } from "./auth-guard.server";
import { requireWithin } from "./limit-guard.server";

/** Followed threads the Threads page lists at most. */
export const FOLLOWED_PAGE = 100;

/**
 * The threads the signed-in user follows, in rooms they are still a member
 * of, newest reply first, each with its root, room and unread replies (the
 * store joins room_member, so a room left is not listed).
 */
export const followedThreadsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<FollowedThread[]> => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "page", user.id);
    return runtime.storage.threads.followed(user.id, FOLLOWED_PAGE);
  },
);
