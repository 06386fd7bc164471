import { createServerFn } from "@tanstack/react-start";
import { currentUser } from "./auth-guard.server";
import { requireWithin } from "./limit-guard.server";

/** The signed-in user, or null: route guards call this before loading. */
export const getSessionFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, user } = await currentUser();
  if (user) requireWithin(runtime, "session", user.id);
  return user;
});
