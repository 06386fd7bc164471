import { createServerFn } from "@tanstack/react-start";
import { readServerRole } from "../auth/server-role.server";
import { currentUser } from "./auth-guard.server";
import { requireWithin } from "./limit-guard.server";

/**
 * The signed-in user, or null: route guards call this before loading.
 * `serverRole` is read fresh from the database (issue 14): the /admin
 * guard and the "Admin" link go by it.
 */
export const getSessionFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await currentUser();
  if (!user) return null;
  requireWithin(runtime, "session", user.id);
  const serverRole = (await readServerRole(runtime.db, user.id)) ?? "member";
  return { ...user, serverRole };
});
